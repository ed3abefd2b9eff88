"""Stroop statistics: per-participant effects, group tests, condition ANOVA.

Every function takes a long-format DataFrame with one row per trial, using
our column names (``participant, session, congruency, rt_ms, correct``;
``phase`` when present: only ``test`` rows are analysed) and returns a
DataFrame whose columns are declared once below (:data:`PARTICIPANT_COLUMNS`,
:data:`GROUP_COLUMNS`) and documented in docs/analysis.md.

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1",
...     "congruency": ["congruent", "incongruent", "neutral"] * 2,
...     "rt_ms": [500.0, 580.0, 510.0, 520.0, 600.0, 530.0], "correct": 1})
>>> participant_effects(d)[["participant", "interference_ms", "facilitation_ms"]]
  participant  interference_ms  facilitation_ms
0          P1             80.0             10.0
"""

import re

import numpy as np
import pandas as pd

from attentionlab.analysis.cleaning import CleaningSettings, clean
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.stimuli.stroop import CONDITIONS

TASK = "stroop"
CONDITION = "congruency"
UNIT = ("participant", "session")
REQUIRED_COLUMNS = ("participant", CONDITION, "rt_ms", "correct")

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label ('1' when the data have no session column)"),
    Column("rt_congruent_ms", "float", "mean RT of the cleaned congruent trials, ms"),
    Column("rt_neutral_ms", "float", "mean RT of the cleaned neutral trials, ms"),
    Column("rt_incongruent_ms", "float", "mean RT of the cleaned incongruent trials, ms"),
    Column("acc_congruent", "float", "proportion correct of all congruent test trials"),
    Column("acc_neutral", "float", "proportion correct of all neutral test trials"),
    Column("acc_incongruent", "float", "proportion correct of all incongruent test trials"),
    Column("interference_ms", "float", "rt_incongruent_ms - rt_congruent_ms"),
    Column("facilitation_ms", "float", "rt_neutral_ms - rt_congruent_ms"),
    Column("inhibition_ms", "float", "rt_incongruent_ms - rt_neutral_ms"),
    Column("error_cost", "float",
           "acc_congruent - acc_incongruent: the extra proportion of errors on "
           "incongruent trials"),
    Column("n_trials", "int", "test trials of this participant and session"),
    Column("n_used", "int", "trials left after cleaning (the ones in the RT means)"),
)

EFFECTS = ("interference_ms", "facilitation_ms", "inhibition_ms", "error_cost")


def participant_effects(data: pd.DataFrame, *, min_rt_ms: float | None = 200.0,
                        max_rt_ms: float | None = None, trim: str = "none",
                        include_errors: bool = False,
                        used: pd.Series | None = None) -> pd.DataFrame:
    """One row per participant x session: condition RTs, accuracies, effects.

    RTs (ms) are means of the trials kept by :func:`~attentionlab.analysis.
    cleaning.clean` with the given settings (defaults: correct trials only,
    RT >= 200 ms, no upper bound, no trimming). Pass ``used`` (a boolean
    Series on ``data``'s index, e.g. ``clean(...).used``) to use a cleaning
    already done; the settings are then ignored. Accuracy is the proportion
    correct of *all* test trials of a condition. A condition a participant
    did not do (or with no trial left) gives NaN, and so do effects built on it.
    Columns: :data:`PARTICIPANT_COLUMNS`.
    """
    data, used = _test_trials(data, used)
    if used is None:
        settings = CleaningSettings(include_errors=include_errors, min_rt_ms=min_rt_ms,
                                    max_rt_ms=max_rt_ms, trim=trim)
        used = clean(data, settings, CONDITION, UNIT).used
    keys = [data[k] for k in (*UNIT, CONDITION)]
    rt = pd.to_numeric(data["rt_ms"], errors="coerce")
    correct = pd.to_numeric(data["correct"], errors="coerce")
    used = used.to_numpy(dtype=bool)

    rt_means = rt[used].groupby([k[used] for k in keys], observed=True).mean()
    accuracy = correct.groupby(keys, observed=True).mean()
    rt_wide = rt_means.unstack(CONDITION).reindex(columns=list(CONDITIONS))
    acc_wide = accuracy.unstack(CONDITION).reindex(columns=list(CONDITIONS))
    counts = pd.DataFrame({"n_trials": 1, "n_used": used.astype(int)}, index=data.index)
    counts = counts.groupby([data[k] for k in UNIT], observed=True).sum()

    out = counts.copy()
    for c in CONDITIONS:
        out[f"rt_{c}_ms"] = rt_wide[c]
        out[f"acc_{c}"] = acc_wide[c]
    out["interference_ms"] = out["rt_incongruent_ms"] - out["rt_congruent_ms"]
    out["facilitation_ms"] = out["rt_neutral_ms"] - out["rt_congruent_ms"]
    out["inhibition_ms"] = out["rt_incongruent_ms"] - out["rt_neutral_ms"]
    out["error_cost"] = out["acc_congruent"] - out["acc_incongruent"]
    out = out.reset_index()
    out = out.iloc[_natural_order(out)].reset_index(drop=True)
    return out[[c.name for c in PARTICIPANT_COLUMNS]]


def _test_trials(data, used):
    """Check the columns; keep ``phase == 'test'`` rows; add a single session."""
    missing = [c for c in REQUIRED_COLUMNS if c not in data]
    if missing:
        raise UsageError(f"Stroop data need the column(s) {', '.join(missing)}; "
                         f"got {', '.join(map(str, data.columns))}")
    if "phase" in data:
        test = (data["phase"] == "test").to_numpy(dtype=bool)
        if not test.all():
            data = data[test]
            used = None if used is None else used[test]
    if "session" not in data:
        data = data.assign(session="1")
    unknown = set(data[CONDITION].dropna().unique()) - set(CONDITIONS)
    if unknown:
        raise UsageError(f"unknown congruency level(s) {sorted(map(str, unknown))}; "
                         f"allowed: {', '.join(CONDITIONS)}")
    return data, used


def _natural_order(frame):
    """Row order by participant then session, numbers compared as numbers
    (P2 before P10)."""
    def key(text):
        return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                     for part in re.split(r"(\d+)", str(text)) if part)
    keys = [(key(p), key(s)) for p, s in zip(frame["participant"], frame["session"])]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=int)
