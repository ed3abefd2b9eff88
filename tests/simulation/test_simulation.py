"""Simulated participants: the analysis recovers what was programmed in."""

import json

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli

from attentionlab.simulation.power import analytic_power, power_table, stroop_study
from attentionlab.simulation.stroop import StroopModel, StroopPopulation
from attentionlab.simulation.sessions import write_sessions
from attentionlab.analysis.stroop import group_effects, participant_effects
from attentionlab.core.columns import column_names
from attentionlab.stimuli import stroop

# A population whose per-participant interference estimate is exactly normal:
# no exponential tail, no errors (so no trials are lost), known spreads.
NORMAL = {"tau_ms": 0, "tau_sd_ms": 0, "error_rate": 0, "error_cost": 0, "error_sd": 0,
          "interference_sd_ms": 30}


def test_model_shifts_rts_by_condition_and_makes_errors_and_misses():
    model = StroopModel(mu_ms=600, sigma_ms=50, tau_ms=100, interference_ms=80,
                        facilitation_ms=20, error_congruent=0.0, error_neutral=0.0,
                        error_incongruent=0.2, deadline_ms=2000)
    rng = np.random.default_rng(3)
    n = 20000
    ink = np.full(n, "red")
    means = {}
    for cond in ("congruent", "neutral", "incongruent"):
        colours, rt = model.respond(np.full(n, cond), ink, rng)
        means[cond] = rt.mean()
        wrong = (colours != "red") & (colours != "")
        if cond == "incongruent":
            assert wrong.mean() == pytest.approx(0.2, abs=0.015)
            assert set(colours[wrong]) == {"green", "blue", "yellow"}
        else:
            assert not wrong.any()
    # ex-Gaussian mean = mu + shift + tau
    assert means["neutral"] == pytest.approx(700, abs=3)
    assert means["incongruent"] - means["congruent"] == pytest.approx(80, abs=4)
    assert means["neutral"] - means["congruent"] == pytest.approx(20, abs=4)
    slow = StroopModel(mu_ms=1900, sigma_ms=10, tau_ms=200, deadline_ms=2000)
    colours, _ = slow.respond(np.full(2000, "neutral"), np.full(2000, "red"), rng)
    assert 0.3 < (colours == "").mean() < 0.8


def test_participants_differ_and_the_population_mean_is_kept():
    rng = np.random.default_rng(5)
    drawn = [StroopPopulation(interference_ms=60, interference_sd_ms=25).draw(rng)
             for _ in range(4000)]
    effects = np.array([m.interference_ms for m in drawn])
    assert effects.mean() == pytest.approx(60, abs=1.5)
    assert effects.std() == pytest.approx(25, abs=1.5)


def test_recovery_programmed_effect_inside_the_95ci_about_95_percent_of_the_time():
    """200 simulated studies of 15 participants: the coverage of the reported
    95% CI (group_effects, the report's own test). Binomial SD of the coverage
    over 200 studies is 1.5 points; accept 0.90-0.99."""
    population = StroopPopulation(interference_ms=65, interference_sd_ms=40)
    params = stroop.StroopParams()
    rng = np.random.default_rng(2024)
    inside = 0
    for k in range(200):
        data = stroop_study(population, params, 15, 48, rng)
        row = group_effects(participant_effects(data), effects=("interference_ms",)).iloc[0]
        inside += row.ci95_low <= 65 <= row.ci95_high
    assert 0.90 <= inside / 200 <= 0.99


