"""The analysis-only install: ``pip install attentionlab`` without the lab or
speech extras (issue 13, "Install where labs are").

Each command runs in a subprocess in which PsychoPy, its Qt/OpenCV/audio
packages, python-xlib, PocketSphinx and soundfile cannot be imported (a
meta-path finder raises ModuleNotFoundError for them, as when they are not
installed). The analysis commands must work end to end for every task, and
must not even try to import those packages; the lab commands must say in one
line that they need the lab extra.
"""

import json
import subprocess
import sys
import textwrap
from importlib import metadata

import pytest

from attentionlab.stimuli.registry import TASKS

# What `pip install attentionlab` does not bring: [lab] (PsychoPy and what it pulls) and [speech].
NOT_IN_BASE = ("psychopy", "PyQt6", "PyQt5", "cv2", "sounddevice", "psychtoolbox", "Xlib",
               "pyglet", "soundfile", "pocketsphinx", "starlette", "uvicorn", "segno")

_BLOCKER = textwrap.dedent("""
    import importlib.abc, os, sys
    BLOCKED = set(os.environ["BLOCKED_MODULES"].split(","))
    LOG = os.environ["BLOCKED_LOG"]

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            top = name.split(".")[0]
            if top in BLOCKED:
                with open(LOG, "a") as log:
                    log.write(top + "\\n")
                raise ModuleNotFoundError(f"No module named {top!r}", name=top)
            return None

    sys.meta_path.insert(0, Blocker())
    from attentionlab.experiments.cli import main

    # commands separated by "::", run one after the other in this process (one start-up)
    args, commands = sys.argv[1:], [[]]
    for arg in args:
        commands.append([]) if arg == "::" else commands[-1].append(arg)
    for command in commands:
        status = main(command)
        if status:
            sys.exit(status)
""")


def analysis_only(args, tmp_path, blocked=NOT_IN_BASE):
    """Run ``attentionlab ARGS`` with ``blocked`` unimportable (several commands
    separated by ``"::"`` run in one process, stopping at the first that fails);
    returns the completed process and the modules it tried to import."""
    log = tmp_path / "import_attempts.txt"
    log.write_text("")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg",
           "ATTENTIONLAB_CACHE": str(tmp_path / "cache"),
           "BLOCKED_MODULES": ",".join(blocked), "BLOCKED_LOG": str(log)}
    result = subprocess.run([sys.executable, "-c", _BLOCKER, *map(str, args)], env=env,
                            capture_output=True, text=True, timeout=600)
    return result, sorted(set(log.read_text().split()))


def test_the_blocker_really_blocks(tmp_path):
    """The harness can fail: a module on the list cannot be imported, and the attempt is logged."""
    result, attempts = analysis_only(["run", "stroop", "--participant", "P1"], tmp_path,
                                     blocked=("attentionlab",))
    assert result.returncode != 0 and "No module named 'attentionlab'" in result.stderr
    assert attempts == ["attentionlab"]


@pytest.mark.parametrize("task", TASKS)
def test_simulate_analyze_and_params_work_without_the_extras(task, tmp_path):
    data, out = tmp_path / "data", tmp_path / "analysis"
    result, attempts = analysis_only(["simulate", task, "--participants", "3", "--seed", "3",
                                      "--out", data, "::", "analyze", data, "--out", out,
                                      "::", "params", task], tmp_path)
    assert result.returncode == 0, result.stderr
    assert attempts == [], f"{task}: simulate, analyze or params tried to import {attempts}"
    assert (out / "report.html").is_file() and (out / "participants.csv").is_file()
    assert f"Parameters of {task}" in result.stdout


def test_class_report_export_and_power_work_without_the_extras(tmp_path):
    stroop, search = tmp_path / "stroop", tmp_path / "search"
    result, attempts = analysis_only([
        "simulate", "stroop", "--participants", "3", "--out", stroop,
        "::", "simulate", "search", "--participants", "3", "--out", search,
        "::", "class-report", stroop, search, "--out", tmp_path / "class",
        "::", "export", "bids", stroop, tmp_path / "bids",
        "::", "power", "stroop", "--effect", "interference_ms=60", "--participants", "4,8",
        "--trials", "24", "--simulations", "10", "--seed", "1", "--out", tmp_path / "power",
    ], tmp_path)
    assert result.returncode == 0, result.stderr
    assert attempts == [], f"tried to import {attempts}"
    assert (tmp_path / "class" / "class_report.html").is_file()
    described = json.loads((tmp_path / "bids" / "dataset_description.json").read_text())
    assert described["GeneratedBy"][0]["Version"] == metadata.version("attentionlab")
    assert any((tmp_path / "power").iterdir())


@pytest.mark.parametrize("command", [
    ["run", "stroop", "--participant", "P1", "--data-dir", "DATA"],
    ["run", "dichotic", "--participant", "P1", "--autopilot", "--data-dir", "DATA"],
    ["demo", "--autopilot", "--data-dir", "DATA"],
])
def test_sessions_without_the_lab_extra_say_so_in_one_line(command, tmp_path):
    data = tmp_path / "data"
    result, _ = analysis_only([str(data) if a == "DATA" else a for a in command], tmp_path)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "needs the lab extra: pip install 'attentionlab[lab]'" in line
    if command[0] == "run":
        assert line == ("attentionlab: error: running sessions needs the lab extra: "
                        "pip install 'attentionlab[lab]'") or sys.version_info >= (3, 13)
    assert not data.exists()


def test_check_without_psychopy_reports_what_is_missing_and_how_to_install(tmp_path):
    result, _ = analysis_only(["check", "--data-dir", tmp_path / "data"], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = {line.split("]", 1)[1].split()[0]: line for line in result.stdout.splitlines()
             if line.startswith("[")}
    sessions = lines["sessions"]
    assert sessions.startswith("[FAIL]") and "sessions cannot run" in sessions
    assert "pip install 'attentionlab[lab]'" in sessions
    speech = lines["speech"]
    assert "pocketsphinx" in speech and "pip install 'attentionlab[speech]'" in speech
    audio = lines["audio"]
    assert audio.startswith("[WARN]") and "pip install 'attentionlab[lab]'" in audio
    if sys.platform.startswith("linux"):
        autopilot = lines["autopilot"]
        assert "pip install python-xlib" in autopilot


def test_scoring_recorded_shadowing_without_the_speech_extra_is_refused(monkeypatch):
    """A dichotic session with recordings is not analysed without its shadowing
    scores: one line naming the speech extra."""
    import pandas as pd

    from attentionlab.analysis.problems import FILE
    from attentionlab.speech.shadowing_sessions import score_messages
    from attentionlab.core.errors import UsageError

    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # as if not installed
    test = pd.DataFrame({"item": ["message"], "recording_file": ["rec.wav"], FILE: [0]})
    sessions = pd.DataFrame({FILE: [0], "file": ["nowhere/sub-1_beh.csv"]})
    with pytest.raises(UsageError, match=r"needs the speech extra \(pocketsphinx[a-z, ]* not "
                                         r"installed\): pip install 'attentionlab\[speech\]'"):
        score_messages(test, sessions, file_column=FILE)
