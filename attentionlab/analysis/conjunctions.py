"""Illusory conjunctions: rates of correct reports, feature errors and
illusory conjunctions per participant, corrected for guessing, and the group
comparison of conjunction errors with feature errors.

Every report is scored again from the raw columns (``letters``,
``letter_colours``, ``report{i}_letter``, ``report{i}_colour``) with
:func:`attentionlab.stimuli.conjunctions.score_report`, so the analysis does
not depend on the outcome columns a session wrote (and works on other labs'
files read through a mapping). By default only trials whose digits were
reported correctly are analysed (``correct == 0`` trials are left out; an
empty ``correct`` counts as no digit task and is kept).

Rates are proportions of all reports of the analysed trials. **Correction for
guessing**: if a wrong colour were a guess among the offered colours, a guess
would land on a colour of another shown letter ``n - 1`` times (``n = 3``
shown colours) for every ``K - n`` times it lands on a colour not shown (``K``
colours offered), whether or not the guess may hit the right colour. Feature
errors can only be guesses, so ``feature errors x (n - 1) / (K - n)``
conjunction errors are expected by chance alone (Treisman & Schmidt, 1982,
reasoned the same way); ``conjunction_corrected`` is the conjunction rate
minus this chance rate. With our default 5 colours the ratio is 1: chance
predicts as many conjunction errors as feature errors.

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1", "correct": [1, 1],
...     "letters": "T,X,O", "letter_colours": "red,green,blue",
...     "colour_choices": "red,green,blue,orange,purple",
...     "report1_letter": ["T", "T"], "report1_colour": ["red", "green"],
...     "report2_letter": ["X", "X"], "report2_colour": ["green", "orange"],
...     "report3_letter": ["O", "N"], "report3_colour": ["blue", "blue"]})
>>> p = participant_effects(d)
>>> p[["conjunction_rate", "feature_rate", "conjunction_corrected"]].round(4).values.tolist()
[[0.1667, 0.1667, 0.0]]
"""

import numpy as np
import pandas as pd

from attentionlab.analysis.registry import group_row, titled_tables
from attentionlab.analysis.statistics import (ROUDER_2009, apa_t, format_p, mean_ci_row,
                                              per_participant, t_test_row)
from attentionlab.analysis.trials import UNIT, only_test_phase, with_session
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.stimuli.conjunctions import N_LETTERS, expected_chance_ratio, score_report

# The analysis contract (attentionlab/analysis/registry.py).
TASK = "conjunctions"
TITLE = "Illusory conjunctions analysis"
FACTORS = ()  # no conditions: one display type, every trial alike
RT_CLEANING = False  # the measures are error rates, not response times
REPORT_COLUMNS = tuple(f"report{i}_{part}" for i in range(1, N_LETTERS + 1)
                       for part in ("letter", "colour"))
REQUIRED_COLUMNS = ("participant", "correct", "letters", "letter_colours", "colour_choices",
                    *REPORT_COLUMNS)
READ_COLUMNS = ("letters", "letter_colours", "colour_choices", *REPORT_COLUMNS,
                "exposure_ms")

PUBLISHED_CONJUNCTION_TRIALS = 0.18  # Treisman & Schmidt (1982), Experiment 1
PUBLISHED_SOURCE = ("Treisman & Schmidt (1982), Exp. 1: illusory conjunctions on about 18% "
                    "of trials, feature errors on fewer")

REFERENCES = (
    "Treisman, A., & Schmidt, H. (1982). Illusory conjunctions in the perception of "
    "objects. Cognitive Psychology, 14, 107-141.",
    "Treisman, A. M., & Gelade, G. (1980). A feature-integration theory of attention. "
    "Cognitive Psychology, 12, 97-136.",
    "Kaernbach, C. (1991). Simple adaptive testing with the weighted up-down method. "
    "Perception & Psychophysics, 49, 227-229.",
    ROUDER_2009,
)

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label ('1' when the data have no session column)"),
    Column("n_trials", "int", "test trials of this participant and session"),
    Column("digit_accuracy", "float", "proportion of test trials with both digits right"),
    Column("n_used", "int", "trials analysed: those with the digits right"),
    Column("n_reports", "int", "letter reports in the analysed trials"),
    Column("correct_rate", "float", "proportion of reports: shown letter in its own colour"),
    Column("feature_rate", "float",
           "proportion of reports: shown letter in a colour not in the display"),
    Column("conjunction_rate", "float", "proportion of reports: shown letter in the colour "
                                        "of another shown letter (illusory conjunction)"),
    Column("letter_error_rate", "float", "proportion of reports: a letter not shown"),
    Column("conjunction_trial_rate", "float",
           "proportion of analysed trials with at least one illusory conjunction"),
    Column("feature_trial_rate", "float",
           "proportion of analysed trials with at least one feature error"),
    Column("conjunction_chance_rate", "float",
           "illusory conjunctions expected from guessing: feature errors x (n - 1) / (K - n) "
           "per trial (n = 3 shown, K offered colours), as a proportion of reports"),
    Column("conjunction_corrected", "float", "conjunction_rate - conjunction_chance_rate"),
    Column("mean_exposure_ms", "float", "mean display duration of the analysed trials, ms "
                                        "(empty when the data have no exposure_ms)"),
)
RATES = ("correct_rate", "feature_rate", "conjunction_rate", "letter_error_rate",
         "conjunction_trial_rate", "feature_trial_rate", "conjunction_chance_rate",
         "conjunction_corrected", "digit_accuracy", "mean_exposure_ms")

GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str", "descriptive, paired_t_test, t_test or published "
                          "(see docs/analysis.md)"),
    Column("measure", "str", "the participants.csv column summarised, or "
                             "conjunction_rate - feature_rate for the paired test"),
    Column("n", "int", "participants (sessions of a participant averaged first)"),
    Column("mean", "float", "mean over participants"),
    Column("sd", "float", "SD over participants (n - 1)"),
    Column("ci95_low", "float", "lower end of the t-based 95% CI of the mean"),
    Column("ci95_high", "float", "upper end of the 95% CI of the mean"),
    Column("t", "float", "t statistic (against 0; of the paired differences)"),
    Column("df", "float", "degrees of freedom (n - 1)"),
    Column("p", "float", "two-sided p of the t-test"),
    Column("dz", "float", "Cohen's dz = mean / sd"),
    Column("bf10", "float", "Bayes factor for an effect (JZS prior, r = 0.707)"),
    Column("published", "float", "the published value (published rows only)"),
    Column("source", "str", "where the published value comes from"),
)

FIGURE_CAPTIONS = {
    "error_rates": "Feature errors and illusory conjunctions per report (group mean, 95% "
                   "CI; grey lines: participants), with the conjunction rate expected "
                   "from guessing.",
    "published": "Trials with at least one illusory conjunction or feature error (group "
                 "mean, 95% CI; dots: participants) and Treisman & Schmidt's 18%.",
}


# -- per trial -------------------------------------------------------------------
def _split(cell, case):
    if not isinstance(cell, str):
        return []
    items = [s.strip() for s in cell.split(",") if s.strip()]
    return [s.upper() for s in items] if case == "upper" else [s.lower() for s in items]


def score_trials(data: pd.DataFrame) -> pd.DataFrame:
    """Each trial's reports scored from the raw columns: ``n_reports,
    n_correct, n_feature_errors, n_conjunction_errors, n_letter_errors,
    chance_conjunctions`` (expected from that trial's feature errors) on
    ``data``'s index. Empty report cells (fewer than three reports) are not
    counted; a trial whose display cannot be read raises :class:`UsageError`.

    >>> d = pd.DataFrame({"letters": ["T,X,O"], "letter_colours": ["red,green,blue"],
    ...     "colour_choices": ["red,green,blue,orange"], "report1_letter": ["T"],
    ...     "report1_colour": ["orange"], "report2_letter": ["X"],
    ...     "report2_colour": ["red"], "report3_letter": [""], "report3_colour": [""]})
    >>> score_trials(d).iloc[0].tolist()
    [2.0, 0.0, 1.0, 1.0, 0.0, 2.0]
    """
    missing = [c for c in ("letters", "letter_colours", "colour_choices", *REPORT_COLUMNS)
               if c not in data]
    if missing:
        raise UsageError(f"conjunctions data need the column(s) {', '.join(missing)}")
    counts = np.zeros((len(data), 5))
    chance = np.zeros(len(data))
    columns = [data[c].tolist() for c in ("letters", "letter_colours", "colour_choices",
                                          *REPORT_COLUMNS)]
    for row, (letters, colours, choices, *reports) in enumerate(zip(*columns)):
        letters, colours = _split(letters, "upper"), _split(colours, "lower")
        if len(letters) != N_LETTERS or len(colours) != N_LETTERS:
            raise UsageError(f"trial {row + 1}: letters {letters!r} and letter_colours "
                             f"{colours!r} must each list {N_LETTERS} items")
        for i in range(N_LETTERS):
            letter = _split(reports[2 * i], "upper")
            colour = _split(reports[2 * i + 1], "lower")
            if not letter:
                continue
            outcome = score_report(letters, colours, letter[0], colour[0] if colour else "")
            counts[row, 0] += 1
            counts[row, 1 + ("correct", "feature_error", "conjunction_error",
                             "letter_error").index(outcome)] += 1
        n_colours = len(_split(choices, "lower"))
        chance[row] = counts[row, 2] * expected_chance_ratio(n_colours)
    out = pd.DataFrame(counts, index=data.index,
                       columns=["n_reports", "n_correct", "n_feature_errors",
                                "n_conjunction_errors", "n_letter_errors"])
    out["chance_conjunctions"] = chance
    return out


