"""Sharp edges of ``attentionlab run`` (issue 13, items 4, 5, 6 and 9):
the plan said before the session, devices that cannot be opened, did-you-mean,
``--version``, ``--data-dir`` on a file, ``--lang``, the environment variables."""

import importlib.metadata
import os
import re
import subprocess
from pathlib import Path

import pytest
from cli_runner import run_cli

from attentionlab.experiments import cli, devices, session_plan, tasks
from attentionlab.experiments.virtual_display import _read_line

REPO = Path(__file__).resolve().parents[2]


def _main(argv, capsys, monkeypatch, display=None):
    """The command line in this process (a subprocess costs seconds of imports)."""
    if display is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", display)
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse: --help, --version, its own errors
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def _one_line(err):
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


# -- item 4: the plan, before anything opens --------------------------------------

def test_rounded_trials_are_said_before_the_session(tmp_path, capsys, monkeypatch):
    status, out, err = _main(["run", "search", "--participant", "P1", "--trials", "24",
                              "--data-dir", str(tmp_path / "d")], capsys, monkeypatch)
    # No display here: the plan is printed first, then the one-line display error.
    assert status == 2 and "no display" in _one_line(err)
    lines = out.splitlines()
    assert re.fullmatch(r"Plan: 48 test trials and 24 practice trials; (about \d+ min|under "
                        r"a minute) \(an estimate from the timing parameters and typical "
                        r"response times; instructions and breaks not counted\)\.", lines[0])
    assert lines[1] == ("Note: --trials 24 rounded up to 48: the design needs multiples "
                        "of 48.")
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("args, note", [
    (["stroop", "--set", "trials=20"],
     "Note: trials=20 rounded up to 36: the design needs multiples of 36."),
    (["conjunctions", "--trials", "5"],
     "Note: --trials 5 rounded up to 6: the design needs multiples of 2."),
    (["inattention", "--trials", "2"],
     "Note: --trials 2 (trials per phase; the last of each phase shows the object) makes "
     "6 test trials."),
    (["stroop", "--trials", "72"], None),  # already balanced: nothing to say
    (["stroop"], None),
])
def test_rounding_notes(tmp_path, capsys, monkeypatch, args, note):
    status, out, err = _main(["run", *args, "--participant", "P1", "--data-dir",
                              str(tmp_path / "d")], capsys, monkeypatch)
    assert status == 2 and "no display" in err
    notes = [line for line in out.splitlines() if line.startswith("Note:")]
    assert notes == ([note] if note else [])


def test_skip_intro_plans_no_practice(tmp_path, capsys, monkeypatch):
    status, out, _ = _main(["run", "stroop", "--participant", "P1", "--skip-intro",
                            "--data-dir", str(tmp_path / "d")], capsys, monkeypatch)
    assert out.startswith("Plan: 144 test trials, no practice; ")


def test_the_estimate_follows_the_timing_parameters():
    def seconds(**sets):
        params, _ = tasks.resolve_params("stroop", sets=[f"{k}={v}" for k, v in sets.items()])
        return session_plan.estimate_seconds("stroop", params, "P1", seed=7)

    short, long = seconds(iti_ms=0), seconds(iti_ms=2000)
    # Same seed, same simulated responses: 2 s more after each of the 12 + 144 trials.
    assert long["practice"] - short["practice"] == pytest.approx(12 * 2.0, abs=0.01)
    assert long["test"] - short["test"] == pytest.approx(144 * 2.0, abs=0.01)
    # A typical participant answers in about 0.6-0.9 s (docs/simulation.md), so a
    # default trial (500 ms fixation + response + 700 ms blank) lasts about 2 s.
    per_trial = seconds()["test"] / 144
    assert 1.7 < per_trial < 2.2


def test_minutes_are_rounded_for_people():
    assert session_plan.describe_minutes(29) == "under a minute"
    assert session_plan.describe_minutes(89) == "about 1 min"
    assert session_plan.describe_minutes(12.6 * 60) == "about 13 min"


# -- item 5: devices that cannot be opened -----------------------------------------

def _unused_display() -> str:
    """':97' as the issue says, or the next number no X server uses here."""
    for n in range(97, 200):
        if not (Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists()):
            return f":{n}"
    pytest.skip("no unused X display number between 97 and 199")