def test_simulate_writes_real_session_files_that_analyze_reads(tmp_path):
    out = tmp_path / "sim"
    result = run_cli(["simulate", "stroop", "--participants", "12", "--out", str(out),
                      "--seed", "7", "--trials", "96", "--set", "interference_ms=120",
                      "--set", "blocks=2"])
    assert result.returncode == 0, result.stderr
    csvs = sorted(out.glob("sub-*/*_beh.csv"))
    assert len(csvs) == 12
    first = pd.read_csv(csvs[0], dtype={"session": str})
    assert list(first.columns) == column_names(stroop.COLUMNS)
    assert set(first.simulated) == {1} and (first.phase == "test").sum() == 96
    assert set(first.block[first.phase == "test"]) == {1, 2}
    side = json.loads(csvs[0].with_suffix(".json").read_text())
    assert side["completed"] is True and side["trials_done"] == 96
    assert side["simulation"]["population"]["interference_ms"] == 120

    analysed = run_cli(["analyze", str(out), "--out", str(tmp_path / "an")])
    assert analysed.returncode == 0, analysed.stderr
    group = pd.read_csv(tmp_path / "an" / "group.csv")
    row = group[(group.test == "t_test") & (group.measure == "interference_ms")].iloc[0]
    assert row.ci95_low <= 120 <= row.ci95_high


def test_simulation_is_reproducible_from_its_seed(tmp_path):
    a = write_sessions("stroop", 3, tmp_path / "a", seed=9, trials=24)
    b = write_sessions("stroop", 3, tmp_path / "b", seed=9, trials=24)
    c = write_sessions("stroop", 3, tmp_path / "c", seed=10, trials=24)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


@pytest.mark.parametrize("args, message", [
    (["simulate", "stroop", "--participants", "0", "--out", "x"], "--participants must be"),
    (["simulate", "stroop", "--participants", "2", "--out", "x", "--set", "nope=1"],
     "unknown parameter 'nope'"),
    (["simulate", "nosuchtask", "--participants", "2", "--out", "x"], "unknown task 'nosuchtask'"),
    (["power", "stroop", "--effect", "interference_ms=abc", "--participants", "10",
      "--trials", "48"], "must be a number"),
    (["power", "stroop", "--effect", "speed=3", "--participants", "10", "--trials", "48"],
     "cannot power effect 'speed'"),
    (["power", "search", "--effect", "slope=3", "--participants", "10", "--trials", "48"],
     "not available for 'search': it supports only stroop"),
    (["power", "stroop", "--effect", "interference_ms=30", "--participants", "ten",
      "--trials", "48"], "--participants must be a comma-separated list"),
])
def test_simulate_and_power_usage_errors(tmp_path, args, message):
    result = run_cli(args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_power_matches_the_closed_form_for_a_normal_effect():
    """No tail, no errors: each participant's interference estimate is normal with
    SD sqrt(30^2 + 2*60^2/16), so a one-sample t-test has noncentral-t power."""
    table = power_table("stroop", {"interference_ms": 20.0}, [10, 20], [48],
                        simulations=1000, seed=3, overrides=dict(NORMAL))
    sd = np.sqrt(30**2 + 2 * 60**2 / 16)
    for row in table.itertuples():
        expected = analytic_power(20.0, sd, row.participants)
        assert abs(row.power - expected) < 3.5 * row.mc_se, (row, expected)


def test_power_grows_with_participants_with_trials_and_with_the_effect():
    small = power_table("stroop", {"interference_ms": 20.0}, [6, 24], [24, 96],
                        simulations=300, seed=4)
    big = power_table("stroop", {"interference_ms": 45.0}, [6], [24], simulations=300, seed=4)
    p = small.set_index(["participants", "trials"]).power
    assert p[(24, 24)] > p[(6, 24)] + 0.1 and p[(24, 96)] > p[(6, 96)] + 0.1
    assert p[(24, 96)] > p[(24, 24)]
    assert big.power.iloc[0] > p[(6, 24)] + 0.1


def test_power_command_prints_table_smallest_n_and_draws_the_curve(tmp_path):
    result = run_cli(["power", "stroop", "--effect", "interference_ms=40", "--participants",
                      "5,15", "--trials", "48", "--simulations", "100", "--out",
                      str(tmp_path / "p")])
    assert result.returncode == 0, result.stderr
    assert "Smallest N for 80% power" in result.stdout and "±" in result.stdout
    assert "\r" not in result.stderr  # the progress bar is drawn on terminals only
    assert (tmp_path / "p" / "power_curve.png").stat().st_size > 1000
    table = pd.read_csv(tmp_path / "p" / "power.csv")
    assert list(table.participants) == [5, 15]
