"""The flicker task on the task contract: a trial records raw facts (the
press, the time watched, the phases shown, the click position) and
``stimuli.flicker.score`` alone says whether the click hit the change, for
real and simulated sessions alike."""

import numpy as np
import pytest

from attentionlab.core.outcome import Outcome
from attentionlab.simulation import flicker as sim
from attentionlab.stimuli import flicker
from attentionlab.stimuli.flicker_pairs import distance_to_region

PARAMS = flicker.FlickerParams(trials=6, pair_set="generated", practice_trials=1)
PRESSED = {"detection_time_ms": 2400.0, "alternations": 4, "image_phases": 8,
           "blank_phases": 7, "frames_per_image": 14, "frames_per_blank": 5}


@pytest.fixture(scope="module")
def trial():
    return flicker.make_plan(PARAMS, "P3", 2)["test"][0]


def _clicked(x_px, y_px):
    return Outcome(3.0, "space", 2400.0, {**PRESSED, "click_image_x_px": x_px,
                                          "click_image_y_px": y_px, "click_rt_ms": 900.0})


def test_tolerance_is_click_tolerance_times_the_image_height(trial):
    assert trial.tolerance_px == pytest.approx(PARAMS.click_tolerance * trial.image_height_px)
    assert "tolerance_px" not in trial.row()  # scoring's, not a column


def test_a_click_counts_within_the_tolerance_of_the_region(trial):
    x0, y0, x1, y1 = trial.region[0]
    inside = flicker.score(trial, _clicked((x0 + x1) / 2, (y0 + y1) / 2))
    assert (inside["localized"], inside["false_alarm"], inside["correct"]) == (1, 0, 1)
    assert inside["click_distance_px"] == 0.0 and inside["timed_out"] == 0
    near = flicker.score(trial, _clicked(x1 + trial.tolerance_px - 0.5, (y0 + y1) / 2))
    assert near["localized"] == 1 and near["click_distance_px"] > 0
    assert len(trial.region) == 1  # this seed's first trial: one box, so nothing else is near
    far = flicker.score(trial, _clicked(x1 + trial.tolerance_px + 0.5, (y0 + y1) / 2))
    assert (far["localized"], far["false_alarm"], far["correct"]) == (0, 1, 0)


def test_raw_facts_are_passed_on_as_recorded(trial):
    scored = flicker.score(trial, _clicked(10.0, 20.0))
    assert {k: scored[k] for k in PRESSED} == PRESSED
    assert (scored["click_image_x_px"], scored["click_image_y_px"]) == (10.0, 20.0)
    assert scored["click_rt_ms"] == 900.0
    assert scored["click_distance_px"] == pytest.approx(
        distance_to_region(trial.region, 10.0, 20.0))


def test_a_press_without_a_click_is_a_false_alarm(trial):
    scored = flicker.score(trial, Outcome(3.0, "space", 2400.0, dict(PRESSED)))
    assert (scored["localized"], scored["false_alarm"], scored["correct"]) == (0, 1, 0)
    assert scored["click_distance_px"] is None and scored["timed_out"] == 0


def test_no_press_is_a_timeout_with_no_localisation(trial):
    scored = flicker.score(trial, Outcome(3.0, "", None, {"detection_time_ms": 60000.0}))
    assert scored["timed_out"] == 1 and scored["correct"] == 0
    assert scored["localized"] is None and scored["false_alarm"] is None
    assert scored["detection_time_ms"] == 60000.0


def test_simulated_outcomes_carry_raw_facts_only():
    plan = flicker.make_plan(PARAMS, "sim1", 4)
    trials = plan["practice"] + plan["test"]
    model = sim.Population(localize_rate=0.5).draw(np.random.default_rng(1), PARAMS)
    outcomes = sim.outcomes(PARAMS, model, trials, np.random.default_rng(2))
    assert len(outcomes) == len(trials)
    for outcome in outcomes:
        assert set(outcome.details) <= set(flicker.RAW_COLUMNS)
        assert outcome.onset_s < outcome.end_s
        assert (outcome.response == PARAMS.detect_key) == outcome.answered
    hits = [flicker.score(t, o)["localized"] for t, o in zip(trials, outcomes) if o.answered]
    assert set(hits) == {0, 1}  # half the clicks miss: scored as misses


def test_plan_facts_name_the_counterbalancing_group():
    assert flicker.plan_facts(PARAMS, "P12") == {
        "counterbalance_group": flicker.participant_group("P12")}
