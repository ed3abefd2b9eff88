"""The conjunctions task on the task contract: a trial records raw facts (the
digits typed, the reports in click order, the exposure) and ``score`` alone
says what they mean, for real and simulated sessions alike."""

import random

import numpy as np
import pytest

from attentionlab.core.outcome import Outcome
from attentionlab.simulation import conjunctions as sim
from attentionlab.stimuli import conjunctions as cj

TRIAL = cj.ConjunctionsTrial(1, "test", 3, 7, ("T", "X", "O"), ("red", "green", "blue"),
                             cj.DEFAULT_LETTERS, cj.DEFAULT_COLOURS, 1)
EXPOSURE = {"requested_exposure_ms": 200.0, "exposure_frames": 12, "exposure_ms": 200.0,
            "exposure_measured_ms": 214.7}


def test_score_decides_what_the_raw_reports_mean():
    outcome = Outcome(2.0, "73", 1100.0, {**EXPOSURE, "reports": [
        ("O", "red"), ("N", "blue"), ("T", "orange")]})
    scored = cj.score(TRIAL, outcome)
    assert scored["correct"] == scored["digits_correct"] == 1
    assert scored["digits_typed"] == "73"
    assert [scored[f"report{i}_outcome"] for i in (1, 2, 3)] == [
        "conjunction_error", "letter_error", "feature_error"]
    assert (scored["report2_letter"], scored["report2_colour"]) == ("N", "blue")
    assert (scored["n_correct"], scored["n_conjunction_errors"]) == (0, 1)
    assert {k: scored[k] for k in EXPOSURE} == EXPOSURE  # raw facts passed on as they are


def test_score_of_nothing_reported_fills_every_response_column():
    scored = cj.score(TRIAL, Outcome(onset_s=2.0))
    assert scored["correct"] == 0 and scored["digits_typed"] == ""
    assert scored["report1_letter"] == "" and scored["n_correct"] == 0
    assert scored["exposure_frames"] is None


@pytest.mark.parametrize("typed, expected", [("37", 195.0), ("38", 245.0)])
def test_staircase_steps_on_the_scored_digits(typed, expected):
    params = cj.ConjunctionsParams(staircase=True)
    assert cj.next_exposure_ms(200.0, TRIAL, Outcome(1.0, typed, 900.0), params) == expected


def test_simulated_outcomes_carry_raw_facts_only():
    params = cj.ConjunctionsParams(trials=20, practice_trials=2, staircase=True)
    plan = cj.make_plan(params, "sim1", 4)
    trials = plan["practice"] + plan["test"]
    model = sim.Population().draw(np.random.default_rng(1))
    outcomes = sim.outcomes(params, model, trials, np.random.default_rng(2))
    assert len(outcomes) == len(trials)
    level = float(params.display_ms)
    for trial, outcome in zip(trials, outcomes):
        assert set(outcome.details) == {*cj.EXPOSURE_COLUMNS, "reports"}
        assert len(outcome.details["reports"]) == 3 and len(outcome.response) == 2
        assert outcome.details["requested_exposure_ms"] == level
        assert outcome.onset_s < outcome.end_s
        level = cj.staircase_next(level, bool(cj.score(trial, outcome)["digits_correct"]),
                                  params)
    ends = [o.end_s for o in outcomes]
    assert ends == sorted(ends)


def test_make_plan_is_the_one_seeded_trial_list():
    params = cj.ConjunctionsParams(trials=10, practice_trials=3)
    plan = cj.make_plan(params, "P1", 8)
    rng = random.Random(8)
    assert plan["practice"] == cj.make_trials(params, rng, phase="practice")
    assert plan["test"] == cj.make_trials(params, rng, phase="test")
    assert cj.make_plan(params, "someone else", 8) == plan
    assert cj.plan_facts(params, "P1") == {}