# -- per participant ---------------------------------------------------------------
def participant_effects(test: pd.DataFrame, *, used: pd.Series | None = None,
                        settings=None) -> pd.DataFrame:
    """One row per participant x session (:data:`PARTICIPANT_COLUMNS`):
    :func:`participant_rates` with the digit errors left out. ``settings``
    is not needed (no options)."""
    return participant_rates(test, used)


def participant_rates(test: pd.DataFrame, used: pd.Series | None = None,
                      include_digit_errors: bool = False) -> pd.DataFrame:
    """One row per participant x session (:data:`PARTICIPANT_COLUMNS`).

    ``test``: test trials (rows with ``phase`` other than ``test`` are left
    out). ``used``: optional boolean Series on ``test.index`` (the pipeline's
    cleaning; all True for this task). Trials with a wrong digit report
    (``correct == 0``) are left out unless ``include_digit_errors``.
    """
    data, used = only_test_phase(test, used)
    data = with_session(data)
    if "participant" not in data or "correct" not in data:
        raise UsageError("conjunctions data need the columns participant and correct "
                         "(1 when the digits were reported right)")
    digits = pd.to_numeric(data["correct"], errors="coerce")
    analysed = (np.ones(len(data), dtype=bool) if used is None
                else used.to_numpy(dtype=bool, copy=True))
    if not include_digit_errors:
        analysed &= ~(digits == 0).to_numpy()
    scored = score_trials(data)
    exposure = (pd.to_numeric(data["exposure_ms"], errors="coerce") if "exposure_ms" in data
                else pd.Series(np.nan, index=data.index))
    frame = pd.DataFrame({
        "participant": data["participant"].astype(str), "session": data["session"].astype(str),
        "trial": 1, "digit_ok": digits, "used": analysed.astype(int),
        **{c: scored[c].where(analysed, 0.0) for c in scored},
        "any_conjunction": ((scored["n_conjunction_errors"] > 0) & analysed).astype(int),
        "any_feature": ((scored["n_feature_errors"] > 0) & analysed).astype(int),
        "exposure": exposure.where(analysed)}, index=data.index)
    g = frame.groupby(list(UNIT), observed=True, sort=True)
    sums = g.sum(numeric_only=True)
    out = pd.DataFrame(index=sums.index)
    out["n_trials"] = sums["trial"].astype(int)
    out["digit_accuracy"] = g["digit_ok"].mean()
    out["n_used"] = sums["used"].astype(int)
    out["n_reports"] = sums["n_reports"].astype(int)
    reports = sums["n_reports"].where(sums["n_reports"] > 0)
    out["correct_rate"] = sums["n_correct"] / reports
    out["feature_rate"] = sums["n_feature_errors"] / reports
    out["conjunction_rate"] = sums["n_conjunction_errors"] / reports
    out["letter_error_rate"] = sums["n_letter_errors"] / reports
    trials = sums["used"].where(sums["used"] > 0)
    out["conjunction_trial_rate"] = sums["any_conjunction"] / trials
    out["feature_trial_rate"] = sums["any_feature"] / trials
    out["conjunction_chance_rate"] = sums["chance_conjunctions"] / reports
    out["conjunction_corrected"] = out["conjunction_rate"] - out["conjunction_chance_rate"]
    out["mean_exposure_ms"] = g["exposure"].mean()
    return out.reset_index()[[c.name for c in PARTICIPANT_COLUMNS]]


