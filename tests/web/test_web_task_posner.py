"""Posner cueing in the browser (attentionlab/web/tasks/posner.py): the display
is JSON and complete, the browser's report is checked, and a row built from it
equals the simulated participant's row for the same answers."""

import pytest
from web_task_checks import check_display_json, check_rows_equal, good_payload

from attentionlab.stimuli import posner
from attentionlab.web.tasks import demo_params
from attentionlab.web.tasks import posner as web_posner


def payload_from(sim, trial, params):
    """What posner.js sends for a simulated answer (the autopilot's page)."""
    return {"onset_s": sim.onset_s, "response": sim.response, "rt_ms": sim.rt_ms,
            "details": {}}


def test_display_is_json_and_has_the_plans_trial():
    shown = check_display_json("posner")
    plan = posner.make_plan(demo_params("posner"), "S1234", 11)
    trials = plan["practice"] + plan["test"]
    assert len(shown) == len(trials) == 77  # the classroom's short version: 6 + 71
    for d, t in zip(shown, trials):
        assert (d["cue"], d["target_side"], d["soa_ms"], d["foreperiod_ms"], d["catch"]) == \
            (t.cue, t.target_side, t.soa_ms, t.foreperiod_ms, t.catch)


def test_practice_feedback_comes_from_score():
    shown = check_display_json("posner")
    practice = [d for d in shown if d["feedback"]]
    assert len(practice) == 6
    for d in practice:
        pressed, none = d["feedback"]["pressed"], d["feedback"]["none"]
        if d["catch"]:
            assert (pressed["kind"], none["kind"]) == ("wrong", "correct")
        else:
            assert (pressed["kind"], none["kind"]) == ("correct", "too_slow")
            assert "{rt}" in pressed["text"]


def test_rows_from_the_browser_equal_the_simulated_rows():
    assert check_rows_equal("posner", payload_from) == 3 * 77


def test_touch_answers_are_recorded_as_touch():
    module, trial, params, payload = good_payload("posner", payload_from, index=0)
    payload.update(response="touch", rt_ms=402.0)
    assert module.outcome(trial, payload, "touch", params).response == "touch"
    with pytest.raises(ValueError, match="not an answer"):
        module.outcome(trial, payload, "keys", params)


@pytest.mark.parametrize("change, message", [
    ({"response": "j", "rt_ms": 300.0}, "not an answer"),
    ({"response": "space", "rt_ms": None}, "without rt_ms"),
    ({"response": "", "rt_ms": 300.0}, "not an answer"),
    ({"response": "space", "rt_ms": 9000.0}, "response window"),
    ({"onset_s": -1.0}, "onset_s"),
    ({"details": {"x": 1.0}}, "not allowed"),
])
def test_outcome_refuses_what_cannot_be(change, message):
    module, trial, params, payload = good_payload("posner", payload_from, index=0)
    payload.update(change)
    with pytest.raises(ValueError, match=message):
        module.outcome(trial, payload, "keys", params)


def test_texts_are_the_desktops_words():
    params = demo_params("posner")
    keys, touch = web_posner.texts(params, "keys"), web_posner.texts(params, "touch")
    assert "Press SPACE as fast as you can" in keys["instructions"][0]
    assert "double arrow" not in keys["instructions"][0]  # the demo has no neutral cues
    assert "Tap the screen as fast as you can" in touch["instructions"][0]
    assert "Press SPACE" not in touch["instructions"][0] + touch["practice"]
