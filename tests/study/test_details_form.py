"""The details form on Xvfb, driven by key presses injected through XTest."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.display

# Runs in its own process (PsychoPy binds to one display per process).
SCRIPT = r"""
import json, os, sys
from psychopy import visual
from attentionlab.core.participant_details import parse_fields
from attentionlab.experiments import participant_form
from attentionlab.experiments.session import (Session, SessionAborted, SessionOptions)
from attentionlab.stimuli.stroop import PARAMS

fields = parse_fields([
    {"name": "age", "type": "int", "min": 18, "max": 99},
    {"name": "handedness", "type": "choice", "choices": ["left", "right", "both"]},
    {"name": "notes", "type": "text", "max_length": 12, "required": False},
])
original_keys = participant_form.autopilot_keys
out = {}
# 1. Its own window; the autopilot's hands type what a person might: a wrong
#    age first (15), then corrects it; a letter on a choice; then the rest.
typed = ["1", "5", "Return", "BackSpace", "BackSpace", "2", "5", "Return",
         "x", "2", "Return", "o", "k", "space", "1", "Return"]
participant_form.autopilot_keys = lambda fields, answers: typed
win = visual.Window((1024, 768), units="height", color=(-1, -1, -1), winType="pyglet",
                    checkTiming=False, fullscr=False)
out["scripted"] = participant_form.ask_details(win, fields, autopilot=True)
# 2. Escape stops the form: nothing is returned.
typed = ["2", "Escape"]
try:
    participant_form.ask_details(win, fields, autopilot=True)
    out["escape"] = "not aborted"
except SessionAborted as exc:
    out["escape"] = exc.args[0]
win.close()
# 3. A session's window, keyboard and autopilot (the study runner's way);
#    the session numbers its captures from 1, so they go into a folder of their own.
participant_form.autopilot_keys = original_keys
os.environ["ATTENTIONLAB_CAPTURE_DIR"] = sys.argv[1]
session = Session(SessionOptions(task="stroop", participant="P1", windowed=True,
                                 autopilot=True, seed=5), PARAMS())
session.open()
try:
    out["session"] = participant_form.ask_details(session, fields)
finally:
    session.finish(False)
print("RESULT " + json.dumps(out))
"""


def test_the_form_on_xvfb_takes_typed_answers_shows_messages_and_stops_on_escape(
        x_display, tmp_path):
    capture = tmp_path / "screens"
    env = {**os.environ, "DISPLAY": x_display, "ATTENTIONLAB_CAPTURE_DIR": str(capture)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "session")],
                            env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    out = json.loads(line[len("RESULT "):])
    assert out["scripted"] == {"age": 25, "handedness": "right", "notes": "ok 1"}
    assert out["escape"] == "escape key pressed"
    session = out["session"]
    assert 18 <= session["age"] <= 99 and session["handedness"] in ("left", "right", "both")
    assert session["notes"] == "none"
    # The empty form, the message for age 15, the message for 'x' on the
    # choice, the filled form; then the Escape run's empty form.
    assert _screens(capture) == ["details", "details_message", "details_message",
                                 "details_filled", "details"]
    assert _screens(tmp_path / "session") == ["details", "details_filled"]


def _screens(folder):
    return [p.stem.split("_", 1)[1] for p in sorted(Path(folder).glob("*.png"))]
