"""What a dichotic answer means (stimuli.dichotic.score) and the simulated
participant's outcomes (simulation.dichotic.outcomes)."""

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.simulation.dichotic import Population, outcomes
from attentionlab.stimuli import dichotic

PARAMS = dichotic.DichoticParams(passage_set="short", trials=6, yes_no_keys=("j", "k"))


def _items(kind):
    plan = dichotic.make_plan(PARAMS, "P2", 4)
    return [i for i in plan["test"] if i.item == kind]


def test_detection_is_right_when_it_names_the_change():
    for item in _items("detection"):
        expected = "nothing" if item.manipulation == "none" else item.manipulation
        other = next(r for r in dichotic.REPORTS if r not in (expected, "nothing"))
        right = dichotic.score(item, Outcome(3.0, expected, 2000.0))
        wrong = dichotic.score(item, Outcome(3.0, other, 2000.0))
        assert (right["correct"], right["detected"]) == (1, int(expected != "nothing"))
        assert (wrong["correct"], wrong["detected"]) == (0, 1)
        assert right["said_old"] is None


def test_recognition_keys_mean_what_the_params_say():
    for item in _items("recognition"):
        yes = dichotic.score(item, Outcome(3.0, "j", 900.0))
        no = dichotic.score(item, Outcome(3.0, "k", 900.0))
        assert (yes["said_old"], no["said_old"]) == (1, 0)
        old = item.word_type != "new"
        assert (yes["correct"], no["correct"]) == (int(old), int(not old))


def test_message_rows_pass_the_playback_facts_on():
    item = _items("message")[0]
    facts = {"message_duration_ms": 5123.4, "change_onset_ms": 2500.0,
             "change_duration_ms": 1500.0, "repetitions_played": 2, "audio_onset_s": 12.2,
             "recording_file": "x_rec-1.wav", "recording_offset_ms": 201.5}
    scored = dichotic.score(item, Outcome(12.0, details=facts))
    assert {k: scored[k] for k in facts} == facts
    assert scored["correct"] is None and scored["detected"] is None


def test_no_answer_is_not_scored_as_a_detection():
    item = _items("detection")[0]
    assert dichotic.score(item, Outcome(3.0))["detected"] is None


def test_simulated_outcomes_follow_the_model_on_one_clock():
    plan = dichotic.make_plan(PARAMS, "sim001", 4)
    items = plan["practice"] + plan["test"]
    model = Population(detect_tone=1.0, detect_voice=1.0, identify=1.0, detect_sd=0.0,
                       dprime_attended=6.0, dprime_unattended=6.0, dprime_sd=0.0,
                       criterion=0.0, criterion_sd=0.0).draw(np.random.default_rng(1), PARAMS)
    out = outcomes(PARAMS, model, items, np.random.default_rng(2))
    assert len(out) == len(items)
    assert all(a.end_s < b.onset_s for a, b in zip(out, out[1:]))
    for item, outcome in zip(items, out):
        scored = dichotic.score(item, outcome)
        if item.item == "message":
            assert outcome.response == "" and all(scored[c] is None
                                                  for c in dichotic.PLAYBACK_COLUMNS)
        elif item.item == "detection" and item.manipulation in ("tone", "voice"):
            assert scored["correct"] == 1
        elif item.item == "recognition":
            assert outcome.response in ("j", "k")
            if item.word_type != "new":
                assert scored["said_old"] == 1
