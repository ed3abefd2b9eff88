"""Statistics and their wording, shared by the task analyses.

* :func:`t_test_row`: a one-sample t-test against 0 (or of paired
  differences) as a dict of group.csv cells: ``n, mean, sd, ci95_low,
  ci95_high, t, df, p, dz, bf10`` (scipy for t/p/CI, pingouin for BF10);
* :func:`per_participant`: average each participant's sessions, so that
  every person counts once in a group test;
* :func:`format_p`, :func:`format_bf`, :func:`apa_t`: numbers as a methods
  paragraph writes them;
* :func:`natural_order`: rows sorted by labels as people read them.

>>> row = t_test_row([1.0, 2.0, 3.0, 4.0])
>>> [round(float(row[k]), 3) for k in ("mean", "df", "t", "dz")]
[2.5, 3.0, 3.873, 1.936]
>>> format_p(0.0004), format_p(0.0312)
('p < .001', 'p = .031')
"""

import math
import re

import numpy as np
import pandas as pd

T_TEST_KEYS = ("n", "mean", "sd", "ci95_low", "ci95_high", "t", "df", "p", "dz", "bf10")


def t_test_row(values) -> dict:
    """One-sample t-test of ``values`` against 0 (NaNs left out).

    ``n`` and ``mean`` are always given; ``sd`` from two values on; the test
    (t, df, two-sided p, 95% CI of the mean from :func:`scipy.stats.
    ttest_1samp`; dz = mean / SD; BF10 from :func:`pingouin.bayesfactor_ttest`,
    JZS prior with r = 0.707) only when the SD is above 0. For a paired
    comparison pass the differences.
    """
    from scipy import stats
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    row = {key: np.nan for key in T_TEST_KEYS}
    row.update(n=len(x), mean=x.mean() if len(x) else np.nan)
    if len(x) >= 2:
        sd = x.std(ddof=1)
        row["sd"] = sd
        if sd > 0:
            res = stats.ttest_1samp(x, 0.0)
            ci = res.confidence_interval(0.95)
            row.update(t=res.statistic, df=res.df, p=res.pvalue, dz=x.mean() / sd,
                       ci95_low=ci.low, ci95_high=ci.high,
                       bf10=float(pingouin().bayesfactor_ttest(res.statistic, len(x))))
    return row


def mean_ci_row(values) -> dict:
    """Mean, SD and t-based 95% CI of ``values`` (NaNs left out), without a
    test: for descriptive rows (rates, intercepts)."""
    from scipy import stats
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    row = {"n": len(x), "mean": x.mean() if len(x) else np.nan}
    if len(x) >= 2:
        sd = x.std(ddof=1)
        half = stats.t.ppf(0.975, len(x) - 1) * sd / np.sqrt(len(x))
        row.update(sd=sd, ci95_low=row["mean"] - half, ci95_high=row["mean"] + half)
    return row


def per_participant(participants: pd.DataFrame, numeric, by=()) -> pd.DataFrame:
    """``participants`` rows averaged over each participant's sessions
    (within the ``by`` columns, e.g. conditions of a long table), so that
    every person counts once in the group tests."""
    keys = ["participant", *by]
    if not participants.duplicated(keys).any():
        return participants[[*keys, *numeric]].reset_index(drop=True)
    return (participants.groupby(keys, sort=False, observed=True)[list(numeric)].mean()
            .reset_index())


def natural_order(frame: pd.DataFrame, columns) -> np.ndarray:
    """Positions that sort ``frame`` by ``columns`` as people read labels:
    numbers inside labels compared as numbers (P2 before P10).

    >>> natural_order(pd.DataFrame({"p": ["P10", "P2", "P1"]}), ["p"]).tolist()
    [2, 1, 0]
    """
    def key(text):
        return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                     for part in re.split(r"(\d+)", str(text)) if part)
    keys = [tuple(key(v) for v in values)
            for values in zip(*(frame[c] for c in columns))]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=int)


def format_p(p) -> str:
    """``p = .031``, ``p < .001``, or ``p not available``."""
    if p is None or math.isnan(p):
        return "p not available"
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)


def format_bf(bf) -> str:
    """A Bayes factor: 2 decimals, or scientific notation when very large or small."""
    if bf is None or math.isnan(bf):
        return "n/a"
    return f"{bf:.2e}" if bf >= 1000 or bf < 0.01 else f"{bf:.2f}"


def apa_t(row, unit: str = " ms", digits: int = 1) -> str:
    """``M = 65.0 ms (SD = ..., 95% CI [...]), t(120) = ..., p ..., dz = ..., BF10 = ...``
    from a :func:`t_test_row`-like mapping (with ``mean, sd, ci95_low, ci95_high,
    t, df, p, dz, bf10``)."""
    d = digits
    return (f"M = {row['mean']:.{d}f}{unit} (SD = {row['sd']:.{d}f}, 95% CI "
            f"[{row['ci95_low']:.{d}f}, {row['ci95_high']:.{d}f}]), t({row['df']:.0f}) = "
            f"{row['t']:.2f}, {format_p(row['p'])}, dz = {row['dz']:.2f}, "
            f"BF10 = {format_bf(row['bf10'])}")


def get(row, *names) -> float:
    """A pingouin output value under any of its spellings (they changed
    between releases), NaN when absent."""
    for name in names:
        if name in row.index and pd.notna(row[name]):
            return float(row[name])
    return np.nan


def pingouin():
    """pingouin, imported on first use (it imports matplotlib.pyplot: select
    the non-interactive backend first, this layer has no display)."""
    import matplotlib
    matplotlib.use("Agg")
    import pingouin as module
    return module
