"""Statistics and their wording, shared by the task analyses.

* :func:`t_test_row`: a one-sample t-test against 0 (or of paired
  differences) as a dict of group.csv cells: ``n, mean, sd, ci95_low,
  ci95_high, t, df, p, dz, bf10`` (scipy for t/p/CI, pingouin for BF10);
* :func:`mean_ci`, :func:`mean_ci_row`: t-based CI of a mean (scipy);
* :func:`cousineau_morey_ci`: within-participant CIs of condition means
  (Cousineau, 2005; Morey, 2008);
* :func:`exact_proportion_ci`: exact (Clopper-Pearson) CI of k / n (scipy);
* :func:`mcnemar_exact`: exact McNemar test of paired 0/1 outcomes
  (statsmodels);
* :func:`paired_bootstrap_ci`: percentile bootstrap CI of a statistic of
  paired samples, resampling participants (scipy);
* :func:`per_participant`: average each participant's sessions, so that
  every person counts once in a group test;
* :func:`format_p`, :func:`format_bf`, :func:`apa_t`: numbers as a methods
  paragraph writes them;
* :func:`natural_order`: rows sorted by labels as people read them;
* the references of these methods (``COUSINEAU_2005``, ``ROUDER_2009``...),
  as the reports cite them.

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

# The works behind these methods, as the reports cite them (a task's REFERENCES
# names those it uses).
CLOPPER_PEARSON_1934 = (
    "Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits "
    "illustrated in the case of the binomial. Biometrika, 26, 404-413.")
COUSINEAU_2005 = (
    "Cousineau, D. (2005). Confidence intervals in within-subject designs: A simpler "
    "solution to Loftus and Masson's method. Tutorials in Quantitative Methods for "
    "Psychology, 1(1), 42-45.")
MCNEMAR_1947 = (
    "McNemar, Q. (1947). Note on the sampling error of the difference between correlated "
    "proportions or percentages. Psychometrika, 12, 153-157.")
MOREY_2008 = (
    "Morey, R. D. (2008). Confidence intervals from normalized data: A correction to "
    "Cousineau (2005). Tutorials in Quantitative Methods for Psychology, 4(2), 61-64.")
ROUDER_2009 = (
    "Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G. (2009). "
    "Bayesian t tests for accepting and rejecting the null hypothesis. Psychonomic "
    "Bulletin & Review, 16(2), 225-237.")


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


def mean_ci(values, level: float = 0.95) -> tuple[float, float]:
    """t-based CI of the mean of ``values`` (NaNs left out):
    :func:`scipy.stats.t.interval` with n - 1 df and scale SD / sqrt(n).
    (nan, nan) for fewer than two values; (mean, mean) when the SD is 0.

    >>> [round(v, 3) for v in mean_ci([1.0, 2.0, 3.0])]
    [-0.484, 4.484]
    """
    from scipy import stats
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < 2:
        return (np.nan, np.nan)
    mean, sem = float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))
    if sem == 0:  # scipy gives NaN for scale 0; the interval is the point
        return (mean, mean)
    low, high = stats.t.interval(level, len(x) - 1, loc=mean, scale=sem)
    return (float(low), float(high))


def mean_ci_row(values) -> dict:
    """Mean, SD and t-based 95% CI (:func:`mean_ci`) of ``values`` (NaNs
    left out), without a test: for descriptive rows (rates, intercepts)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    row = {"n": len(x), "mean": x.mean() if len(x) else np.nan}
    if len(x) >= 2:
        low, high = mean_ci(x)
        row.update(sd=x.std(ddof=1), ci95_low=low, ci95_high=high)
    return row


