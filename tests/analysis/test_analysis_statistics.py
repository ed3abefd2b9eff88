"""Group statistics, ANOVA, within-participant CIs and split-half reliability,
checked against hand-worked numbers and independent computations (scipy
formulas written out here), never against the code's own earlier output."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from attentionlab.analysis.statistics import cousineau_morey_ci
from attentionlab.analysis.reliability import auto_splits, split_half
from attentionlab.analysis.stroop import (GROUP_COLUMNS, PARTICIPANT_COLUMNS, condition_anova,
                                          group_effects, participant_effects)


def participants_table(**columns):
    """A participants.csv-shaped frame with the given columns filled in."""
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({c.name: [np.nan] * n for c in PARTICIPANT_COLUMNS})
    frame["participant"] = [f"P{i + 1}" for i in range(n)]
    frame["session"] = "1"
    for name, values in columns.items():
        frame[name] = values
    return frame


def jzs_bf10(t, n, r=0.707):
    """Rouder et al. (2009), eq. 1, one-sample JZS Bayes factor by numerical
    integration over g (written independently of pingouin)."""
    nu = n - 1

    def integrand(g):
        a = 1 + n * g * r ** 2
        return (a ** -0.5 * (1 + t ** 2 / (a * nu)) ** (-(nu + 1) / 2)
                * (2 * math.pi) ** -0.5 * g ** -1.5 * math.exp(-1 / (2 * g)))

    numerator = integrate.quad(integrand, 0, np.inf)[0]
    return numerator / (1 + t ** 2 / nu) ** (-(nu + 1) / 2)


def test_t_test_hand_worked():
    # x = 10, 20, 5, 30, 25, 12: mean 17, SS 460, SD sqrt(92) = 9.5917, SE 3.9158
    x = [10.0, 20.0, 5.0, 30.0, 25.0, 12.0]
    row = group_effects(participants_table(interference_ms=x),
                        effects=("interference_ms",)).iloc[0]
    assert list(group_effects(participants_table(interference_ms=x)).columns) == \
        [c.name for c in GROUP_COLUMNS]
    assert row["n"] == 6 and row["df"] == 5
    assert row["mean"] == pytest.approx(17.0)
    assert row["sd"] == pytest.approx(math.sqrt(92))
    assert row["t"] == pytest.approx(17 / (math.sqrt(92) / math.sqrt(6)))   # 4.3414
    assert row["dz"] == pytest.approx(17 / math.sqrt(92))                  # 1.7724
    half = 2.570582 * math.sqrt(92) / math.sqrt(6)  # t(.975, 5) from a table
    assert row["ci95_low"] == pytest.approx(17 - half, abs=1e-4)
    assert row["ci95_high"] == pytest.approx(17 + half, abs=1e-4)
    assert row["p"] == pytest.approx(2 * stats.t.sf(row["t"], 5))
    assert row["p"] == pytest.approx(0.0074, abs=1e-4)
    assert row["bf10"] == pytest.approx(jzs_bf10(row["t"], 6), rel=1e-3)


def test_bayes_factor_against_integral_for_a_null_effect():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 50, 40)
    row = group_effects(participants_table(facilitation_ms=x),
                        effects=("facilitation_ms",)).iloc[0]
    assert row["bf10"] < 1  # evidence for no effect
    assert row["bf10"] == pytest.approx(jzs_bf10(row["t"], 40), rel=1e-3)


def test_sessions_are_averaged_and_missing_values_left_out():
    table = participants_table(interference_ms=[10.0, 30.0, 50.0, np.nan, 70.0])
    table["participant"] = ["A", "A", "B", "C", "D"]  # A has two sessions: mean 20
    row = group_effects(table, effects=("interference_ms",)).iloc[0]
    assert row["n"] == 3
    assert row["mean"] == pytest.approx((20 + 50 + 70) / 3)


def test_too_few_participants_give_empty_cells():
    row = group_effects(participants_table(interference_ms=[42.0]),
                        effects=("interference_ms",)).iloc[0]
    assert row["n"] == 1 and row["mean"] == 42
    assert math.isnan(row["t"]) and math.isnan(row["p"])


def test_rm_anova_hand_worked():
    # subjects x conditions (congruent, neutral, incongruent):
    # 1 2 6 / 2 4 7 / 3 3 8 / 2 3 9. Grand mean 50/12.
    # SS_cond = 4 * [(2 - 4.1667)^2 + (3 - 4.1667)^2 + (7.5 - 4.1667)^2] = 68.667
    # SS_subj = 3 * [(3 - 4.1667)^2 + ... ] = 5.667; SS_total = 77.667; SS_err = 3.333
    # F = (68.667 / 2) / (3.333 / 6) = 61.8
    data = np.array([[1, 2, 6], [2, 4, 7], [3, 3, 8], [2, 3, 9]], dtype=float)
    table = participants_table(rt_congruent_ms=data[:, 0], rt_neutral_ms=data[:, 1],
                               rt_incongruent_ms=data[:, 2])
    row = condition_anova(table).iloc[0]
    assert row["test"] == "rm_anova" and row["n"] == 4
    assert (row["df1"], row["df2"]) == (2, 6)
    assert row["f"] == pytest.approx(61.8, rel=1e-6)
    assert row["p"] == pytest.approx(stats.f.sf(61.8, 2, 6))
    # Greenhouse-Geisser epsilon from the double-centred covariance matrix
    cov = np.cov(data, rowvar=False)
    k = cov.shape[0]
    centre = np.eye(k) - np.ones((k, k)) / k
    centred = centre @ cov @ centre
    epsilon = np.trace(centred) ** 2 / ((k - 1) * np.sum(centred ** 2))
    assert row["epsilon_gg"] == pytest.approx(epsilon, rel=1e-6)
    assert row["p_gg"] == pytest.approx(stats.f.sf(61.8, 2 * epsilon, 6 * epsilon), rel=1e-6)


def test_rm_anova_two_conditions_equals_paired_t_squared():
    con = np.array([500.0, 520, 610, 480, 555])
    inc = np.array([560.0, 590, 640, 540, 600])
    table = participants_table(rt_congruent_ms=con, rt_incongruent_ms=inc)
    row = condition_anova(table).iloc[0]
    t = stats.ttest_rel(inc, con).statistic
    assert row["f"] == pytest.approx(t ** 2)
    assert row["p_gg"] == pytest.approx(row["p"])  # sphericity holds with two levels


def test_cousineau_morey_hand_worked():
    # row means 510 620 715, grand mean 615 -> normalised a: 605 595 600, b: 625 635 630
    # SD 5 each; Morey: x sqrt(J / (J - 1)) = sqrt(2); half-width = t(.975, 2) * 5 *
    # sqrt(2) / sqrt(3) = 4.302653 * 4.0825 = 17.566
    wide = pd.DataFrame({"a": [500.0, 600.0, 700.0], "b": [520.0, 640.0, 730.0]})
    half = cousineau_morey_ci(wide)
    assert half.tolist() == pytest.approx([4.302653 * 5 * math.sqrt(2) / math.sqrt(3)] * 2,
                                          rel=1e-6)
    # adding a constant per participant changes nothing (that is the point)
    shifted = wide.add(pd.Series([1000.0, -300.0, 55.0]), axis=0)
    assert cousineau_morey_ci(shifted).tolist() == pytest.approx(half.tolist())


def trials_for_reliability(true_effects, m, noise_sd, rng):
    rows = []
    for i, effect in enumerate(true_effects):
        for cond, shift in (("congruent", 0.0), ("incongruent", effect)):
            for rt in 600 + shift + rng.normal(0, noise_sd, m):
                rows.append((f"P{i}", "1", cond, rt))
    return pd.DataFrame(rows, columns=["participant", "session", "congruency", "rt_ms"])


def test_split_half_without_noise_is_one():
    rng = np.random.default_rng(1)
    d = trials_for_reliability(rng.normal(60, 30, 12), m=10, noise_sd=0.0, rng=rng)
    r = split_half(d, n_splits=50, seed=1)
    assert r["mean"] == pytest.approx(1.0) and r["sd"] == pytest.approx(0.0, abs=1e-9)
    assert (r["n"], r["n_splits"]) == (12, 50)


def test_split_half_recovers_the_theoretical_reliability():
    # reliability of the full-length difference of means:
    # var_true / (var_true + 2 * noise^2 / m) = 900 / (900 + 2 * 100^2 / 40) = 0.643
    rng = np.random.default_rng(7)
    d = trials_for_reliability(rng.normal(60, 30, 300), m=40, noise_sd=100.0, rng=rng)
    r = split_half(d, n_splits=200, seed=2)
    assert r["mean"] == pytest.approx(900 / (900 + 2 * 100 ** 2 / 40), abs=0.08)
    assert r["q025"] < r["mean"] < r["q975"]


def test_split_half_is_seeded_and_needs_three_people():
    rng = np.random.default_rng(4)
    d = trials_for_reliability(rng.normal(60, 30, 20), m=20, noise_sd=80.0, rng=rng)
    assert split_half(d, n_splits=100, seed=5) == split_half(d, n_splits=100, seed=5)
    assert split_half(d, n_splits=100, seed=5)["mean"] != split_half(d, n_splits=100,
                                                                     seed=6)["mean"]
    small = d[d["participant"].isin(["P0", "P1"])]
    assert math.isnan(split_half(small, n_splits=100)["mean"])


def test_auto_splits_scale_with_data_size():
    assert auto_splits(5_000) == 1000
    assert auto_splits(200_000) == 100
    assert 100 < auto_splits(100_000) < 1000


def test_participant_effects_of_simulated_effects():
    rng = np.random.default_rng(11)
    rows = []
    for p in range(30):
        for cond, shift in (("congruent", 0), ("neutral", 10), ("incongruent", 70)):
            for rt in rng.normal(600 + shift, 50, 60):
                rows.append({"participant": f"P{p}", "congruency": cond, "rt_ms": rt,
                             "correct": 1})
    effects = participant_effects(pd.DataFrame(rows))
    assert effects["interference_ms"].mean() == pytest.approx(70, abs=6)
    assert effects["facilitation_ms"].mean() == pytest.approx(10, abs=6)
    assert (effects["session"] == "1").all()
