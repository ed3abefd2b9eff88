"""Stroop in the browser (attentionlab/web/tasks/stroop.py): the display is JSON
and complete, the texts are the desktop task's, the browser's report is
checked, a row built from it equals the simulated participant's row, and an
answer on the touch screen's coloured buttons is recorded as touch."""

import json

import pytest
from web_task_checks import check_display_json, check_rows_equal, good_payload, plan

from attentionlab.classroom.stroop import TEXTBOOK
from attentionlab.core.errors import UsageError
from attentionlab.core.outcome import Outcome
from attentionlab.core.trial_row import SessionFacts, build_row
from attentionlab.stimuli import stroop
from attentionlab.stimuli.stroop_words import INK_COLOURS, INK_RGB255, TEXT
from attentionlab.web.tasks import demo_params
from attentionlab.web.tasks import stroop as web_stroop

STAMP = "2026-12-03T09:00:00.000+00:00"


def payload_from(sim, trial, params):
    """What stroop.js sends for a simulated key press (the autopilot's page)."""
    return {"onset_s": sim.onset_s, "response": sim.response, "rt_ms": sim.rt_ms,
            "details": {}}


def test_the_browser_runs_the_desktop_demos_short_version():
    from attentionlab.experiments.tasks import resolve_params

    desktop, _ = resolve_params("stroop", sets=list(TEXTBOOK.demo_sets))
    assert demo_params("stroop") == desktop
    assert web_stroop.DEMO_SETS == TEXTBOOK.demo_sets


def test_display_is_json_and_shows_the_plans_trial():
    shown = check_display_json("stroop")
    params, trials = plan("stroop")
    assert len(shown) == len(trials) == 6 + 48
    mapping = stroop.colour_to_key(params, "S1234")
    for d, t in zip(shown, trials):
        assert (d["word"], d["ink"]) == (t.word, t.ink)
        assert d["ink_rgb"] == "rgb({}, {}, {})".format(*INK_RGB255[t.ink])
        # the four answers, left to right in the keys' order, as the participant's mapping
        assert [b["key"] for b in d["buttons"]] == list(params.keys)
        assert {b["colour"]: b["key"] for b in d["buttons"]} == mapping
        assert d["legend"] == (t.phase == "practice")
        assert (d["fixation_ms"], d["deadline_ms"]) == (params.fixation_ms, params.deadline_ms)
        assert (d["feedback"] is None) == (t.phase == "test")


def test_practice_feedback_is_the_desktops_judged_by_score():
    params, trials = plan("stroop")
    trial = trials[0]
    feedback = web_stroop.display(trial, params)["feedback"]
    ink = TEXT["en"]["colour_names"][trial.ink].upper()
    assert feedback["none"] == {"kind": "too_slow", "text": TEXT["en"]["too_slow"]}
    assert feedback[trial.correct_key] == {"kind": "correct", "text": "Correct"}
    assert feedback[trial.ink]["kind"] == "correct"  # the colour tapped
    for key in set(params.keys) - {trial.correct_key}:
        assert feedback[key] == {"kind": "wrong", "text": f"Wrong: the ink was {ink}"}
    for colour in set(INK_COLOURS) - {trial.ink}:
        assert feedback[colour]["kind"] == "wrong"


def test_texts_are_the_desktop_tasks_words():
    params = demo_params("stroop")
    keys = web_stroop.texts(params, "keys")
    for name in ("practice", "test", "break", "correct", "wrong", "too_slow"):
        assert keys[name] == TEXT["en"][name]
    assert keys["instructions"] == [TEXT["en"]["welcome"]]  # {legend}: the page's mapping
    touch = web_stroop.texts(params, "touch")
    assert "Tap the button for the COLOUR OF THE INK" in touch["instructions"][0]
    for text in [*touch["instructions"], touch["practice"], touch["test"], touch["break"]]:
        assert "SPACE" not in text and "key" not in text.lower()
    json.dumps(keys), json.dumps(touch)


def test_rows_from_the_browser_equal_the_simulated_rows():
    assert check_rows_equal("stroop", payload_from) == 3 * 54


def test_a_touch_answer_is_the_colour_tapped_and_says_touch():
    module, trial, params, payload = good_payload("stroop", payload_from, index=0)
    facts = SessionFacts("S1234", "1", "stroop", run=1, simulated=0)
    rows = {}
    for colour in INK_COLOURS:
        payload.update(response=colour, rt_ms=640.0)
        outcome = module.outcome(trial, payload, "touch", params)
        rows[colour] = build_row(facts, trial, outcome, stroop.score(trial, outcome),
                                 trial_index=1, dropped_frames=0, timestamp=STAMP)
    for colour, row in rows.items():
        assert (row["response"], row["response_colour"], row["response_mode"]) == \
            (colour, colour, "touch")
        assert row["correct"] == int(colour == trial.ink)
    # the same answer pressed on its key: the same correctness, recorded as keys
    key = trial.key_for(trial.ink)
    pressed = Outcome(payload["onset_s"], key, 640.0)
    scored = stroop.score(trial, pressed)
    assert (scored["correct"], scored["response_colour"], scored["response_mode"]) == \
        (1, trial.ink, "keys")


def test_a_touch_screen_without_an_answer_is_not_correct():
    module, trial, params, payload = good_payload("stroop", payload_from, index=0)
    payload.update(response="", rt_ms=None)
    outcome = module.outcome(trial, payload, "touch", params)
    assert stroop.score(trial, outcome)["correct"] == 0
    assert stroop.score(trial, outcome)["response_mode"] == "touch"


@pytest.mark.parametrize("input, change, message", [
    ("keys", {"response": "x", "rt_ms": 500.0}, "not an answer"),
    ("keys", {"response": "red", "rt_ms": 500.0}, "not an answer"),  # a colour needs touch
    ("touch", {"response": "d", "rt_ms": 500.0}, "not an answer"),   # a key is not a button
    ("touch", {"response": "purple", "rt_ms": 500.0}, "not an answer"),
    ("keys", {"response": "d", "rt_ms": None}, "without rt_ms"),
    ("keys", {"response": "", "rt_ms": 500.0}, "not an answer"),
    ("keys", {"response": "d", "rt_ms": 2000.5}, "response window"),
    ("keys", {"response": "d", "rt_ms": -3.0}, "response window"),
    ("keys", {"onset_s": -0.5}, "onset_s"),
    ("keys", {"onset_s": None}, "onset_s"),
    ("keys", {"rt_ms": float("nan"), "response": "d"}, "finite"),
    ("keys", {"details": {"heard_colour": "red"}}, "not allowed"),
    ("voice", {}, "not available"),
])
def test_reports_that_make_no_sense_are_refused(input, change, message):
    module, trial, params, payload = good_payload("stroop", payload_from, index=2)
    payload.update(change)
    with pytest.raises(ValueError, match=message):
        module.outcome(trial, payload, input, params)


def test_a_good_report_passes():
    module, trial, params, payload = good_payload("stroop", payload_from, index=2)
    payload.update(response="d", rt_ms=2000.0)  # on the deadline still counts
    assert module.outcome(trial, payload, "keys", params) == Outcome(
        payload["onset_s"], "d", 2000.0)


def test_voice_is_refused_for_the_browser():
    with pytest.raises(UsageError, match="only available in the lab"):
        demo_params("stroop", ["response=voice"])
