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

import warnings

import numpy as np
import pandas as pd

from attentionlab.analysis import reliability, statistics
from attentionlab.analysis.cleaning import clean
from attentionlab.analysis.registry import Factor, Table, test_rows
from attentionlab.analysis.settings import AnalysisSettings, resolve
from attentionlab.analysis.trials import UNIT
from attentionlab.analysis.statistics import (COUSINEAU_2005, MOREY_2008, ROUDER_2009, apa_t,
                                              format_p, get, natural_order, pingouin,
                                              t_test_row)
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.stimuli.stroop import CONDITIONS

# The analysis contract (attentionlab/analysis/registry.py).
TASK = "stroop"
TITLE = "Stroop analysis"
CONDITION = "congruency"
FACTORS = (Factor(CONDITION, levels=CONDITIONS),)
REQUIRED_COLUMNS = ("participant", CONDITION, "rt_ms", "correct")
READ_COLUMNS = ("response_mode",)  # keys|voice, for the methods paragraph

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


def participant_effects(test: pd.DataFrame, *, used: pd.Series | None = None,
                        settings: AnalysisSettings | None = None) -> pd.DataFrame:
    """One row per participant x session: condition RTs, accuracies, effects.

    RTs (ms) are means of the ``used`` trials (a boolean Series on
    ``test``'s index, e.g. ``clean(...).used``: the pipeline's cleaning).
    Without ``used``, the trials are cleaned here as ``analyze`` would with
    ``settings.cleaning`` (default :class:`~attentionlab.analysis.settings.
    AnalysisSettings`: correct trials only, RT >= 200 ms, no upper bound, no
    trimming). Accuracy is the proportion correct of *all* test trials of a
    condition. A condition a participant did not do (or with no trial left)
    gives NaN, and so do effects built on it.
    Columns: :data:`PARTICIPANT_COLUMNS`.
    """
    data = test
    data, used = _test_trials(data, used)
    if used is None:
        used = clean(data, resolve(settings).cleaning, CONDITION, UNIT).used
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
    data, used = test_rows(data, used, REQUIRED_COLUMNS, "Stroop data")
    unknown = set(data[CONDITION].dropna().unique()) - set(CONDITIONS)
    if unknown:
        raise UsageError(f"unknown congruency level(s) {sorted(map(str, unknown))}; "
                         f"allowed: {', '.join(CONDITIONS)}")
    return data, used


def _natural_order(frame):
    """Row order by participant then session, numbers compared as numbers
    (P2 before P10)."""
    return natural_order(frame, ["participant", "session"])


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
    """participants.csv's measures (its float columns) averaged over each
    participant's sessions (:func:`~attentionlab.analysis.statistics.
    per_participant`), so that every person counts once in the group tests."""
    return statistics.per_participant(
        participants, [c.name for c in PARTICIPANT_COLUMNS if c.kind == "float"])


def group_effects(participants: pd.DataFrame, effects=EFFECTS) -> pd.DataFrame:
    """One-sample t-test against 0 of each effect across participants.

    ``participants``: output of :func:`participant_effects` (sessions are
    averaged per participant first). t, df, p and the 95% CI come from
    :func:`scipy.stats.ttest_1samp`, BF10 from :func:`pingouin.bayesfactor_ttest`;
    dz = mean / SD. Participants without a value for an effect are left out
    of that test. Columns: :data:`GROUP_COLUMNS`.
    """
    people = per_participant(participants)
    rows = [{"test": "t_test", "measure": effect, **t_test_row(people[effect])}
            for effect in effects]
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
            table = pingouin().rm_anova(data=long, dv="rt_ms", within=CONDITION,
                                         subject="participant", correction=True)
        except (ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError):
            return pd.DataFrame([row]).reindex(columns=columns)
    first = table.iloc[0]
    row.update(f=get(first, "F"), df1=get(first, "ddof1"), df2=get(first, "ddof2"),
               p=get(first, "p_unc", "p-unc"), eta2_g=get(first, "ng2"),
               epsilon_gg=get(first, "eps"), sphericity_w=get(first, "W_spher", "W-spher"),
               sphericity_p=get(first, "p_spher", "p-spher"))
    p_gg = get(first, "p_GG_corr", "p-GG-corr")
    row["p_gg"] = row["p"] if np.isnan(p_gg) and rt.shape[1] == 2 else p_gg
    return pd.DataFrame([row]).reindex(columns=columns)


def reliability_row(result: dict, measure: str = "interference_ms") -> pd.DataFrame:
    """A :func:`~attentionlab.analysis.reliability.split_half` result as a
    group.csv row."""
    row = {"test": "split_half", "measure": measure, "n": result["n"],
           "mean": result["mean"], "sd": result["sd"], "ci95_low": result["q025"],
           "ci95_high": result["q975"], "n_splits": result["n_splits"]}
    return pd.DataFrame([row]).reindex(columns=[c.name for c in GROUP_COLUMNS])


# ---- the rest of the analysis contract: group.csv, figures, report text ----

