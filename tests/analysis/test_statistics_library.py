"""The statistics that come from scipy/statsmodels (statistics.py) against
values worked by hand, and the task modules' wrappers against them."""

import math

import numpy as np
import pandas as pd
import pytest

from attentionlab.analysis import dichotic, flicker, inattention, search
from attentionlab.classroom.report import class_statistics
from attentionlab.analysis.statistics import (exact_proportion_ci, mcnemar_exact, mean_ci,
                                              mean_ci_row, paired_bootstrap_ci)

T_975_DF2 = 4.302652729911275  # t table, 0.975 quantile, 2 df
T_975_DF4 = 2.7764451051977987  # 4 df


def test_exact_proportion_ci_matches_the_closed_forms_and_the_textbook():
    for n in (1, 4, 10, 37):
        # k = 0: upper limit solves (1 - p)^n = 0.025; k = n: lower solves p^n = 0.025
        assert exact_proportion_ci(0, n) == pytest.approx((0.0, 1 - 0.025 ** (1 / n)))
        assert exact_proportion_ci(n, n) == pytest.approx((0.025 ** (1 / n), 1.0))
    low, high = exact_proportion_ci(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.1871, 0.8129)  # Clopper & Pearson tables
    assert all(math.isnan(v) for v in exact_proportion_ci(0, 0))
    # the task modules' names are the same function
    assert dichotic.clopper_pearson(2, 20) == tuple(round(v, 4) for v in exact_proportion_ci(2, 20))
    assert inattention.exact_ci(1, 4) == flicker.exact_ci(1, 4) == exact_proportion_ci(1, 4)


def test_mcnemar_exact_is_a_binomial_test_of_the_discordant_pairs():
    # 4 vs 1 discordant: p = 2 * P(X <= 1 | 5, 1/2) = 2 * (1 + 5) / 32
    first = [1, 1, 1, 1, 0, 1, 0]
    second = [0, 0, 0, 0, 1, 1, 0]
    assert mcnemar_exact(first, second) == (4, 1, pytest.approx(12 / 32))
    assert mcnemar_exact([1, 1, 1, 1], [0, 0, 0, 0]) == (4, 0, pytest.approx(2 / 16))
    assert mcnemar_exact([1, 0], [1, 0]) == (0, 0, 1.0)
    assert dichotic.mcnemar_exact(np.array(first), np.array(second))[2] == pytest.approx(12 / 32)
    trials = pd.DataFrame({
        "participant": [f"P{i}" for i in range(7) for _ in range(2)],
        "session": "1", "phase": "test", "critical": 1,
        "attention": ["inattention", "divided"] * 7,
        "noticed": [v for pair in zip(first, second) for v in pair]})
    result = inattention.mcnemar(trials, "inattention", "divided")
    assert (result["n"], result["discordant_first"], result["discordant_second"]) == (7, 4, 1)
    assert result["p"] == pytest.approx(12 / 32)


def test_mean_ci_is_the_t_interval():
    # mean 2, SD 1, n 3: 2 +- t(.975, 2) / sqrt(3)
    low, high = mean_ci([1.0, 2.0, np.nan, 3.0])
    assert (low, high) == pytest.approx((2 - T_975_DF2 / math.sqrt(3), 2 + T_975_DF2 / math.sqrt(3)))
    # mean 12, SD sqrt(10), n 5
    half = T_975_DF4 * math.sqrt(10) / math.sqrt(5)
    assert mean_ci([8, 10, 12, 14, 16]) == pytest.approx((12 - half, 12 + half))
    assert mean_ci([5.0, 5.0]) == (5.0, 5.0)  # no spread: the interval is the point
    assert all(math.isnan(v) for v in mean_ci([1.0]))
    row = mean_ci_row([8, 10, 12, 14, 16])
    assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((12 - half, 12 + half))
    stats = class_statistics([8, 10, 12, 14, 16], "mean")
    assert (stats["ci_low"], stats["ci_high"]) == pytest.approx((12 - half, 12 + half))
    stats = class_statistics([0, 0, 0, 0], "proportion")
    assert (stats["ci_low"], stats["ci_high"]) == pytest.approx((0.0, 1 - 0.025 ** 0.25))


def _hand_bootstrap(present, absent, n_resamples, seed):
    """The percentile bootstrap written out: resample participants with their
    pair of slopes, ratio of means, 2.5th and 97.5th percentiles."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(present), (n_resamples, len(present)))
    ratios = absent[pick].mean(axis=1) / present[pick].mean(axis=1)
    return tuple(np.percentile(ratios, [2.5, 97.5]))


@pytest.mark.parametrize("n", [2, 5, 16])
def test_slope_ratio_bootstrap_is_scipys_with_the_same_draws(n):
    rng = np.random.default_rng(n)
    present, absent = rng.normal(20, 5, n), rng.normal(45, 10, n)
    expected = _hand_bootstrap(present, absent, 2000, 3)
    assert paired_bootstrap_ci(search._slope_ratio, (present, absent), 2000, 3) == \
        pytest.approx(expected, rel=1e-12)
    row = search._ratio_row("conjunction", [present, absent], 3)
    assert (row["ci95_low"], row["ci95_high"]) == pytest.approx(expected, rel=1e-12)
    assert row["mean"] == pytest.approx(absent.mean() / present.mean())


def test_bootstrap_needs_two_participants_and_a_defined_statistic():
    assert all(math.isnan(v) for v in paired_bootstrap_ci(
        search._slope_ratio, ([10.0], [20.0]), 100, 1))
    # present slopes -5 and 5: resamples with mean 0 make the ratio undefined
    assert all(math.isnan(v) for v in paired_bootstrap_ci(
        search._slope_ratio, ([-5.0, 5.0], [20.0, 30.0]), 200, 1))
