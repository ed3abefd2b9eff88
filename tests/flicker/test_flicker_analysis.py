"""Flicker analysis: survival statistics checked against hand-worked values
and an independent implementation; simulate -> analyse recovers the
programmed central/marginal and blank/no-blank differences."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from attentionlab.analysis import flicker as fa
from attentionlab.simulation import flicker as simulate_flicker
from attentionlab.simulation.sessions import write_sessions
from attentionlab.stimuli.flicker import FlickerParams

from cli_runner import run_cli


def _frame(times, timed_out, interest="central", participant="P1"):
    return pd.DataFrame({"participant": participant, "session": "1", "interest": interest,
                         "blank_condition": "blank", "change_kind": "colour",
                         "detection_time_ms": np.asarray(times, float),
                         "timed_out": np.asarray(timed_out, int),
                         "localized": 1, "alternations": 1, "phase": "test"})


def test_kaplan_meier_median_by_hand():
    # Times 2..7 s, censored at 3 and 6 s. S(2)=5/6, S(4)=5/6*3/4=.625,
    # S(5)=.625*2/3=.4167 <= .5, so the median is 5 s (a naive mean of the
    # detected times, 4.5 s, or of all times, 4.5 s, would be wrong).
    d = _frame([2000, 3000, 4000, 5000, 6000, 7000], [0, 1, 0, 0, 1, 0])
    row = fa.km_medians(d, by=("interest",)).iloc[0]
    assert row["median_ms"] == 5000.0
    assert (row["n_detected"], row["n_censored"]) == (4, 2)
    curve = fa.km_curve(d)
    assert curve["survival"].tolist() == pytest.approx([1, 5 / 6, 0.625, 0.625 * 2 / 3, 0])


def test_median_not_reached_when_most_trials_time_out():
    d = _frame([2000, 60000, 60000], [0, 1, 1])
    row = fa.km_medians(d, by=("interest",)).iloc[0]
    assert np.isnan(row["median_ms"])
    assert row["detected_by_timeout"] == pytest.approx(1 / 3)


def test_logrank_matches_scipy_when_pooled():
    rng = np.random.default_rng(4)
    a = rng.exponential(5000, 40)
    b = rng.exponential(9000, 40)
    cens_a, cens_b = a > 12000, b > 12000
    d = pd.concat([_frame(np.minimum(a, 12000), cens_a, "central"),
                   _frame(np.minimum(b, 12000), cens_b, "marginal")])
    ours = fa.logrank(d, "interest", ("central", "marginal"), strata=None)
    ref = stats.logrank(stats.CensoredData(uncensored=a[~cens_a], right=np.full(cens_a.sum(), 12000.0)),
                        stats.CensoredData(uncensored=b[~cens_b], right=np.full(cens_b.sum(), 12000.0)))
    assert ours["p"] == pytest.approx(ref.pvalue, rel=1e-6)
    assert ours["statistic"] == pytest.approx(ref.statistic ** 2, rel=1e-6)


def test_cox_recovers_a_known_hazard_ratio_within_participants():
    # Exponential detection with hazard halved for marginal changes; each
    # participant has their own speed (the stratified model must not mind).
    rng = np.random.default_rng(11)
    frames = []
    for p in range(60):
        speed = rng.lognormal(0, 0.5)
        central = rng.exponential(4000 * speed, 10)
        marginal = rng.exponential(8000 * speed, 10)
        for interest, t in (("central", central), ("marginal", marginal)):
            frames.append(_frame(np.minimum(t, 30000), t >= 30000, interest, f"P{p}"))
    d = pd.concat(frames)
    result = fa.cox(d, "interest", ("central", "marginal"))
    assert result["hr_ci_low"] < 0.5 < result["hr_ci_high"]
    assert result["p"] < 1e-6


def test_no_participant_with_both_levels_leaves_the_tests_empty_not_crashing():
    """Stratified by participant, a class where each person saw one level only
    (a few browser trials each) has no variance to test: statsmodels raises
    a singular-matrix error, which stopped `analyze` with a traceback."""
    d = pd.concat([_frame(np.array([1000.0, 2000.0]), np.array([False, False]), "central", "A"),
                   _frame(np.array([1500.0]), np.array([False]), "marginal", "B")])
    for test in (fa.logrank, fa.cox):
        result = test(d, "interest", ("central", "marginal"))
        assert np.isnan(result["p"]) and result["n_trials"] == 3
    # pooled, the same trials can be tested
    assert np.isfinite(fa.logrank(d, "interest", ("central", "marginal"), strata=None)["p"])


def test_exact_ci_matches_clopper_pearson_by_beta_quantiles():
    low, high = fa.exact_ci(3, 20)
    assert low == pytest.approx(stats.beta.ppf(0.025, 3, 18))
    assert high == pytest.approx(stats.beta.ppf(0.975, 4, 17))


def test_localisation_and_false_alarms():
    d = _frame([1000, 2000, 3000, 4000, 60000], [0, 0, 0, 0, 1])
    d["localized"] = [1, 1, 0, 1, None]
    row = fa.localisation(d, by=("interest",)).iloc[0]
    assert (row["n_detected"], row["localized"], row["false_alarms"]) == (4, 3, 1)
    people = fa.participant_effects(d)
    assert people.loc[0, "false_alarms"] == 1 and people.loc[0, "n_timed_out"] == 1


def test_simulate_then_analyse_recovers_the_programmed_effects(tmp_path):
    paths = write_sessions("flicker", 12, tmp_path / "sim", seed=3,
                           overrides={"timeout_ms": "20000", "marginal_cycles": "20"})
    sidecar = json.loads(paths[0].with_suffix(".json").read_text())
    assert sidecar["simulation"]["population"]["marginal_cycles"] == 20.0
    rows = pd.read_csv(paths[0])
    assert set(rows["blank_condition"]) == {"blank", "no_blank"}
    out = tmp_path / "res"
    done = run_cli(["analyze", str(tmp_path / "sim"), "--out", str(out)])
    assert done.returncode == 0, done.stderr
    group = pd.read_csv(out / "group.csv")
    med = group[group.test == "km_median"].set_index("condition")["median_ms"]
    assert med["central, blank"] < med["marginal, blank"]
    assert med["central, no_blank"] < 2500 and med["marginal, no_blank"] < 2500
    censored = group[group.test == "km_median"]["n_censored"].sum()
    assert censored > 0  # marginal changes at 20 cycles x 640 ms often outlast 20 s
    cox = group[(group.test == "cox")].set_index("condition")["hazard_ratio"]
    assert cox["marginal vs central (blank trials)"] < 1
    assert cox["no_blank vs blank (all trials)"] > 3
    assert "hazard ratio" in done.stdout
    assert (out / "km_interest.png").exists()


def test_population_draws_differ_between_participants():
    pop = simulate_flicker.Population()
    a = pop.draw(np.random.default_rng(1), FlickerParams())
    b = pop.draw(np.random.default_rng(2), FlickerParams())
    assert a.central_cycles != b.central_cycles
    same = dataclasses.replace(pop, speed_sd=0.0).draw(np.random.default_rng(1))
    assert same.central_cycles == pop.central_cycles
