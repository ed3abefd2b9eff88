"""Flicker (change blindness) statistics: time to detect a change as
survival data, localisation and false alarms.

A trial that reached the timeout without a key press is *censored*: we
know only that detection would have taken longer than the time watched.
Averaging such trials as if they were detections (or dropping them) biases
the result, so detection times are summarised with Kaplan-Meier curves and
medians, and conditions compared with a log-rank test and a Cox model, both
stratified by participant (each person is compared with themselves, since
people differ a lot in speed). The survival statistics come from
statsmodels (``SurvfuncRight``, ``survdiff``, ``PHReg``).

Which trials answer which question: central vs marginal interest uses the
trials **with** the blank (without it every change pops out); blank vs
no-blank uses all trials.

Every function takes a long-format DataFrame with one row per trial in our
column names (``participant, session, interest, blank_condition,
detection_time_ms, timed_out``; ``alternations, localized, false_alarm``
where used; ``phase``: only ``test`` rows are analysed).

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1", "interest": "central",
...     "blank_condition": "blank", "change_kind": "colour",
...     "detection_time_ms": [2000.0, 3000.0, 4000.0, 5000.0, 6000.0, 7000.0],
...     "timed_out": [0, 1, 0, 0, 1, 0]})
>>> km_medians(d, by=("interest",))[["interest", "n_trials", "n_censored", "median_ms"]]
  interest  n_trials  n_censored  median_ms
0  central         6           2     5000.0
"""

import warnings

import numpy as np
import pandas as pd

from attentionlab.analysis.registry import Factor, Table, pick_rows
from attentionlab.analysis.statistics import exact_proportion_ci, format_p
from attentionlab.analysis.trials import UNIT, only_test_rows, with_session
from attentionlab.core.columns import Column

TASK = "flicker"
TITLE = "Flicker (change blindness) analysis"
INTERESTS = ("central", "marginal")
BLANKS = ("blank", "no_blank")
KINDS = ("removed", "colour", "moved")
FACTORS = (Factor("interest", levels=INTERESTS), Factor("blank_condition", levels=BLANKS),
           Factor("change_kind", levels=KINDS))
REQUIRED_COLUMNS = ("participant", "interest", "blank_condition", "change_kind",
                    "detection_time_ms", "timed_out")
READ_COLUMNS = ("detection_time_ms", "alternations", "timed_out", "localized",
                "false_alarm", "pair", "phase_timing_deviations")
RT_CLEANING = False  # detection times are survival data: nothing is trimmed
CONFIDENCE = 0.95

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label"),
    Column("n_trials", "int", "test trials"),
    Column("n_timed_out", "int", "test trials that reached the timeout (censored)"),
    Column("median_central_ms", "float",
           "Kaplan-Meier median detection time, central changes with blank, ms (empty "
           "when fewer than half were found)"),
    Column("median_marginal_ms", "float",
           "Kaplan-Meier median detection time, marginal changes with blank, ms"),
    Column("median_no_blank_ms", "float",
           "Kaplan-Meier median detection time without the blank, ms"),
    Column("localized_rate", "float",
           "proportion of key presses followed by a click on the change"),
    Column("false_alarms", "int", "key presses followed by a click off the change"),
)

GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str",
           "kind of row: km_median, logrank, cox, localisation, false_alarms"),
    Column("condition", "str",
           "the condition (e.g. 'central, blank') or comparison (e.g. 'marginal vs "
           "central (blank trials)')"),
    Column("n_trials", "int", "trials in the row"),
    Column("n_detected", "int", "trials with a key press"),
    Column("n_censored", "int", "trials that reached the timeout"),
    Column("median_ms", "float", "Kaplan-Meier median detection time, ms"),
    Column("median_ci_low_ms", "float", "lower 95% limit of the median (log-log)"),
    Column("median_ci_high_ms", "float", "upper 95% limit of the median (empty: not reached)"),
    Column("median_alternations", "float",
           "Kaplan-Meier median number of alternations (cycles) to detection"),
    Column("detected_by_timeout", "float",
           "Kaplan-Meier proportion of changes found before the timeout (1 - S(timeout))"),
    Column("statistic", "float", "log-rank chi-square, or Cox Wald z"),
    Column("df", "int", "degrees of freedom of the log-rank chi-square"),
    Column("p", "float", "p value (two-sided)"),
    Column("hazard_ratio", "float",
           "Cox hazard ratio of detection (above 1: found sooner than the reference)"),
    Column("hr_ci_low", "float", "lower 95% limit of the hazard ratio"),
    Column("hr_ci_high", "float", "upper 95% limit of the hazard ratio"),
    Column("proportion", "float",
           "localisation: proportion of presses followed by a click on the change; "
           "false_alarms: proportion followed by a click off it"),
    Column("proportion_ci_low", "float", "exact (Clopper-Pearson) 95% lower limit"),
    Column("proportion_ci_high", "float", "exact (Clopper-Pearson) 95% upper limit"),
)

