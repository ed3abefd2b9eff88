"""Visual search in the browser (attentionlab/web/tasks/search.py): the display
holds the plan's own items and the participant's keys, the texts are the
desktop task's, the browser's report is checked, and a row built from it
equals the simulated participant's row (keys and the two buttons alike)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from web_task_checks import check_display_json, check_rows_equal, good_payload, plan

from attentionlab.classroom.search import TEXTBOOK
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import search
from attentionlab.stimuli.search_text import TEXT
from attentionlab.web.tasks import demo_params
from attentionlab.web.tasks import search as web_search


def payload_from(sim, trial, params):
    """What search.js sends for a simulated key press (the autopilot's page; a
    button sends the key it stands for, so keys and touch send the same)."""
    return {"onset_s": sim.onset_s, "response": sim.response, "rt_ms": sim.rt_ms,
            "details": {}}


def test_the_browser_runs_the_desktop_demos_short_version():
    from attentionlab.experiments.tasks import resolve_params

    desktop, _ = resolve_params("search", sets=list(TEXTBOOK.demo_sets))
    assert demo_params("search") == desktop


def test_display_is_json_and_holds_the_plans_items():
    shown = check_display_json("search")
    params, trials = plan("search")
    assert len(shown) == len(trials) == 2 * 4 + 48
    for d, t in zip(shown, trials):
        assert [(i["x"], i["y"], i["kind"]) for i in d["items"]] == \
            [(i.x, i.y, i.kind) for i in t.items]
        assert [(i["shape"], i["rotation"]) for i in d["items"]] == \
            [(i.shape, i.rotation) for i in t.items]
        assert (d["search_type"], d["set_size"], d["target_present"]) == \
            (t.search_type, t.set_size, t.target_present)
        assert (d["field_width"], d["field_height"], d["item_size"]) == \
            (params.field_width, params.field_height, params.item_size)
        # the two answers in the keys' left-to-right order, as the participant's mapping
        assert [b["key"] for b in d["buttons"]] == list(params.keys)
        keys = search.answer_keys(params, "S1234")
        assert {b["answer"]: b["key"] for b in d["buttons"]} == keys


def test_items_are_drawn_as_on_the_desktop():
    from attentionlab.experiments import search as desktop

    params, trials = plan("search")
    d = web_search.display(trials[0], params)
    assert web_search.ITEM_RGB255 == desktop.ITEM_RGB255
    assert (d["bar_width"], d["stroke_width"]) == (desktop.BAR_WIDTH, desktop.STROKE_WIDTH)
    colours = {"rgb({}, {}, {})".format(*v): k for k, v in desktop.ITEM_RGB255.items()}
    for shown, item in zip(d["items"], trials[0].items):
        assert colours[shown["rgb"]] == item.colour


def test_practice_feedback_is_the_desktops_judged_by_score():
    params, trials = plan("search")
    for trial in trials[:8]:
        feedback = web_search.display(trial, params)["feedback"]
        other = next(k for k in params.keys if k != trial.correct_key)
        assert feedback[trial.correct_key] == {"kind": "correct", "text": TEXT["correct"]}
        wrong = TEXT["wrong_present" if trial.target_present else "wrong_absent"]
        assert feedback[other] == {"kind": "wrong", "text": wrong}
        assert feedback["none"]["text"] == "Too slow: answer within 4 s"
    assert web_search.display(trials[-1], params)["feedback"] is None


def test_texts_are_the_desktop_tasks_words():
    params = demo_params("search")
    keys = web_search.texts(params, "keys")
    assert keys["instructions"] == [TEXT["welcome"]]  # {present} ...: the page's mapping
    for name in ("practice", "test", "break", "block_body", "what_conjunction", "correct"):
        assert keys[name] == TEXT[name]
    touch = web_search.texts(params, "touch")
    for text in [*touch["instructions"], touch["practice"], touch["test"], touch["break"],
                 touch["block_body"]]:
        assert "SPACE" not in text and "press" not in text.lower()
        assert not any(f"{{{key}}}" in text for key in ("present", "absent", "left", "keys"))
    assert touch["what_feature"] == TEXT["what_feature"]
    json.dumps(keys), json.dumps(touch)


@pytest.mark.parametrize("input", ["keys", "touch"])
def test_rows_from_the_browser_equal_the_simulated_rows(input):
    assert check_rows_equal("search", payload_from, input=input) == 3 * 56


@pytest.mark.parametrize("input, change, message", [
    ("keys", {"response": "d", "rt_ms": 500.0}, "not an answer"),
    ("touch", {"response": "present", "rt_ms": 500.0}, "not an answer"),
    ("keys", {"response": "f", "rt_ms": None}, "without rt_ms"),
    ("keys", {"response": "", "rt_ms": 500.0}, "not an answer"),
    ("keys", {"response": "f", "rt_ms": 4001.0}, "response window"),
    ("keys", {"onset_s": -1.0}, "onset_s"),
    ("keys", {"details": {"x": 3.0}}, "not allowed"),
    ("voice", {}, "not available"),
])
def test_reports_that_make_no_sense_are_refused(input, change, message):
    module, trial, params, payload = good_payload("search", payload_from, index=1)
    payload.update(change)
    with pytest.raises(ValueError, match=message):
        module.outcome(trial, payload, input, params)


def test_a_button_answer_is_scored_as_its_key():
    module, trial, params, payload = good_payload("search", payload_from, index=1)
    for key in params.keys:
        payload.update(response=key, rt_ms=700.0)
        outcome = module.outcome(trial, payload, "touch", params)
        assert outcome == Outcome(payload["onset_s"], key, 700.0)
        assert search.score(trial, outcome)["correct"] == int(key == trial.correct_key)


@pytest.mark.skipif(shutil.which("node") is None,
                    reason="Node.js is not installed (needed to run search.js outside a browser)")
@pytest.mark.parametrize("shape", ["T", "L"])
def test_the_pages_t_and_l_are_the_desktops(shape):
    from attentionlab.experiments.search import letter_vertices

    search_js = Path(web_search.__file__).parents[1] / "static" / "tasks" / "search.js"
    code = (f"const m = await import({json.dumps(search_js.as_uri())});"
            f"console.log(JSON.stringify(m.letterVertices({json.dumps(shape)}, 0.06, 0.012)));")
    done = subprocess.run(["node", "--input-type=module", "-e", code], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout)
    desktop = letter_vertices(shape, 0.06, 0.012)
    assert len(page) == len(desktop)
    for (x, y), (dx, dy) in zip(page, desktop):
        assert (x, y) == (pytest.approx(dx), pytest.approx(dy))