REFERENCES = (
    COUSINEAU_2005,
    "Hedge, C., Powell, G., & Sumner, P. (2018). The reliability paradox: Why robust "
    "cognitive tasks do not produce reliable individual differences. Behavior Research "
    "Methods, 50(3), 1166-1186.",
    MOREY_2008,
    ROUDER_2009,
    "Stroop, J. R. (1935). Studies of interference in serial verbal reactions. Journal "
    "of Experimental Psychology, 18(6), 643-662.",
)
FIGURE_CAPTIONS = {
    "condition_means": "Condition means with within-participant 95% CIs (Cousineau-Morey)",
    "interference": "Each participant's interference effect",
    "rt_distributions": "RT distributions per condition (cleaned trials)"}
EFFECT_WORDS = {"interference_ms": "Interference (incongruent - congruent)",
                "facilitation_ms": "Facilitation (neutral - congruent)",
                "inhibition_ms": "Inhibition (incongruent - neutral)",
                "error_cost": "Error cost (accuracy congruent - incongruent)"}


def group_results(participants, used, test, settings) -> pd.DataFrame:
    """group.csv: the effects' t-tests, the condition ANOVA and the split-half
    reliability of the interference effect (on the cleaned ``used`` trials;
    ``settings.n_splits`` random splits from ``settings.seed``). ``test``
    (all test trials) is not needed here."""
    split = reliability.split_half(used, n_splits=settings.n_splits, seed=settings.seed)
    frames = [group_effects(participants), condition_anova(participants),
              reliability_row(split)]
    return pd.concat([f for f in frames if not f.empty], ignore_index=True)


def figures(participants, used) -> dict:
    """Condition means, interference per participant, RT distributions."""
    from attentionlab.analysis import stroop_figures as f
    return {"condition_means": f.condition_means_figure(participants),
            "interference": f.interference_figure(participants),
            "rt_distributions": f.rt_distribution_figure(used)}


