"""Flicker in the browser (attentionlab/web/tasks/flicker.py, web/task_assets.py):
the display is JSON and complete and gives nothing away on test trials, the
pictures are served from the task's own pairs by catalogue number only, the
browser's report is checked, and a row built from it equals the simulated
participant's row for the same answers."""

import io

import numpy as np
import pytest
from web_task_checks import check_display_json, check_rows_equal, good_payload, plan

from attentionlab.web import task_assets
from attentionlab.web.tasks import demo_params
from attentionlab.web.tasks import flicker as web_flicker

CLICK = ("click_x", "click_y", "click_image_x_px", "click_image_y_px", "click_rt_ms")


def payload_from(sim, trial, params):
    """What flicker.js sends for a simulated answer (the autopilot's page)."""
    details = {k: v for k, v in sim.details.items() if k in web_flicker.DETAIL_FIELDS}
    return {"onset_s": sim.onset_s, "response": sim.response, "rt_ms": sim.rt_ms,
            "details": details}


def test_display_is_json_and_only_practice_shows_the_change():
    shown = check_display_json("flicker")
    params, trials = plan("flicker")
    assert len(shown) == 9  # the classroom's short version: 1 practice + 8 test
    for d, t in zip(shown, trials):
        assert d["blank"] == (t.blank_condition == "blank")
        assert (d["width_px"], d["height_px"]) == (t.image_width_px, t.image_height_px)
        text = repr(d)
        if t.phase == "test":
            assert d["feedback"] is None and t.pair not in text
        else:
            assert d["feedback"]["region"] == [list(b) for b in t.region]


def test_pictures_are_the_pairs_images():
    from PIL import Image

    params, trials = plan("flicker")
    pairs = web_flicker.catalogue(params)
    for trial in trials:
        d = web_flicker.display(trial, params)
        k = int(d["image_a"].split("/")[-2])
        assert d["image_b"] == f"/api/assets/flicker/{k}/b.png"
        for which, image in (("a", pairs[trial.pair].image_a), ("b", pairs[trial.pair].image_b)):
            png = task_assets.flicker_png(params, k, which)
            assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), image)


def test_the_picture_route_takes_only_a_catalogue_number_and_a_or_b():
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    client = TestClient(Starlette(routes=task_assets.routes()))
    n = len(web_flicker.catalogue(demo_params("flicker")))
    ok = client.get("/api/assets/flicker/0/a.png")
    assert ok.status_code == 200 and ok.headers["content-type"] == "image/png"
    for bad in (f"/api/assets/flicker/{n}/a.png", "/api/assets/flicker/0/c.png",
                "/api/assets/flicker/-1/a.png", "/api/assets/flicker/..%2F..%2Fetc/a.png",
                "/api/assets/flicker/astronaut_patch/a.png"):
        assert client.get(bad).status_code == 404, bad


def test_rows_from_the_browser_equal_the_simulated_rows():
    assert check_rows_equal("flicker", payload_from) == 3 * 9


def first(kind):
    """A simulated trial with a press (kind 'press') or a timeout ('timeout')."""
    for seed in range(1, 40):
        for index in range(9):
            module, trial, params, payload = good_payload("flicker", payload_from, index, seed)
            if (payload["rt_ms"] is None) == (kind == "timeout"):
                return module, trial, params, payload
    raise AssertionError(kind)


def test_touch_press_is_recorded_as_touch():
    module, trial, params, payload = first("press")
    payload["response"] = "touch"
    assert module.outcome(trial, payload, "touch", params).response == "touch"


@pytest.mark.parametrize("kind, change, message", [
    ("press", {"response": "return"}, "not an answer"),
    ("press", {"rt_ms": 45_000.0}, "response window"),
    ("press", {"details": {"alternations": 3, "frames_per_image": 14, "click_x": 0.1}},
     "a click needs all"),
    ("press", {"details": {"alternations": 3}}, "frames_per_image"),
    ("press", {"details": {"alternations": -1, "frames_per_image": 14}}, "between 0"),
    ("timeout", {"details": {"alternations": 3, "frames_per_image": 14,
                             "detection_time_ms": 30000.0, "click_x": 0.0}}, "no click"),
    ("timeout", {"details": {"alternations": 3, "frames_per_image": 14,
                             "detection_time_ms": 12000.0}}, "run to the timeout"),
    ("timeout", {"details": {"alternations": 3, "frames_per_image": 14}}, "run to the timeout"),
])
def test_outcome_refuses_what_cannot_be(kind, change, message):
    module, trial, params, payload = first(kind)
    payload.update(change)
    with pytest.raises(ValueError, match=message):
        module.outcome(trial, payload, "keys", params)


def test_a_no_blank_trial_has_no_blank_frames():
    params, trials = plan("flicker")
    trial = next(t for t in trials if t.blank_condition == "no_blank")
    payload = {"onset_s": 3.0, "response": "", "rt_ms": None,
               "details": {"alternations": 3, "frames_per_image": 14, "frames_per_blank": 5,
                           "detection_time_ms": 30000.0}}
    with pytest.raises(ValueError, match="no blank frames"):
        web_flicker.outcome(trial, payload, "keys", params)


def test_texts_are_the_desktops_words():
    params = demo_params("flicker")
    keys, touch = web_flicker.texts(params, "keys"), web_flicker.texts(params, "touch")
    assert "Press SPACE as soon as you see what changes" in keys["instructions"][0]
    assert "after 30 seconds" in keys["instructions"][0]
    assert "Tap the screen as soon as you see what changes" in touch["instructions"][0]
    assert touch["click"] == "Tap where the change was"


def test_a_timeout_that_ran_long_is_kept():
    """A busy browser loses frames: the flicker that should stop at 30 s ends
    a few hundred ms later, and a hidden page (another tab) pauses it. The
    row keeps the time it really ran; refusing it would stop the student's
    run (the page cannot send the next trial before this one)."""
    module, trial, params, payload = first("timeout")
    for watched in (params.timeout_ms + 350.0, params.timeout_ms + 200_000.0):
        payload["details"]["detection_time_ms"] = watched
        got = module.outcome(trial, payload, "keys", params)
        assert got.details["detection_time_ms"] == watched and got.rt_ms is None
