"""The visual-search parts of the report: methods sentences, the command's
headline, the group tables and the references. Works from group.csv alone
(its rows are already in report order).

>>> import pandas as pd
>>> group = pd.DataFrame([
...     {"test": "t_test", "search_type": "feature", "target_present": 1, "n": 8,
...      "mean": 1.2},
...     {"test": "t_test", "search_type": "feature", "target_present": 0, "n": 8,
...      "mean": 2.5},
...     {"test": "t_test", "search_type": "conjunction", "target_present": 1, "n": 8,
...      "mean": 21.84},
...     {"test": "t_test", "search_type": "conjunction", "target_present": 0, "n": 8,
...      "mean": 43.1},
...     {"test": "slope_ratio", "search_type": "feature", "mean": 2.08},
...     {"test": "slope_ratio", "search_type": "conjunction", "mean": 1.97}])
>>> print("\\n".join(slope_lines(group)))
Search slopes (ms/item, mean over participants):
  feature: present 1.2 (n = 8), absent 2.5 (n = 8)
  conjunction: present 21.8 (n = 8), absent 43.1 (n = 8); absent:present 1.97
"""

import numpy as np
import pandas as pd

from attentionlab.analysis.registry import Table
from attentionlab.analysis.statistics import COUSINEAU_2005, MOREY_2008, ROUDER_2009, apa_t

REFERENCES = (
    COUSINEAU_2005,
    MOREY_2008,
    ROUDER_2009,
    "Treisman, A. M., & Gelade, G. (1980). A feature-integration theory of attention. "
    "Cognitive Psychology, 12(1), 97-136.",
    "Wolfe, J. M. (1998). What can 1 million trials tell us about visual search? "
    "Psychological Science, 9(1), 33-39.",
)
FIGURE_CAPTIONS = {
    "rt_by_set_size": "Mean correct RT by set size per search type and target presence, "
                      "with within-participant 95% CIs (Cousineau-Morey); lines: the "
                      "fitted slopes (participants' mean intercept and slope)",
    "slopes": "Each participant's search slope per condition, with the mean and its 95% "
              "CI (black)"}
WORDS = {1: "present", 0: "absent"}
# The absent:present ratio tests serial self-terminating search (about 2); in
# feature (pop-out) search both slopes are near 0 and their ratio is noise
# (docs/analysis.md, group.csv): it is not printed nor put in the methods.
NO_RATIO = ("feature",)


def _rows(group, test):
    return group[group["test"] == test].to_dict("records")


# group.csv's columns without an extra factor: any other column is the
# ``--by`` factor's (search.group_results puts it after search_type)
BASE_COLUMNS = ("test", "measure", "search_type", "target_present", "set_size", "n", "mean",
                "sd", "ci95_low", "ci95_high", "t", "df", "p", "dz", "bf10", "n_resamples")


def factor_column(group: pd.DataFrame):
    """The name of the extra factor's column in ``group`` (``--by``), or None."""
    extra = [c for c in group.columns if c not in BASE_COLUMNS]
    return extra[0] if extra else None


def _kind(row, by):
    """'conjunction', or 'conjunction, reward high' with an extra factor."""
    if by and isinstance(row.get(by), str) and row[by]:
        return f"{row['search_type']}, {by} {row[by]}"
    return row["search_type"]


def _present(row):
    value = row.get("target_present")
    return None if value is None or pd.isna(value) else int(value)


def slope_lines(group: pd.DataFrame) -> list:
    """The slopes per search type, for the command's output."""
    by = factor_column(group)
    slopes = {(_kind(r, by), _present(r)): r for r in _rows(group, "t_test")}
    ratios = {_kind(r, by): r["mean"] for r in _rows(group, "slope_ratio")
              if r["search_type"] not in NO_RATIO}
    if not slopes:
        return []
    lines = ["Search slopes (ms/item, mean over participants):"]
    for kind in dict.fromkeys(k for k, _ in slopes):
        parts = [f"{WORDS[p]} {slopes[(kind, p)]['mean']:.1f} "
                 f"(n = {slopes[(kind, p)]['n']:.0f})" for p in (1, 0) if (kind, p) in slopes]
        ratio = ratios.get(kind)
        tail = f"; absent:present {ratio:.2f}" if ratio is not None and np.isfinite(ratio) else ""
        lines.append(f"  {kind}: {', '.join(parts)}{tail}")
    return lines


def headline(result) -> list:
    """The lines ``attentionlab analyze`` prints for a search analysis."""
    return slope_lines(result.group)


