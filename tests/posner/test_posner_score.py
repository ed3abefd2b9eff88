"""Scoring: a press on a dot is correct, a press on a catch trial a false alarm."""

from attentionlab.core.outcome import Outcome
from attentionlab.stimuli.posner import PosnerParams, make_plan, score

PLAN = make_plan(PosnerParams(), "P1", 4)["test"]
TARGET = next(t for t in PLAN if not t.catch)
CATCH = next(t for t in PLAN if t.catch)


def test_a_press_on_a_dot_is_correct_and_no_press_a_miss():
    assert score(TARGET, Outcome(2.0, "space", 310.0)) == {"correct": 1, "false_alarm": None}
    assert score(TARGET, Outcome(2.0)) == {"correct": 0, "false_alarm": None}


def test_catch_trials_are_correct_without_a_press_and_a_press_is_a_false_alarm():
    assert score(CATCH, Outcome(2.0)) == {"correct": 1, "false_alarm": 0}
    assert score(CATCH, Outcome(2.0, "space", 420.0)) == {"correct": 0, "false_alarm": 1}
