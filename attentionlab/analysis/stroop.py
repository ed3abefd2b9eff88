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
import warnings

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


GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str", "t_test (effect against 0), rm_anova (RT over conditions) or "
                          "split_half (reliability of the interference effect)"),
    Column("measure", "str", "the participants.csv column tested (rt_ms for the ANOVA)"),
    Column("n", "int", "participants in the test (those with a value; complete cases "
                       "for the ANOVA; participant x session units for split_half)"),
    Column("mean", "float", "t_test: mean effect; split_half: mean Spearman-Brown r "
                            "over the random splits"),
    Column("sd", "float", "t_test: SD of the effect across participants (n - 1); "
                          "split_half: SD of r over the splits"),
    Column("ci95_low", "float", "t_test: lower end of the 95% CI of the mean; "
                                "split_half: 2.5th percentile of r over the splits"),
    Column("ci95_high", "float", "t_test: upper end of the 95% CI; split_half: 97.5th "
                                 "percentile of r over the splits"),
    Column("t", "float", "one-sample t statistic against 0"),
    Column("df", "float", "degrees of freedom of the t-test (n - 1)"),
    Column("p", "float", "two-sided p of the t-test; uncorrected p of the ANOVA"),
    Column("dz", "float", "Cohen's dz = mean / sd of the effect"),
    Column("bf10", "float", "Bayes factor for an effect against none (JZS prior, "
                            "Cauchy scale r = 0.707; Rouder et al. 2009)"),
    Column("f", "float", "ANOVA F"),
    Column("df1", "float", "ANOVA numerator degrees of freedom (uncorrected)"),
    Column("df2", "float", "ANOVA denominator degrees of freedom (uncorrected)"),
    Column("p_gg", "float", "ANOVA p with the Greenhouse-Geisser correction (equal to p "
                            "with two conditions, where sphericity always holds)"),
    Column("epsilon_gg", "float", "Greenhouse-Geisser epsilon (1 = sphericity)"),
    Column("sphericity_w", "float", "Mauchly's W (three or more conditions)"),
    Column("sphericity_p", "float", "p of Mauchly's test of sphericity"),
    Column("eta2_g", "float", "ANOVA generalised eta squared"),
    Column("n_splits", "int", "split_half: number of random splits"),
)


def per_participant(participants: pd.DataFrame) -> pd.DataFrame:
    """participants.csv rows averaged over each participant's sessions, so
    that every person counts once in the group tests."""
    numeric = [c.name for c in PARTICIPANT_COLUMNS if c.kind == "float"]
    if participants["participant"].is_unique:
        return participants[["participant", *numeric]].reset_index(drop=True)
    return (participants.groupby("participant", sort=False)[numeric].mean()
            .reset_index())


def group_effects(participants: pd.DataFrame, effects=EFFECTS) -> pd.DataFrame:
    """One-sample t-test against 0 of each effect across participants.

    ``participants``: output of :func:`participant_effects` (sessions are
    averaged per participant first). t, df, p and the 95% CI come from
    :func:`scipy.stats.ttest_1samp`, BF10 from :func:`pingouin.bayesfactor_ttest`;
    dz = mean / SD. Participants without a value for an effect are left out
    of that test. Columns: :data:`GROUP_COLUMNS`.
    """
    from scipy import stats
    bayesfactor_ttest = _pingouin().bayesfactor_ttest
    people = per_participant(participants)
    rows = []
    for effect in effects:
        x = people[effect].dropna().to_numpy(dtype=float)
        row = {"test": "t_test", "measure": effect, "n": len(x),
               "mean": x.mean() if len(x) else np.nan}
        if len(x) >= 2:
            sd = x.std(ddof=1)
            row["sd"] = sd
            if sd > 0:
                res = stats.ttest_1samp(x, 0.0)
                ci = res.confidence_interval(0.95)
                row.update(t=res.statistic, df=res.df, p=res.pvalue, dz=x.mean() / sd,
                           ci95_low=ci.low, ci95_high=ci.high,
                           bf10=float(bayesfactor_ttest(res.statistic, len(x))))
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=[c.name for c in GROUP_COLUMNS])


def condition_anova(participants: pd.DataFrame) -> pd.DataFrame:
    """Repeated-measures ANOVA of the condition mean RTs (one row).

    Uses :func:`pingouin.rm_anova` with the Greenhouse-Geisser correction and
    Mauchly's test, over the conditions present, on participants with a mean
    RT in every one of them (complete cases). Empty when fewer than two
    conditions or two participants remain. Columns: :data:`GROUP_COLUMNS`.
    """
    people = per_participant(participants)
    rt = people.set_index("participant")[[f"rt_{c}_ms" for c in CONDITIONS]]
    rt = rt.dropna(axis=1, how="all").dropna(axis=0, how="any")
    columns = [c.name for c in GROUP_COLUMNS]
    if rt.shape[1] < 2 or rt.shape[0] < 2:
        return pd.DataFrame(columns=columns)
    long = rt.rename_axis("participant").reset_index().melt(
        id_vars="participant", var_name=CONDITION, value_name="rt_ms")
    row = {"test": "rm_anova", "measure": "rt_ms", "n": rt.shape[0]}
    with warnings.catch_warnings():
        # pingouin's own use of deprecated pandas API; and degenerate data (no
        # variance) give inf/NaN with a RuntimeWarning, which is what we report
        warnings.filterwarnings("ignore", message=".*inplace keyword", module="pingouin")
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            table = _pingouin().rm_anova(data=long, dv="rt_ms", within=CONDITION,
                                         subject="participant", correction=True)
        except (ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError):
            return pd.DataFrame([row]).reindex(columns=columns)
    first = table.iloc[0]
    row.update(f=_get(first, "F"), df1=_get(first, "ddof1"), df2=_get(first, "ddof2"),
               p=_get(first, "p_unc", "p-unc"), eta2_g=_get(first, "ng2"),
               epsilon_gg=_get(first, "eps"), sphericity_w=_get(first, "W_spher", "W-spher"),
               sphericity_p=_get(first, "p_spher", "p-spher"))
    p_gg = _get(first, "p_GG_corr", "p-GG-corr")
    row["p_gg"] = row["p"] if np.isnan(p_gg) and rt.shape[1] == 2 else p_gg
    return pd.DataFrame([row]).reindex(columns=columns)


def reliability_row(result: dict, measure: str = "interference_ms") -> pd.DataFrame:
    """A :func:`~attentionlab.analysis.reliability.split_half` result as a
    group.csv row."""
    row = {"test": "split_half", "measure": measure, "n": result["n"],
           "mean": result["mean"], "sd": result["sd"], "ci95_low": result["q025"],
           "ci95_high": result["q975"], "n_splits": result["n_splits"]}
    return pd.DataFrame([row]).reindex(columns=[c.name for c in GROUP_COLUMNS])


def _get(row, *names):
    """A pingouin output value under any of its spellings (they changed
    between releases), NaN when absent."""
    for name in names:
        if name in row.index and pd.notna(row[name]):
            return float(row[name])
    return np.nan


def _pingouin():
    """pingouin, imported on first use (it imports matplotlib.pyplot: select
    the non-interactive backend first, this layer has no display)."""
    import matplotlib
    matplotlib.use("Agg")
    import pingouin
    return pingouin