# -- group ---------------------------------------------------------------------------
def group_results(participants: pd.DataFrame, used, test, settings) -> pd.DataFrame:
    """group.csv (:data:`GROUP_COLUMNS`): descriptive rows for every rate, the
    paired t-test of conjunction_rate - feature_rate, the t-test of
    conjunction_corrected against 0, and our conjunction_trial_rate beside the
    published 18%. A participant's sessions are averaged first; only
    ``participants`` is needed (``used``, ``test``, ``settings``: contract)."""
    people = per_participant(participants, RATES) if len(participants) else \
        pd.DataFrame(columns=["participant", *RATES])
    rows = []
    for measure in RATES:
        if measure == "conjunction_corrected":
            continue
        rows.append({"test": "descriptive", "measure": measure,
                     **mean_ci_row(people[measure].astype(float))})
    difference = people["conjunction_rate"].astype(float) - people["feature_rate"].astype(float)
    rows.append({"test": "paired_t_test", "measure": "conjunction_rate - feature_rate",
                 **t_test_row(difference)})
    rows.append({"test": "t_test", "measure": "conjunction_corrected",
                 **t_test_row(people["conjunction_corrected"].astype(float))})
    rows.append({"test": "published", "measure": "conjunction_trial_rate",
                 **mean_ci_row(people["conjunction_trial_rate"].astype(float)),
                 "published": PUBLISHED_CONJUNCTION_TRIALS, "source": PUBLISHED_SOURCE})
    out = pd.DataFrame(rows)
    return out.reindex(columns=[c.name for c in GROUP_COLUMNS])


def report_tables(group: pd.DataFrame) -> list:
    """The report's group tables, with titles a reader understands."""
    titles = {"descriptive": "Rates (group means over participants)",
              "paired_t_test": "Illusory conjunctions vs feature errors (paired t-test)",
              "t_test": "Illusory conjunctions beyond guessing (t-test against 0)",
              "published": "Published comparison (Treisman & Schmidt, 1982)"}
    return titled_tables(group, titles)


# -- figures ---------------------------------------------------------------------------
def figures(participants: pd.DataFrame, used=None) -> dict:
    """``error_rates`` and ``published`` (see :data:`FIGURE_CAPTIONS`), in the
    journal style of :mod:`attentionlab.core.figures`."""
    from attentionlab.core.figures import styled

    return {"error_rates": styled(error_rates_figure)(participants),
            "published": styled(published_figure)(participants)}


def _mean_ci(values):
    row = mean_ci_row(np.asarray(values, dtype=float))
    half = (row.get("ci95_high", np.nan) - row["mean"]) if row["n"] >= 2 else np.nan
    return row["mean"], half


def error_rates_figure(participants: pd.DataFrame):
    from attentionlab.core import figures as fig_helpers

    fig, ax = fig_helpers.new_axes()
    people = per_participant(participants, RATES) if len(participants) else participants
    measures = [("feature_rate", "feature\nerrors"), ("conjunction_rate", "illusory\nconjunctions"),
                ("conjunction_chance_rate", "conjunctions\nexpected by\nchance"),
                ("letter_error_rate", "letter\nerrors")]
    data = people[[m for m, _ in measures]].astype(float).dropna() if len(people) else None
    if data is None or data.empty:
        return fig_helpers.empty(fig, ax, "no participant with reports")
    x = np.arange(len(measures))
    for row in data.to_numpy():  # one grey line per participant: feature -> conjunction
        ax.plot(x[:2], row[:2], color="0.75", linewidth=0.8, zorder=1)
    for i, (measure, _) in enumerate(measures):
        mean, half = _mean_ci(data[measure])
        ax.bar(i, mean, color=("#c44e52" if measure == "conjunction_rate" else "#8c8c8c"),
               width=0.6, zorder=0)
        if not np.isnan(half):
            ax.errorbar(i, mean, yerr=half, color="black", capsize=4, zorder=2)
    ax.set_xticks(x, [label for _, label in measures])
    fig_helpers.categorical(ax.xaxis, "Kind of report")
    ax.set_ylabel("Proportion of reports")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Mean, {fig_helpers.ci_words(len(data))}; "
                 f"n = {fig_helpers.count(len(data), 'participant')}")
    return fig


def published_figure(participants: pd.DataFrame):
    from attentionlab.core import figures as fig_helpers

    fig, ax = fig_helpers.new_axes()
    people = per_participant(participants, RATES) if len(participants) else participants
    measures = [("conjunction_trial_rate", "≥1 illusory\nconjunction"),
                ("feature_trial_rate", "≥1 feature\nerror")]
    if not len(people) or people["conjunction_trial_rate"].dropna().empty:
        return fig_helpers.empty(fig, ax, "no participant with analysed trials")
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
    for i, (measure, _) in enumerate(measures):
        values = people[measure].astype(float).dropna().to_numpy()
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(values)), values, s=10, color="0.6",
                   zorder=1)
        mean, half = _mean_ci(values)
        ax.errorbar(i, mean, yerr=None if np.isnan(half) else half, fmt="o", color="black",
                    capsize=5, zorder=2)
    ax.axhline(PUBLISHED_CONJUNCTION_TRIALS, xmin=0.05, xmax=0.45, color="#c44e52",
               linestyle="--", label="Treisman & Schmidt (1982): 18%")
    ax.set_xticks([0, 1], [label for _, label in measures])
    ax.set_xlim(-0.6, 1.6)
    fig_helpers.categorical(ax.xaxis, "Trials with")
    ax.set_ylabel("Proportion of trials")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right")
    ax.set_ylim(0, max(ax.get_ylim()[1], PUBLISHED_CONJUNCTION_TRIALS) * 1.25)  # legend room
    n = int(people["conjunction_trial_rate"].notna().sum())
    ax.set_title(f"Mean, {fig_helpers.ci_words(n)}; n = {fig_helpers.count(n, 'participant')}")
    return fig


