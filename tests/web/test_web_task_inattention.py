"""Inattentional blindness in the browser (attentionlab/web/tasks/inattention.py):
once per student, the display is JSON and complete, the browser's answers are
checked against the questions the trial asks, and a row built from them equals
the simulated participant's row for the same answers."""

import pytest
from web_task_checks import check_display_json, check_rows_equal, good_payload, plan

from attentionlab.stimuli import inattention
from attentionlab.web.tasks import demo_params
from attentionlab.web.tasks import inattention as web_inatt


def payload_from(sim, trial, params):
    """What inattention.js sends for a simulated answer (the autopilot's page)."""
    return {"onset_s": sim.onset_s, "response": sim.response, "rt_ms": sim.rt_ms,
            "details": dict(sim.details)}


def test_once_per_student():
    assert web_inatt.ONCE is True


def test_display_is_json_and_asks_what_the_desktop_asks():
    shown = check_display_json("inattention")
    params, trials = plan("inattention")
    assert len(shown) == 9
    for d, t in zip(shown, trials):
        assert d["ask_arm"] == (t.attention != "full")
        assert (d["object"] is not None) == bool(t.critical)
        if t.critical:
            assert [r["shape"] for r in d["recognition"]] == list(t.recognition_options)
            vertices = inattention.shape_vertices(t.object_shape, params.object_size)
            assert (d["object"]["vertices"] is None) == (vertices is None)


def test_rows_from_the_browser_equal_the_simulated_rows():
    assert check_rows_equal("inattention", payload_from) == 3 * 9


def trial_of(attention, critical):
    _, trials = plan("inattention")
    index = next(i for i, t in enumerate(trials)
                 if t.attention == attention and t.critical == critical)
    return good_payload("inattention", payload_from, index=index)


@pytest.mark.parametrize("attention, critical, change, message", [
    ("inattention", 0, {"arm_key": "y"}, "arm_key must be"),
    ("inattention", 0, {"notice_key": "y", "notice_rt_ms": 800.0}, "notice_key must be"),
    ("inattention", 1, {"notice_key": ""}, "notice_key must be"),
    ("inattention", 1, {"recognition_choice": "banana"}, "recognition_choice"),
    ("inattention", 1, {"recognition_rt_ms": None}, "recognition_rt_ms"),
    ("inattention", 0, {"recognition_choice": "square", "recognition_rt_ms": 900.0},
     "only trials with the object"),
    ("full", 0, {"arm_key": "h"}, "arm_key must be"),
    ("divided", 1, {"notice_rt_ms": None}, "notice_rt_ms"),
])
def test_outcome_refuses_answers_the_trial_did_not_ask_for(attention, critical, change,
                                                           message):
    module, trial, params, payload = trial_of(attention, critical)
    payload["details"].update(change)
    with pytest.raises(ValueError, match=message):
        module.outcome(trial, payload, "keys", params)


def test_response_is_the_first_questions_answer():
    module, trial, params, payload = trial_of("inattention", 0)
    payload["response"] = "v" if payload["details"]["arm_key"] == "h" else "h"
    with pytest.raises(ValueError, match="not an answer of this trial"):
        module.outcome(trial, payload, "keys", params)


def test_texts_are_the_desktops_words_with_the_keys():
    params = demo_params("inattention")
    keys = web_inatt.texts(params, "keys")
    assert "H = the horizontal arm,  V = the vertical arm" in keys["instructions"][0]
    assert "Y = yes" in keys["notice_critical"]
    assert "Press SPACE" not in "".join(web_inatt.texts(params, "touch")["instructions"])