def _listed(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def methods_paragraph(result) -> str:
    """The Stroop part of the methods: effects, tests, ANOVA, reliability."""
    group = result.group
    # Only the contrasts the design allows (e.g. no congruent condition: only
    # incongruent - neutral), as the effect lines below.
    rt_effects = [EFFECT_WORDS[m].lower().replace(" (", " effect (", 1)
                  for m in EFFECTS[:3] if result.participants[m].notna().any()]
    text = [response_mode_sentence(result.test),
            (f"For each participant, condition mean RTs gave the {_listed(rt_effects)} "
             f"(sessions of the same participant averaged); each effect was tested against "
             f"zero with a one-sample t-test and a default Bayesian t-test (JZS prior, "
             f"r = 0.707; Rouder et al., 2009).") if rt_effects else ""]
    for row in group[group["test"] == "t_test"].to_dict("records"):
        if np.isnan(row["t"]):
            continue
        cost = row["measure"] == "error_cost"
        text.append(f"{EFFECT_WORDS[row['measure']]}: "
                    f"{apa_t(row, unit='' if cost else ' ms', digits=3 if cost else 1)}.")
    anova = group[group["test"] == "rm_anova"]
    if len(anova):
        a = anova.iloc[0]
        text.append(f"A repeated-measures ANOVA of the condition mean RTs (n = {a.n:.0f}) "
                    f"gave F({a.df1:.0f}, {a.df2:.0f}) = {a.f:.2f}, Greenhouse-Geisser "
                    f"epsilon = {a.epsilon_gg:.3f}, corrected {format_p(a.p_gg)}, generalised "
                    f"eta squared = {a.eta2_g:.3f}.")
    split = group[group["test"] == "split_half"]
    if len(split) and not np.isnan(split.iloc[0]["mean"]):
        r = split.iloc[0]
        text.append(f"The split-half reliability of the interference effect, averaged "
                    f"over {r.n_splits:.0f} random splits and Spearman-Brown corrected, was "
                    f"r = {r['mean']:.2f} (2.5th-97.5th percentile over splits "
                    f"{r.ci95_low:.2f} to {r.ci95_high:.2f}; n = {r.n:.0f}; see Hedge, "
                    f"Powell & Sumner, 2018).")
    text.append("Within-participant 95% confidence intervals in the figures follow "
                "Cousineau (2005) with the correction of Morey (2008).")
    return " ".join(t for t in text if t)


def response_mode_sentence(test: pd.DataFrame) -> str:
    """How the ink was named: key presses, aloud (voice key), or both.

    >>> response_mode_sentence(pd.DataFrame({"response_mode": ["voice"] * 2}))[:40]
    'Participants named the ink colour aloud:'
    """
    if "response_mode" not in test:  # older files, other labs' data: not known
        return ""
    # the distinct values first: a set of 10^6 strings took ~1 s at 10^6 trials
    modes = {"keys" if m == "" else m for m in pd.unique(test["response_mode"])}
    if "voice" not in modes and "touch" in modes:  # the browser classroom's buttons
        touch = "Participants tapped the button of the ink colour on a touch screen."
        if "keys" in modes:
            n = int((test["response_mode"] == "touch").sum())
            return touch[:-1] + f" in {n:,} of {len(test):,} test trials; in the others " \
                                "they pressed the key mapped to the ink colour."
        return touch
    if "voice" not in modes:
        return "Participants pressed the key mapped to the ink colour."
    voice = ("Participants named the ink colour aloud: RT is the voice onset found by a "
             "voice key on each trial's recording, and the response the colour word "
             "recognised (PocketSphinx, grammar of the four colour names).")
    if "keys" in modes:
        n = int((test["response_mode"] == "voice").sum())
        return voice[:-1] + f" in {n:,} of {len(test):,} test trials; in the others they " \
                            "pressed keys."
    return voice


# The effect lines the printed summary gives, in order; the others are printed
# only when the interference cannot be computed (a design without congruent
# trials still has incongruent - neutral).
HEADLINE_EFFECTS = (("interference_ms", "Interference (incongruent - congruent)"),
                    ("inhibition_ms", "Incongruent - neutral"),
                    ("facilitation_ms", "Facilitation (neutral - congruent)"))


def headline(result) -> list:
    """``Interference: 65.0 ms (SD 47.4, n = 121)``; without congruent trials the
    contrasts the design allows (incongruent - neutral), and a plain sentence
    when no contrast can be computed."""
    from attentionlab.analysis.notices import included_people

    group = result.group
    lines = []
    for measure, words in HEADLINE_EFFECTS:
        row = group[(group["test"] == "t_test") & (group["measure"] == measure)]
        if not len(row) or not row.iloc[0]["n"] > 0:
            continue
        row = row.iloc[0]
        spread = f"SD {row['sd']:.1f}, " if row["n"] > 1 else ""
        label = "Interference" if measure == "interference_ms" else words
        lines.append(f"{label}: {row['mean']:.1f} ms ({spread}n = {row['n']:.0f})")
        if measure == "interference_ms":
            return lines
    if not lines and included_people(result):  # nobody left: a notice says why
        present = sorted(result.test[CONDITION].dropna().unique())
        lines.append(f"No Stroop contrast can be computed from the conditions in these data "
                     f"({', '.join(present) or 'none'}): each needs two of congruent, "
                     f"incongruent and neutral.")
    return lines


def report_tables(group) -> list:
    """t-tests, the ANOVA and the reliability, each with its own columns."""
    tables = []
    t = group[group["test"] == "t_test"]
    if len(t):
        tables.append(Table(
            "One-sample t-tests against zero (participants.csv effects, sessions averaged "
            "per participant):",
            t[["measure", "n", "mean", "sd", "ci95_low", "ci95_high", "t", "df", "p", "dz",
               "bf10"]],
            {"mean": 2, "sd": 2, "ci95_low": 2, "ci95_high": 2, "t": 2, "df": 0, "dz": 2,
             "n": 0}))
    a = group[group["test"] == "rm_anova"]
    if len(a):
        tables.append(Table(
            "Repeated-measures ANOVA of condition mean RTs:",
            a[["n", "f", "df1", "df2", "p", "epsilon_gg", "p_gg", "sphericity_w",
               "sphericity_p", "eta2_g"]],
            {"n": 0, "f": 2, "df1": 0, "df2": 0, "epsilon_gg": 3, "sphericity_w": 3,
             "eta2_g": 3}))
    s = group[group["test"] == "split_half"]
    if len(s):
        tables.append(Table(
            "Split-half reliability (Spearman-Brown corrected; mean, SD and 2.5/97.5 "
            "percentiles over random splits):",
            s[["measure", "n", "n_splits", "mean", "sd", "ci95_low", "ci95_high"]],
            {"n": 0, "n_splits": 0, "mean": 3, "sd": 3, "ci95_low": 3, "ci95_high": 3}))
    return tables


# Which conditions each effect needs (for the notices when one has no trials).
EFFECT_NEEDS = {"interference_ms": ("incongruent", "congruent"),
                "facilitation_ms": ("neutral", "congruent"),
                "inhibition_ms": ("incongruent", "neutral"),
                "error_cost": ("congruent", "incongruent")}


def notices(result) -> list:
    """What needs more participants, and effects a missing condition left empty."""
    from attentionlab.analysis.notices import missing_effects, one_participant

    lines = one_participant(result, (
        "the t-tests (p, 95% CI, Bayes factor) and the ANOVA need at least 2 participants, "
        "and the split-half reliability at least 3 participant x sessions; group.csv gives "
        "this participant's effects without them"))
    split = result.group[result.group["test"] == "split_half"]
    if not lines and len(split) and 0 < split.iloc[0]["n"] < 3:
        lines.append(f"The split-half reliability needs at least 3 participant x sessions "
                     f"with congruent and incongruent trials; there are "
                     f"{split.iloc[0]['n']:.0f}, so it is left empty.")
    effects = {e: (EFFECT_WORDS[e], EFFECT_NEEDS[e]) for e in EFFECTS}
    return lines + missing_effects(result.participants, result.test, CONDITION, effects)