# -- words ---------------------------------------------------------------------------------
def methods_paragraph(result) -> str:
    """The conjunctions part of the methods paragraph."""
    group = result.group
    text = ["Each letter report was scored as correct (a shown letter in its colour), a "
            "feature error (a shown letter in a colour not in the display), an illusory "
            "conjunction (a shown letter in the colour of another shown letter) or a "
            "letter error (a letter not shown); only trials with both digits reported "
            "correctly were analysed. Rates are proportions of reports per participant "
            "(sessions averaged). Conjunctions expected by guessing were estimated from "
            "the feature errors as feature errors x (n - 1) / (K - n), with n = 3 colours "
            "shown and K colours offered."]
    conj, feat = (group_row(group, "descriptive", m)
                  for m in ("conjunction_rate", "feature_rate"))
    if conj is not None and feat is not None and conj["n"] > 0:
        text.append(f"Illusory conjunctions made up M = {conj['mean']:.3f} of the reports "
                    f"and feature errors M = {feat['mean']:.3f} (n = {conj['n']:.0f}).")
    paired = group_row(group, "paired_t_test", "conjunction_rate - feature_rate")
    if paired is not None and not np.isnan(paired["t"]):
        text.append("Illusory conjunctions minus feature errors (paired t-test, default "
                    f"Bayesian t-test with a JZS prior, r = 0.707): "
                    f"{apa_t(paired, unit='', digits=3)}.")
    corrected = group_row(group, "t_test", "conjunction_corrected")
    if corrected is not None and not np.isnan(corrected["t"]):
        text.append(f"Conjunctions beyond guessing: {apa_t(corrected, unit='', digits=3)}.")
    published = group_row(group, "published", "conjunction_trial_rate")
    if published is not None and published["n"] > 0:
        ci = ("" if np.isnan(published["ci95_low"]) else
              f" (95% CI [{published['ci95_low']:.3f}, {published['ci95_high']:.3f}])")
        text.append(f"Trials with at least one illusory conjunction: "
                    f"{published['mean']:.3f}{ci}; Treisman and Schmidt (1982) reported "
                    f"about {PUBLISHED_CONJUNCTION_TRIALS:.2f}.")
    return " ".join(text)


def headline(result) -> list:
    """``Illusory conjunctions: 0.064 of reports vs feature errors 0.020 (p < .001)``."""
    group = result.group
    conj = group_row(group, "descriptive", "conjunction_rate")
    feat = group_row(group, "descriptive", "feature_rate")
    if conj is None or feat is None or not conj["n"] > 0:
        return []
    paired = group_row(group, "paired_t_test", "conjunction_rate - feature_rate")
    p = "" if paired is None or np.isnan(paired["p"]) else f" (paired {format_p(paired['p'])})"
    lines = [f"Illusory conjunctions: {conj['mean']:.3f} of reports vs feature errors "
             f"{feat['mean']:.3f}{p}, n = {conj['n']:.0f}"]
    trials = group_row(group, "published", "conjunction_trial_rate")
    if trials is not None:
        lines.append(f"Trials with an illusory conjunction: {trials['mean']:.3f} "
                     f"(Treisman & Schmidt 1982: about {PUBLISHED_CONJUNCTION_TRIALS:.2f})")
    return lines


def notices(result) -> list:
    """What needs more participants; no analysable trial."""
    from attentionlab.analysis.notices import one_participant

    lines = one_participant(result, (
        "the t-tests (illusory conjunctions against feature errors, and beyond guessing) "
        "and the 95% CIs of the rates need at least 2 participants; the rates shown are "
        "this participant's"))
    unused = result.participants[result.participants["n_used"] == 0]
    if len(unused):
        lines.append(f"{len(unused)} participant x session(s) have no trial with both digits "
                     f"reported correctly, so no rates (trials with a digit error are not "
                     f"analysed).")
    return lines
