"""Posner, flicker, conjunctions and inattention in a real browser (issue 17):
two autopilot students, one on a laptop (keys, 1024 x 768) and one on a phone
held upright (touch, 412 x 915), do the four short demos; every planned trial
is in their files with the answers the page recorded, the touch student's
presses are recorded as taps, ``analyze`` reads every task's files, and
inattention cannot be done twice.

Nothing here judges speed: the waits only stop a hung test.
"""

import json

import httpx
import pandas as pd
import pytest

from web_browser_helpers import (ClassServer, attentionlab, data_files, planned_trials,
                                 teacher_status, wait_until)

pytestmark = pytest.mark.xdist_group("browser")

TASKS = ("posner", "flicker", "conjunctions", "inattention")
FAST = ("fixation_ms=200", "iti_ms=200")
SETS = {
    "posner": ("trials=9", "practice_trials=2", "fixation_jitter_ms=0", "feedback_ms=300",
               *FAST),                                                      # 2 + 9 trials
    "flicker": ("trials=3", "practice_trials=1", "timeout_ms=8000", "feedback_ms=300",
                *FAST),                                                     # 1 + 3 trials
    "conjunctions": ("trials=3", "practice_trials=1", "feedback_ms=300", *FAST),  # 1 + 3
    "inattention": ("trials=1", *FAST),                                     # 3 trials
}
DEVICES = {"keys": (1024, 768), "touch": (412, 915)}


@pytest.fixture(scope="module")
def finished(browser, tmp_path_factory):
    """Both students done with the four demos; yields (server, {input: page})."""
    server = ClassServer(tmp_path_factory.mktemp("other_demos") / "class", tasks=TASKS,
                         sets=SETS)
    pages = {}
    try:
        server.start()
        for kind, (w, h) in DEVICES.items():
            context = browser.new_context(viewport={"width": w, "height": h})
            page = context.new_page()
            page.goto(f"{server.student_url}?autopilot=1&input={kind}&read_ms=200")
            pages[kind] = page
        wait_until(pages["keys"], lambda: all(
            teacher_status(server)["tasks"][t]["finished"] >= len(DEVICES) for t in TASKS),
            "two students finishing posner, flicker, conjunctions and inattention")
        yield server, pages
    finally:
        for page in pages.values():
            page.context.close()
        server.stop()


def runs(server, task):
    """{response_device: (rows, sidecar)} of the task's files."""
    out = {}
    for path in data_files(server.data_dir, task):
        sidecar = json.loads(path.with_suffix(".json").read_text())
        out[sidecar["response_device"]] = (pd.read_csv(path, keep_default_na=False), sidecar)
    return out


@pytest.mark.parametrize("task", TASKS)
def test_every_planned_trial_is_written_once(finished, task):
    server, _ = finished
    n_practice, n_test = planned_trials(task, SETS[task])
    found = runs(server, task)
    assert sorted(found) == sorted(DEVICES)
    for kind, (rows, sidecar) in found.items():
        assert list(rows["trial_index"]) == list(range(1, n_practice + n_test + 1)), kind
        assert (rows["phase"] == "test").sum() == n_test
        assert set(rows["simulated"]) == {1}
        assert sidecar["completed"] is True and sidecar["platform"] == "browser"


def test_taps_are_recorded_as_taps(finished):
    server, _ = finished
    for task in ("posner", "flicker"):
        for kind, (rows, _) in runs(server, task).items():
            answered = set(rows.loc[rows["rt_ms"] != "", "response"])
            assert answered == ({"touch"} if kind == "touch" else {"space"}), (task, kind)


def test_the_pages_own_timing_is_in_the_rows(finished):
    """Conjunctions: the frames shown and the rAF time from the row to the mask;
    flicker: the phases' frame counts (the values vary; that they are
    measured, not copied from the plan, is what is checked)."""
    server, _ = finished
    for kind, (rows, sidecar) in runs(server, "conjunctions").items():
        assert (rows["exposure_frames"].astype(int) >= 1).all()
        assert (rows["exposure_measured_ms"].astype(float) > 0).all()
        assert sidecar["frame_rate_hz"] is not None
    for kind, (rows, _) in runs(server, "flicker").items():
        assert (rows["frames_per_image"].astype(int) >= 1).all()
        assert (rows["image_phases"].astype(int) >= 1).all()


@pytest.mark.parametrize("task", TASKS)
def test_analyze_reads_the_browsers_files(finished, task, tmp_path):
    server, _ = finished
    done = attentionlab("analyze", server.data_dir, "--task", task, "--out", tmp_path / task)
    assert done.returncode == 0, done.stderr
    participants = pd.read_csv(tmp_path / task / "participants.csv")
    assert len(participants) == len(DEVICES)


def test_inattention_works_once(finished):
    server, pages = finished
    token = pages["keys"].evaluate("localStorage.getItem('attentionlab.student_token')")
    device = {"user_agent": "test", "screen_w": 1024, "screen_h": 768, "dpr": 1.0,
              "touch": False, "frame_rate_hz": 60.0, "input": "keys"}
    answer = httpx.post(server.student_url + "api/start", json={
        "student_token": token, "task": "inattention", "device": device})
    assert answer.status_code == 409
    assert "only once" in answer.json()["error"]
    menu = httpx.post(server.student_url + "api/join", json={"student_token": token}).json()
    assert {item["task"]: item["once"] for item in menu["menu"]} == {
        "posner": False, "flicker": False, "conjunctions": False, "inattention": True}