@pytest.mark.skipif(not os.sys.platform.startswith("linux"), reason="X displays: Linux only")
def test_an_unreachable_display_is_one_line_and_creates_nothing(tmp_path):
    display = _unused_display()
    capture = tmp_path / "screens"
    result = run_cli(["run", "stroop", "--participant", "P1", "--data-dir",
                      str(tmp_path / "data")], display=display, cwd=tmp_path,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(capture)})
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert line.startswith(f"attentionlab: error: cannot open display {display}: "
                           f"connection refused")
    assert "xvfb-run" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.sys.platform.startswith("linux"), reason="X displays: Linux only")
def test_a_malformed_display_name_is_one_line(tmp_path, capsys, monkeypatch):
    status, _, err = _main(["run", "stroop", "--participant", "P1", "--data-dir",
                            str(tmp_path / "d")], capsys, monkeypatch, display="nonsense")
    assert status == 2 and "cannot open display nonsense: not a display name" in _one_line(err)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def display_without_opengl():
    """An X server that answers but has no GLX: the window itself cannot open."""
    import shutil

    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten",
         "tcp", "-extension", "GLX"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        number = _read_line(read_fd, 15.0)
    finally:
        os.close(read_fd)
    try:
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_window_that_cannot_open_is_one_line_and_leaves_no_files(tmp_path,
                                                                  display_without_opengl):
    data_dir = tmp_path / "new" / "data"
    result = run_cli(["run", "stroop", "--participant", "P1", "--windowed", "--data-dir",
                      str(data_dir)], display=display_without_opengl, timeout=120)
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert line == (f"attentionlab: error: cannot open the window on display "
                    f"{display_without_opengl}: pyglet requires an X server with GLX")
    # The folders preflight made are removed again (they were empty).
    assert list(tmp_path.iterdir()) == []


def test_a_window_failure_keeps_a_data_folder_that_already_held_files(
        tmp_path, display_without_opengl):
    data_dir = tmp_path / "data"
    old = data_dir / "sub-P1" / "sub-P1_ses-1_task-stroop_run-1_beh.csv"
    old.parent.mkdir(parents=True)
    old.write_text("participant\nP1\n")
    result = run_cli(["run", "stroop", "--participant", "P1", "--windowed", "--data-dir",
                      str(data_dir)], display=display_without_opengl, timeout=120)
    assert result.returncode == 2 and "cannot open the window" in result.stderr
    assert sorted(p.name for p in old.parent.iterdir()) == [old.name]
    assert old.read_text() == "participant\nP1\n"


class _FakePortAudioError(Exception):
    """Stands for sounddevice.PortAudioError (same module name, as the check uses it)."""


_FakePortAudioError.__module__ = "sounddevice"


def test_a_sound_device_failure_becomes_one_line():
    with pytest.raises(devices.DeviceError, match=r"^cannot open the sound device: Error "
                                                  r"opening OutputStream: Device unavailable "
                                                  r"\[PaErrorCode -9985\]$"):
        with devices.opening("the sound device", only=devices.is_audio_failure):
            raise _FakePortAudioError("Error opening OutputStream: Device unavailable "
                                      "[PaErrorCode -9985]\nmore detail")
    with pytest.raises(devices.DeviceError, match="PortAudio library not found"):
        with devices.opening("the microphone", only=devices.is_audio_failure):
            raise OSError("PortAudio library not found")


def test_other_failures_still_show_their_traceback():
    # A bug in a presenter is not a device problem: it must not be hidden.
    with pytest.raises(ZeroDivisionError):
        with devices.opening("the sound device", only=devices.is_audio_failure):
            1 / 0


def test_a_keyboard_that_cannot_open_is_one_line(monkeypatch):
    with pytest.raises(devices.DeviceError, match="^cannot open the keyboard: no backend$"):
        with devices.opening("the keyboard"):
            raise RuntimeError("no backend")


# -- item 6: --version, did-you-mean, --data-dir on a file, --lang -------------------

def test_version_comes_from_the_package_metadata(capsys, monkeypatch):
    status, out, _ = _main(["--version"], capsys, monkeypatch)
    assert status == 0
    assert out.strip() == f"attentionlab {importlib.metadata.version('attentionlab')}"