def methods_paragraph(result) -> str:
    """The visual-search part of the methods paragraph, with the results."""
    group = result.group
    by = getattr(result.settings, "by", None)
    cell = (f"search type, {by} (an extra factor) and target presence" if by
            else "search type and target presence")
    if getattr(result.settings, "slopes_from", "means") == "trials":
        line = ("a least-squares line of RT on set size was fitted over the single correct, "
                "cleaned trials (each trial weighted equally, so set sizes with more trials "
                "weigh more)")
    else:
        line = ("the mean RT of the correct, cleaned trials was computed at each set size, "
                "and a least-squares line was fitted through these means (each set size "
                "weighted equally)")
    text = [f"For each participant, session, {cell}, {line}; its slope (ms/item) is the "
            "cost of one more item. Cells with fewer than two set sizes have no line. "
            "Slopes were averaged over a participant's sessions and tested against zero "
            "with one-sample t-tests and default Bayesian t-tests (JZS prior, r = 0.707; "
            "Rouder et al., 2009)" + (f", per level of {by}" if by else "") + "."]
    p = result.participants
    no_line = p[p["slope_ms_per_item"].isna() & (p["n_used"] > 0)]
    if len(no_line):
        text.append(f"{len(no_line)} participant x session x condition cell(s) had correct "
                    f"trials at a single set size only, so no line (left out of the slope "
                    f"statistics).")
    for row in _rows(group, "t_test"):
        if np.isnan(row["t"]):
            continue
        text.append(f"Slope, {_kind(row, by)} search, target {WORDS[_present(row)]} "
                    f"(n = {row['n']:.0f}): {apa_t(row, unit=' ms/item')}.")
    ratios = [r for r in _rows(group, "slope_ratio")
              if np.isfinite(r["mean"]) and r["search_type"] not in NO_RATIO]
    if ratios:
        text.append("The absent:present slope ratio is the mean absent slope divided by the "
                    "mean present slope (participants with both; 95% percentile bootstrap CI "
                    "over participants, "
                    f"{ratios[0]['n_resamples']:.0f} resamples): " + "; ".join(
                        f"{_kind(r, by)} {r['mean']:.2f}"
                        + (f" [{r['ci95_low']:.2f}, {r['ci95_high']:.2f}]"
                           if np.isfinite(r.get("ci95_low", np.nan)) else "")
                        + f" (n = {r['n']:.0f})" for r in ratios) + ".")
    paired = [r for r in _rows(group, "paired_t_test") if not np.isnan(r["t"])]
    if paired:
        text.append("Slopes were compared with paired t-tests (differences as named):")
        for row in paired:
            if row["measure"] == "slope_absent_minus_present_ms_per_item":
                what = f"Absent - present slope, {_kind(row, by)} search"
            elif by and " - " in str(row.get(by)):
                what = (f"Slope {by} {row[by]}, {row['search_type']} search, target "
                        f"{WORDS[_present(row)]}")
            else:
                what = f"Slope {_kind(row, by)}, target {WORDS[_present(row)]}"
            text.append(f"{what} (n = {row['n']:.0f}): {apa_t(row, unit=' ms/item')}.")
    text.append("Error rates are the proportion of all test trials not answered correctly "
                "(wrong key or no response): misses on target-present trials, false alarms "
                "on target-absent trials; they are given per set size in the tables. "
                "Within-participant 95% confidence intervals of the mean RTs follow "
                "Cousineau (2005) with the correction of Morey (2008), computed over the "
                "set sizes of each line.")
    return " ".join(text)


SLOPE_DIGITS = {"n": 0, "mean": 2, "sd": 2, "ci95_low": 2, "ci95_high": 2, "t": 2, "df": 0,
                "dz": 2, "target_present": 0, "set_size": 0}


def report_tables(group: pd.DataFrame) -> list:
    """Slopes, ratios, comparisons, descriptives, error rates and mean RTs."""
    by = factor_column(group)

    def pick(test, columns, title, digits=SLOPE_DIGITS):
        rows = group[group["test"] == test]
        if by:  # the extra factor's column after search_type
            columns = [c for c in columns]
            columns.insert(columns.index("search_type") + 1, by)
        if len(rows):
            tables.append(Table(title, rows[columns], digits))

    tables = []
    t_cols = ["search_type", "target_present", "n", "mean", "sd", "ci95_low", "ci95_high",
              "t", "df", "p", "dz", "bf10"]
    pick("t_test", t_cols, "Search slopes (ms/item) against zero (sessions averaged per "
                           "participant; target_present 1 = present, 0 = absent):")
    pick("slope_ratio", ["search_type", "n", "mean", "ci95_low", "ci95_high", "n_resamples"],
         "Absent:present slope ratio (ratio of mean slopes; 95% percentile bootstrap CI):",
         {"n": 0, "mean": 2, "ci95_low": 2, "ci95_high": 2, "n_resamples": 0})
    pick("paired_t_test", ["measure", *t_cols],
         "Paired comparisons of slopes (ms/item; 'B - A' = B minus A):")
    pick("descriptive", ["measure", "search_type", "target_present", "n", "mean", "sd",
                         "ci95_low", "ci95_high"],
         "Intercepts (ms), r2 and error rates per condition (mean over participants, "
         "t-based 95% CI):", {"n": 0, "target_present": 0})
    rate_cols = ["search_type", "set_size", "n", "mean", "sd", "ci95_low", "ci95_high"]
    rate_digits = {"n": 0, "set_size": 0, "mean": 3, "sd": 3, "ci95_low": 3, "ci95_high": 3}
    pick("miss_rate", rate_cols, "Miss rate (target present, not answered correctly) by "
                                 "set size:", rate_digits)
    pick("false_alarm_rate", rate_cols, "False-alarm rate (target absent, not answered "
                                        "correctly) by set size:", rate_digits)
    pick("mean_rt", ["search_type", "target_present", "set_size", "n", "mean", "sd",
                     "ci95_low", "ci95_high"],
         "Mean correct RT (ms) by set size (the figure's points; CI within participants):",
         {"n": 0, "target_present": 0, "set_size": 0, "mean": 1, "sd": 1, "ci95_low": 1,
          "ci95_high": 1})
    return tables