REFERENCES = (
    "Rensink, R. A., O'Regan, J. K., & Clark, J. J. (1997). To see or not to see: The "
    "need for attention to perceive changes in scenes. Psychological Science, 8, 368-373.",
    "Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete "
    "observations. Journal of the American Statistical Association, 53, 457-481.",
    "Cox, D. R. (1972). Regression models and life-tables. Journal of the Royal "
    "Statistical Society B, 34, 187-220.",
    "Seabold, S., & Perktold, J. (2010). statsmodels: Econometric and statistical modeling "
    "with Python. Proceedings of the 9th Python in Science Conference.",
)
FIGURE_CAPTIONS = {
    "km_interest": "Kaplan-Meier curves: proportion of changes not yet found over time, "
                   "central vs marginal (trials with the blank), and without the blank, "
                   "with pointwise 95% confidence bands (Greenwood variance, log-log "
                   "scale; trials pooled over participants). Censored trials (timeouts) "
                   "are marked with +.",
}


def _events(data):
    time = pd.to_numeric(data["detection_time_ms"], errors="coerce").to_numpy(float)
    status = 1 - pd.to_numeric(data["timed_out"], errors="coerce").to_numpy(float)
    ok = np.isfinite(time) & np.isfinite(status)
    return time[ok], status[ok].astype(int), ok