def exact_proportion_ci(k: int, n: int, level: float = 0.95,
                        digits: int | None = None) -> tuple[float, float]:
    """Exact (Clopper-Pearson) CI of the proportion ``k / n``, from
    :meth:`scipy.stats.binomtest(k, n).proportion_ci(method="exact")
    <scipy.stats._result_classes.BinomTestResult.proportion_ci>`;
    (nan, nan) for n = 0. ``digits``: round both limits to that many
    decimals (None: not rounded). The one Clopper-Pearson CI of the analyses
    and the class report.

    >>> exact_proportion_ci(5, 10, digits=4)
    (0.1871, 0.8129)
    """
    from scipy.stats import binomtest
    if n <= 0:
        return (np.nan, np.nan)
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="exact")
    low, high = float(ci.low), float(ci.high)
    return (low, high) if digits is None else (round(low, digits), round(high, digits))


def cousineau_morey_ci(wide: pd.DataFrame, level: float = 0.95) -> pd.Series:
    """Half-widths of within-participant CIs for each column (condition).

    ``wide``: one row per participant, one column per condition, complete
    cases. Each participant's scores are centred on their own mean and moved
    to the grand mean (Cousineau, 2005); the variance of the normalised
    scores is multiplied by J / (J - 1) for J conditions (Morey, 2008); the
    half-width is t(level, n - 1) * SD / sqrt(n). Hand-written: no library
    we use has it.

    >>> w = pd.DataFrame({"a": [500.0, 600.0, 700.0], "b": [520.0, 640.0, 730.0]})
    >>> cousineau_morey_ci(w).round(2).tolist()
    [17.57, 17.57]
    """
    from scipy import stats
    n, j = wide.shape
    if n < 2 or j < 2:
        return pd.Series(np.nan, index=wide.columns)
    values = wide.to_numpy(dtype=float)
    normalised = values - values.mean(axis=1, keepdims=True) + values.mean()
    sd = normalised.std(axis=0, ddof=1) * np.sqrt(j / (j - 1))
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    return pd.Series(half, index=wide.columns)


def mcnemar_exact(first, second) -> tuple[int, int, float]:
    """Exact McNemar test of paired 0/1 outcomes (one pair per person):
    ``(first only, second only, two-sided p)``, p from
    :func:`statsmodels.stats.contingency_tables.mcnemar` with ``exact=True``
    (a binomial test of the discordant pairs against 1/2); p = 1 without
    discordant pairs.

    >>> mcnemar_exact([1, 1, 1, 1, 0], [0, 0, 0, 0, 0])
    (4, 0, 0.125)
    """
    from statsmodels.stats.contingency_tables import mcnemar
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    only_first = int(np.sum((a == 1) & (b == 0)))
    only_second = int(np.sum((a == 0) & (b == 1)))
    both = int(np.sum((a == 1) & (b == 1)))
    neither = int(np.sum((a == 0) & (b == 0)))
    if only_first + only_second == 0:
        return only_first, only_second, 1.0
    table = [[both, only_first], [only_second, neither]]
    return only_first, only_second, float(mcnemar(table, exact=True).pvalue)


def paired_bootstrap_ci(statistic, samples, n_resamples: int, seed,
                        level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap CI of ``statistic(*samples, axis=-1)`` over
    paired samples (arrays of one value per participant, resampled together):
    :func:`scipy.stats.bootstrap` with ``paired=True``, seeded by ``seed``.
    (nan, nan) for fewer than two participants or when a resample makes the
    statistic undefined (e.g. a ratio whose denominator can be 0).

    >>> ratio = lambda present, absent, axis=-1: absent.mean(axis) / present.mean(axis)
    >>> low, high = paired_bootstrap_ci(ratio, ([10.0, 20, 30], [25.0, 35, 65]), 999, 1)
    >>> bool(low <= 2.083 <= high)
    True
    """
    from scipy import stats
    samples = [np.asarray(s, dtype=float) for s in samples]
    if len(samples[0]) < 2:
        return (np.nan, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = stats.bootstrap(samples, statistic, paired=True, vectorized=True,
                                 n_resamples=n_resamples, confidence_level=level,
                                 method="percentile", rng=np.random.default_rng(seed))
    ci = result.confidence_interval
    if not (np.isfinite(ci.low) and np.isfinite(ci.high)):
        return (np.nan, np.nan)
    return (float(ci.low), float(ci.high))


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
