"""Illusory conjunctions in the browser (attentionlab/web/tasks/conjunctions.py):
the display is JSON and complete, the browser's report is checked, and a row
built from it equals the simulated participant's row for the same answers."""

import pytest
from web_task_checks import check_display_json, check_rows_equal, good_payload, plan

from attentionlab.core.errors import UsageError
from attentionlab.stimuli import conjunctions
from attentionlab.web.tasks import conjunctions as web_conj
from attentionlab.web.tasks import demo_params


def payload_from(sim, trial, params):
    """What conjunctions.js sends for a simulated answer (the autopilot's page)."""
    details = {k: sim.details[k] for k in ("exposure_frames", "exposure_ms",
                                           "exposure_measured_ms")}
    for i, (letter, colour) in enumerate(sim.details["reports"], start=1):
        details[f"report{i}_letter"], details[f"report{i}_colour"] = letter, colour
    return {"onset_s": sim.onset_s, "response": sim.response, "rt_ms": sim.rt_ms,
            "details": details}


def test_display_is_json_and_shows_the_plans_row_and_mask():
    shown = check_display_json("conjunctions")
    params, trials = plan("conjunctions")
    assert len(shown) == 18  # the classroom's short version: 2 practice + 16 test
    for d, t in zip(shown, trials):
        assert [i["text"] for i in d["items"]] == [str(t.digit_left), *t.letters,
                                                   str(t.digit_right)]
        fragments = conjunctions.mask_fragments(params, t.mask_seed)
        assert [(f["x"], f["ori"]) for f in d["mask"]] == \
            [(round(f["x"], 5), round(f["ori"], 5)) for f in fragments]
        assert (d["feedback"] is None) == (t.phase == "test")


def test_rows_from_the_browser_equal_the_simulated_rows():
    assert check_rows_equal("conjunctions", payload_from) == 3 * 18


def test_the_staircase_is_refused():
    with pytest.raises(UsageError, match="staircase"):
        web_conj.check(demo_params("conjunctions", ["staircase=true"]))


def report(payload, i, letter, colour):
    payload["details"][f"report{i}_letter"] = letter
    payload["details"][f"report{i}_colour"] = colour
    return payload


@pytest.mark.parametrize("change, message", [
    (lambda p, t: p.update(response="7"), "two digits"),
    (lambda p, t: p.update(response="x7"), "two digits"),
    (lambda p, t: p.update(rt_ms=None), "time of the first digit"),
    (lambda p, t: report(p, 1, "Q", "red"), "report 1 must be"),
    (lambda p, t: report(p, 2, t.letters[0], "yellow"), "report 2 must be"),
    (lambda p, t: report(report(p, 1, "T", "red"), 2, "T", "blue"), "once"),
    (lambda p, t: p["details"].pop("report3_colour"), "report 3 must be"),
    (lambda p, t: p["details"].update(exposure_frames=0), "exposure_frames"),
    (lambda p, t: p["details"].update(exposure_measured_ms=-4.0), "exposure_measured_ms"),
])
def test_outcome_refuses_what_cannot_be(change, message):
    module, trial, params, payload = good_payload("conjunctions", payload_from, index=3)
    change(payload, trial)
    with pytest.raises(ValueError, match=message):
        module.outcome(trial, payload, "keys", params)


def test_texts_are_the_desktops_words():
    params = demo_params("conjunctions")
    keys, touch = web_conj.texts(params, "keys"), web_conj.texts(params, "touch")
    assert "Type the two digits (number keys" in keys["instructions"][0]
    assert "Tap the two digits on the keypad" in touch["instructions"][0]
    assert "click" not in touch["instructions"][0].lower().replace("clock", "")


def test_serve_refuses_the_staircase_before_students_come(tmp_path):
    """``classroom serve --set conjunctions.staircase=true``: one line, exit 2,
    nothing created (the module's check runs when the options are read)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "attentionlab.experiments.cli", "classroom",
                           "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir",
                           str(tmp_path / "class"), "--tasks", "conjunctions",
                           "--set", "conjunctions.staircase=true"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "staircase=true is only available in the lab" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""
    assert not (tmp_path / "class").exists()