@pytest.mark.parametrize("argv, message", [
    (["run", "stroup", "--participant", "P1"],
     "unknown task 'stroup' (did you mean 'stroop'?); available: stroop, search, "),
    (["params", "serch"], "unknown task 'serch' (did you mean 'search'?)"),
    (["simulate", "flicer", "--participants", "2", "--out", "x"],
     "unknown task 'flicer' (did you mean 'flicker'?)"),
    (["run", "stroop", "--participant", "P1", "--set", "deadlin_ms=1500"],
     "unknown parameter 'deadlin_ms' (did you mean 'deadline_ms'?); allowed: trials, "),
    (["params", "search", "--set", "setsizes=4,8"],
     "unknown parameter 'setsizes' (did you mean 'set_sizes'?)"),
    (["simulate", "stroop", "--participants", "2", "--out", "x", "--set", "interferance_ms=3"],
     "unknown parameter 'interferance_ms' (did you mean 'interference_ms'?)"),
    (["power", "stroop", "--effect", "interferance_ms=30", "--participants", "10",
      "--trials", "48"], "cannot power effect 'interferance_ms' (did you mean "
                         "'interference_ms'?)"),
    (["analyze", "in", "--task", "stroup", "--out", "o"],
     "--task 'stroup' has no analysis (did you mean 'stroop'?)"),
])
def test_unknown_names_suggest_the_closest(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = _main(argv, capsys, monkeypatch)
    assert status == 2 and message in _one_line(err)
    assert list(tmp_path.iterdir()) == []


def test_data_dir_on_a_file_says_so(tmp_path, capsys, monkeypatch):
    afile = tmp_path / "results.csv"
    afile.write_text("keep me\n")
    monkeypatch.setattr(devices, "check_display", lambda: None)  # any display will do
    status, out, err = _main(["run", "stroop", "--participant", "P1", "--data-dir",
                              str(afile)], capsys, monkeypatch)
    assert status == 2
    assert _one_line(err) == (f"attentionlab: error: --data-dir {str(afile)!r} is a file, "
                              f"not a folder; choose a folder with --data-dir")
    assert afile.read_text() == "keep me\n" and list(tmp_path.iterdir()) == [afile]


def test_lang_says_which_tasks_take_it(tmp_path, capsys, monkeypatch):
    status, out, err = _main(["run", "search", "--participant", "P1", "--lang", "de"],
                             capsys, monkeypatch)
    assert status == 2
    assert _one_line(err) == ("attentionlab: error: --lang is not available for search: "
                              "only stroop (en, de, fr, es, nl) takes --lang")
    _, help_text, _ = _main(["run", "--help"], capsys, monkeypatch)
    assert "only stroop (en, de, fr, es, nl) takes --lang" in " ".join(help_text.split())


def test_lang_tasks_come_from_the_task_declarations():
    from attentionlab.stimuli.registry import PARAMS
    from attentionlab.stimuli.stroop import LANGUAGES

    assert tasks.lang_tasks() == {"stroop": tuple(LANGUAGES)}
    assert all("lang" not in {f for f in PARAMS[t].__dataclass_fields__}
               for t in PARAMS if t != "stroop")


# -- item 9: the environment variables are in run --help --------------------------

def test_run_help_lists_every_environment_variable_the_session_reads(capsys, monkeypatch):
    _, help_text, _ = _main(["run", "--help"], capsys, monkeypatch)
    epilog = help_text.split("environment variables the session honours:", 1)[1]
    read = set()
    for folder in ("experiments", "stimuli", "core"):
        for path in (REPO / "attentionlab" / folder).glob("*.py"):
            read |= set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']([A-Z_]+)["']""",
                                   path.read_text(encoding="utf-8")))
    read -= {"XDG_CACHE_HOME"}  # explained under ATTENTIONLAB_CACHE
    assert {"DISPLAY", "ATTENTIONLAB_CAPTURE_DIR", "ATTENTIONLAB_CACHE"} <= read
    for name in read:
        assert re.search(rf"^  {name}\s", epilog, re.M), name
    assert "PNG" in epilog and "ethics" in epilog


def test_a_mistyped_command_suggests_the_closest(capsys, monkeypatch):
    status, _, err = _main(["rn", "stroop"], capsys, monkeypatch)
    assert status == 2
    assert _one_line(err).startswith("attentionlab: error: unknown command 'rn' (did you mean "
                                     "'run'?); available: run, params, ")
    status, _, err = _main(["stimuli", "biuld"], capsys, monkeypatch)
    assert status == 2 and "invalid choice: 'biuld' (did you mean 'build'?)" in _one_line(err)


@pytest.mark.skipif(not os.sys.platform.startswith("linux"), reason="X displays: Linux only")
def test_the_classroom_demo_on_an_unreachable_display_is_one_line(tmp_path):
    display = _unused_display()
    result = run_cli(["demo", "--autopilot", "--data-dir", str(tmp_path / "d")],
                     display=display, cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result.stderr).startswith(
        f"attentionlab: error: cannot open display {display}: connection refused")
    assert "attentionlab demo --autopilot'" in result.stderr