def kaplan_meier(time, status):
    """The Kaplan-Meier fit of ``time`` (ms) with ``status`` 1 = detected,
    0 = censored (statsmodels ``SurvfuncRight``)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    return SurvfuncRight(np.asarray(time, float), np.asarray(status, int))


def _median(time, status):
    """(median, CI low, CI high) of a Kaplan-Meier fit; NaN where not reached."""
    if len(time) == 0 or status.sum() == 0:
        return np.nan, np.nan, np.nan
    fit = kaplan_meier(time, status)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = fit.quantile(0.5)
        try:
            low, high = fit.quantile_ci(0.5, alpha=1 - CONFIDENCE, method="cloglog")
        except (ValueError, ZeroDivisionError, FloatingPointError):
            low, high = np.nan, np.nan
    clean = [float(v) if np.isfinite(v) else np.nan for v in (median, low, high)]
    return tuple(clean)


def km_medians(data: pd.DataFrame, by=("interest", "blank_condition")) -> pd.DataFrame:
    """Kaplan-Meier summary per condition: ``n_trials, n_detected,
    n_censored, median_ms, median_ci_low_ms, median_ci_high_ms,
    median_alternations, detected_by_timeout``. Timeouts are censored at
    the time watched."""
    data = only_test_rows(data)
    rows = []
    for key, cell in data.groupby(list(by), sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        time, status, ok = _events(cell)
        median, low, high = _median(time, status)
        row = dict(zip(by, key))
        row.update(n_trials=len(time), n_detected=int(status.sum()),
                   n_censored=int(len(time) - status.sum()), median_ms=median,
                   median_ci_low_ms=low, median_ci_high_ms=high)
        if "alternations" in cell:
            alt = pd.to_numeric(cell["alternations"], errors="coerce").to_numpy(float)[ok]
            good = np.isfinite(alt)
            row["median_alternations"] = _median(alt[good], status[good])[0]
        row["detected_by_timeout"] = (1 - float(kaplan_meier(time, status).surv_prob[-1])
                                      if status.sum() else 0.0)
        rows.append(row)
    return pd.DataFrame(rows)


def km_curve(data: pd.DataFrame) -> pd.DataFrame:
    """The Kaplan-Meier step curve of ``data``: ``time_ms, survival`` (the
    proportion of changes not yet found), starting at (0, 1)."""
    time, status, _ = _events(only_test_rows(data))
    if status.sum() == 0:
        return pd.DataFrame({"time_ms": [0.0, float(time.max()) if len(time) else 0.0],
                             "survival": [1.0, 1.0]})
    fit = kaplan_meier(time, status)
    return pd.DataFrame({"time_ms": np.r_[0.0, fit.surv_times],
                         "survival": np.r_[1.0, fit.surv_prob]})


def km_band(data: pd.DataFrame, level: float = CONFIDENCE) -> pd.DataFrame:
    """:func:`km_curve` with its pointwise confidence band: ``time_ms,
    survival, ci_low, ci_high``.

    The variance is Greenwood's (statsmodels' ``surv_prob_se``); the interval
    is built on the log(-log S) scale so that it stays inside 0-1 (as R's
    ``survfit(conf.type = "log-log")``). Hand-written transform: statsmodels
    gives pointwise intervals only for quantiles, and its Hall-Wellner band
    is simultaneous, not pointwise. Trials are pooled over participants.

    >>> d = pd.DataFrame({"detection_time_ms": [100.0, 200, 300, 400, 500],
    ...                   "timed_out": 0, "phase": "test"})
    >>> km_band(d).round(4).iloc[1].tolist()
    [100.0, 0.8, 0.2038, 0.9692]
    """
    from scipy.stats import norm

    curve = km_curve(data)
    time, status, _ = _events(only_test_rows(data))
    low = high = curve["survival"].to_numpy(float)
    if status.sum():
        fit = kaplan_meier(time, status)
        s, se = fit.surv_prob, fit.surv_prob_se
        z = norm.ppf(0.5 + level / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            half = z * se / (s * np.abs(np.log(s)))
            inside = (s > 0) & (s < 1) & np.isfinite(half)
            low = np.where(inside, s ** np.exp(half), s)
            high = np.where(inside, s ** np.exp(-half), s)
        low, high = np.r_[1.0, low], np.r_[1.0, high]
    return curve.assign(ci_low=low, ci_high=high)


def logrank(data: pd.DataFrame, factor: str, levels, strata: str | None = "participant"):
    """Log-rank test of detection times between two ``levels`` of ``factor``,
    stratified by ``strata`` (None: pooled). Returns a dict with
    ``statistic`` (chi-square), ``df`` (1), ``p``, ``n_trials``."""
    from statsmodels.duration.survfunc import survdiff

    data = only_test_rows(data)
    data = data[data[factor].isin(levels)]
    time, status, ok = _events(data)
    group = (data[factor].to_numpy()[ok] == levels[1]).astype(int)
    out = {"statistic": np.nan, "df": 1, "p": np.nan, "n_trials": int(len(time))}
    if len(set(group)) < 2 or status.sum() == 0:
        return out
    kwargs = {}
    if strata:
        keys = data[list(UNIT) if strata == "participant" and "session" in data
                    else [strata]].astype(str).agg("/".join, axis=1).to_numpy()[ok]
        kwargs["strata"] = pd.factorize(keys)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            chi2, p = survdiff(time, status, group, **kwargs)
        except np.linalg.LinAlgError:
            # No variance to test against: e.g. a class of a few browser trials
            # where no participant has an event at risk in both levels (the
            # stratified variance is 0). Not computable, not an error.
            return out
    out.update(statistic=float(chi2), p=float(p))
    return out


def cox(data: pd.DataFrame, factor: str, levels, strata: str | None = "participant"):
    """Cox proportional-hazards model of detection with one indicator
    (``levels[1]`` vs the reference ``levels[0]``), stratified by
    participant (Efron ties). Returns ``hazard_ratio, hr_ci_low, hr_ci_high,
    statistic`` (Wald z), ``p``, ``n_trials``. A hazard ratio below 1 means
    ``levels[1]`` changes are found later."""
    from statsmodels.duration.hazard_regression import PHReg

    data = only_test_rows(data)
    data = data[data[factor].isin(levels)]
    time, status, ok = _events(data)
    x = (data[factor].to_numpy()[ok] == levels[1]).astype(float)
    out = {"hazard_ratio": np.nan, "hr_ci_low": np.nan, "hr_ci_high": np.nan,
           "statistic": np.nan, "p": np.nan, "n_trials": int(len(time))}
    if len(set(x)) < 2 or status.sum() < 2:
        return out
    kwargs = {}
    if strata:
        keys = data[list(UNIT) if strata == "participant" and "session" in data
                    else [strata]].astype(str).agg("/".join, axis=1).to_numpy()[ok]
        kwargs["strata"] = keys
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = PHReg(time, x[:, None], status=status, ties="efron", **kwargs).fit()
            beta, se = float(fit.params[0]), float(fit.bse[0])
        except np.linalg.LinAlgError:  # no information on the factor within any stratum
            return out
    if not (np.isfinite(beta) and np.isfinite(se) and se > 0):
        return out
    z = 1.959963984540054
    with np.errstate(over="ignore", under="ignore"):
        low, high = float(np.exp(beta - z * se)), float(np.exp(beta + z * se))
    if not (np.isfinite(high) and low > 0):
        # No finite estimate: e.g. every change of one condition found before any
        # of the other's (few trials, one participant); the fit then runs off to
        # an arbitrary huge hazard ratio with a CI of [0, inf]. Left empty.
        return out
    out.update(hazard_ratio=float(np.exp(beta)), hr_ci_low=low, hr_ci_high=high,
               statistic=beta / se, p=float(fit.pvalues[0]))
    return out


# The exact (Clopper-Pearson) CI of a proportion, under the name this module
# has always offered (docs/tasks/flicker.md); the one implementation is in
# statistics.py.
exact_ci = exact_proportion_ci


def localisation(data: pd.DataFrame, by=("interest", "blank_condition")) -> pd.DataFrame:
    """Per condition, among trials with a key press: ``n_detected``,
    ``localized`` (clicks on the change), ``proportion`` with its exact CI,
    and ``false_alarms`` (presses followed by a click off the change)."""
    data = only_test_rows(data)
    pressed = data[pd.to_numeric(data["timed_out"], errors="coerce") == 0]
    rows = []
    for key, cell in pressed.groupby(list(by), sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        hits = pd.to_numeric(cell["localized"], errors="coerce").fillna(0)
        n, k = len(cell), int(hits.sum())
        low, high = exact_proportion_ci(k, n)
        rows.append({**dict(zip(by, key)), "n_detected": n, "localized": k,
                     "false_alarms": n - k, "proportion": k / n if n else np.nan,
                     "proportion_ci_low": low, "proportion_ci_high": high})
    return pd.DataFrame(rows)


# -- the analysis contract -------------------------------------------------------
def participant_effects(test: pd.DataFrame, *, used=None, settings=None) -> pd.DataFrame:
    """participants.csv: per participant x session, Kaplan-Meier medians by
    condition, localisation rate and false alarms (:data:`PARTICIPANT_COLUMNS`)."""
    test = with_session(only_test_rows(test))
    rows = []
    for (participant, session), d in test.groupby(list(UNIT), sort=True, observed=True):
        blank = d[d["blank_condition"] == "blank"]
        timed_out = pd.to_numeric(d["timed_out"], errors="coerce")
        pressed = d[timed_out == 0]
        hits = pd.to_numeric(pressed.get("localized", pd.Series(dtype=float)),
                             errors="coerce").fillna(0)
        rows.append({
            "participant": participant, "session": session, "n_trials": len(d),
            "n_timed_out": int((timed_out == 1).sum()),
            "median_central_ms": _median(*_events(blank[blank["interest"] == "central"])[:2])[0],
            "median_marginal_ms": _median(*_events(blank[blank["interest"] == "marginal"])[:2])[0],
            "median_no_blank_ms": _median(*_events(d[d["blank_condition"] == "no_blank"])[:2])[0],
            "localized_rate": float(hits.mean()) if len(pressed) else np.nan,
            "false_alarms": int(len(pressed) - hits.sum()),
        })
    return pd.DataFrame(rows, columns=[c.name for c in PARTICIPANT_COLUMNS])


def group_results(participants, used, test, settings) -> pd.DataFrame:
    """group.csv: Kaplan-Meier medians per condition, log-rank and Cox
    comparisons (marginal vs central on blank trials; no_blank vs blank on
    all trials), localisation and false alarms, over all included trials."""
    trials = only_test_rows(used)
    rows = []
    for _, r in km_medians(trials).iterrows():
        rows.append({"test": "km_median",
                     "condition": f"{r['interest']}, {r['blank_condition']}",
                     **{k: r.get(k) for k in ("n_trials", "n_detected", "n_censored",
                                              "median_ms", "median_ci_low_ms",
                                              "median_ci_high_ms", "median_alternations",
                                              "detected_by_timeout")}})
    blank = trials[trials["blank_condition"] == "blank"]
    comparisons = (("marginal vs central (blank trials)", blank, "interest", INTERESTS),
                   ("no_blank vs blank (all trials)", trials, "blank_condition", BLANKS))
    for label, data, factor, levels in comparisons:
        rows.append({"test": "logrank", "condition": label,
                     **logrank(data, factor, levels)})
        rows.append({"test": "cox", "condition": label, **cox(data, factor, levels)})
    for _, r in localisation(trials, by=("interest", "blank_condition")).iterrows():
        condition = f"{r['interest']}, {r['blank_condition']}"
        rows.append({"test": "localisation", "condition": condition,
                     "n_detected": r["n_detected"], "proportion": r["proportion"],
                     "proportion_ci_low": r["proportion_ci_low"],
                     "proportion_ci_high": r["proportion_ci_high"]})
    pressed = trials[pd.to_numeric(trials["timed_out"], errors="coerce") == 0]
    hits = pd.to_numeric(pressed["localized"], errors="coerce").fillna(0) \
        if "localized" in pressed else pd.Series(dtype=float)
    n, fa = len(pressed), int(len(pressed) - hits.sum())
    low, high = exact_proportion_ci(fa, n)
    rows.append({"test": "false_alarms", "condition": "all presses", "n_detected": n,
                 "proportion": fa / n if n else np.nan, "proportion_ci_low": low,
                 "proportion_ci_high": high})
    return pd.DataFrame(rows, columns=[c.name for c in GROUP_COLUMNS])


def figures(participants, used) -> dict:
    """One figure: Kaplan-Meier curves by condition with pointwise 95% bands."""
    from attentionlab.core.figures import styled

    return {"km_interest": styled(km_figure)(used)}


def km_figure(used):
    """Kaplan-Meier curves (central / marginal with the blank, no blank),
    each with its Greenwood log-log 95% band (:func:`km_band`) and censored
    trials marked +; counts in trials, the title in participants."""
    from attentionlab.core.figures import count, empty, new_axes

    fig, ax = new_axes()
    trials = only_test_rows(used)
    if trials.empty:
        return empty(fig, ax, "no trials")
    cells = [("central, blank", (trials["interest"] == "central")
              & (trials["blank_condition"] == "blank"), "#1f77b4"),
             ("marginal, blank", (trials["interest"] == "marginal")
              & (trials["blank_condition"] == "blank"), "#d62728"),
             ("no blank", trials["blank_condition"] == "no_blank", "#7f7f7f")]
    for label, mask, colour in cells:
        cell = trials[mask.to_numpy(dtype=bool)]
        if cell.empty:
            continue
        curve = km_band(cell)
        seconds = curve["time_ms"] / 1000
        ax.fill_between(seconds, curve["ci_low"], curve["ci_high"], step="post",
                        color=colour, alpha=0.2, linewidth=0)
        ax.step(seconds, curve["survival"], where="post", color=colour,
                label=f"{label} ({count(len(cell), 'trial')})")
        time, status, _ = _events(cell)
        censored = time[status == 0]
        if len(censored):
            fit_times = curve["time_ms"].to_numpy()
            level = [curve["survival"].to_numpy()[np.searchsorted(fit_times, t, "right") - 1]
                     for t in censored]
            ax.plot(censored / 1000, level, "+", color=colour, markersize=6)
    ax.set_xlabel("Time since the first image (s)")
    ax.set_ylabel("Proportion of changes not yet found")
    ax.set_ylim(-0.02, 1.02)
    people = trials["participant"].nunique() if "participant" in trials else 0
    ax.set_title(f"Pointwise 95% CIs; n = {count(people, 'participant')}")
    ax.legend()
    return fig


def _row(group, test, condition_start):
    rows = group[(group["test"] == test) & group["condition"].str.startswith(condition_start)]
    return rows.iloc[0] if len(rows) else None


def _ms(value):
    return "not reached" if value is None or not np.isfinite(value) else f"{value / 1000:.1f} s"


def methods_paragraph(result) -> str:
    g = result.group
    central, marginal = _row(g, "km_median", "central, blank"), _row(g, "km_median",
                                                                     "marginal, blank")
    lr, cx = _row(g, "logrank", "marginal vs central"), _row(g, "cox", "marginal vs central")
    text = ("Detection times were treated as survival data: trials that reached the "
            "timeout were censored at the time watched. Kaplan-Meier medians (95% CI, "
            "log-log) were computed per condition, and central and marginal changes "
            "(trials with the blank) compared with a log-rank test and a Cox "
            "proportional-hazards model, both stratified by participant (statsmodels). "
            "Localisation was scored as a click within the stated tolerance of the "
            "change region; proportions have exact (Clopper-Pearson) 95% CIs.")
    if central is not None and marginal is not None:
        text += (f" Median time to find a change was {_ms(central['median_ms'])} for "
                 f"central and {_ms(marginal['median_ms'])} for marginal changes")
        if lr is not None and np.isfinite(lr["statistic"]):
            text += f" (log-rank chi2(1) = {lr['statistic']:.2f}, {format_p(lr['p'])}"
            if cx is not None and np.isfinite(cx["hazard_ratio"]):
                text += (f"; hazard ratio marginal/central = {cx['hazard_ratio']:.2f}, "
                         f"95% CI [{cx['hr_ci_low']:.2f}, {cx['hr_ci_high']:.2f}]")
            text += ")"
        text += "."
    return text


def headline(result) -> list:
    g = result.group
    lines = []
    for _, r in g[g["test"] == "km_median"].iterrows():
        lines.append(f"median detection {r['condition']}: {_ms(r['median_ms'])} "
                     f"({int(r['n_censored'])} of {int(r['n_trials'])} timed out)")
    for _, r in g[g["test"] == "cox"].iterrows():
        if np.isfinite(r["hazard_ratio"]):
            lines.append(f"{r['condition']}: hazard ratio {r['hazard_ratio']:.2f} "
                         f"[{r['hr_ci_low']:.2f}, {r['hr_ci_high']:.2f}], {format_p(r['p'])}")
    fa = _row(g, "false_alarms", "all presses")
    if fa is not None and np.isfinite(fa["proportion"]):
        lines.append(f"false alarms: {fa['proportion']:.1%} of key presses")
    return lines


def report_tables(group: pd.DataFrame) -> list:
    """The report's tables: medians, comparisons, localisation."""
    return [
        Table("Kaplan-Meier medians (timeouts censored)",
              pick_rows(group, ["km_median"], ["condition", "n_trials", "n_detected", "n_censored",
                                   "median_ms", "median_ci_low_ms", "median_ci_high_ms",
                                   "median_alternations", "detected_by_timeout"])),
        Table("Comparisons (stratified by participant)",
              pick_rows(group, ["logrank", "cox"], ["condition", "statistic", "df", "p", "hazard_ratio",
                                        "hr_ci_low", "hr_ci_high"])),
        Table("Localisation and false alarms (trials with a key press)",
              pick_rows(group, ["localisation", "false_alarms"], ["condition", "n_detected",
                                                      "proportion", "proportion_ci_low",
                                                      "proportion_ci_high"])),
    ]


def notices(result) -> list:
    """One participant; comparisons a missing condition or too few trials left empty."""
    from attentionlab.analysis.notices import absent_levels, one_participant

    lines = one_participant(result, (
        "the medians and the log-rank and Cox comparisons use this participant's trials "
        "only, so they describe this person, not people in general"))
    test = result.test
    blank = test[test["blank_condition"] == "blank"]
    for label, data, factor, levels in (
            ("marginal vs central (blank trials)", blank, "interest", INTERESTS),
            ("no_blank vs blank (all trials)", test, "blank_condition", BLANKS)):
        absent = absent_levels(data, factor, levels)
        if absent:
            lines.append(f"{label} not compared: no {' or '.join(absent)} trials.")
            continue
        row = _row(result.group, "cox", label)
        if row is not None and not np.isfinite(row["hazard_ratio"]):
            lines.append(f"{label}: no hazard ratio could be estimated (too few trials or "
                         f"detections, or every change of one condition found before any "
                         f"of the other's); more trials or participants are needed.")
    return lines
