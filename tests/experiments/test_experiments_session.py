"""Real PsychoPy sessions on a private Xvfb, driven by the autopilot (XTest)."""

import hashlib
import json
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli, start_cli
from contract_checks import assert_filled_like_simulation, assert_same_plan

from attentionlab.core.columns import column_names
from attentionlab.stimuli import stroop

pytestmark = pytest.mark.display

FAST = ["--set", "fixation_ms=200", "--set", "iti_ms=200"]


def _files(data_dir, participant, run=1):
    stem = Path(data_dir) / f"sub-{participant}" / f"sub-{participant}_ses-1_task-stroop_run-{run}_beh"
    return stem.with_suffix(".csv"), stem.with_suffix(".json")


def _read(csv_path):
    return pd.read_csv(csv_path, dtype={"participant": str, "session": str, "response": str})


def _screens(capture_dir):
    return [p.stem.split("_", 1)[1] for p in sorted(Path(capture_dir).glob("*.png"))]


@pytest.fixture(scope="module")
def full_session(x_display, tmp_path_factory):
    """A whole session with instructions, practice, two blocks and screen captures."""
    root = tmp_path_factory.mktemp("full")
    capture = root / "screens"
    result = run_cli(["run", "stroop", "--participant", "P07", "--data-dir", str(root / "data"),
                      "--autopilot", "--trials", "24", "--set", "blocks=2",
                      "--set", "practice_trials=3", "--seed", "11", "--photodiode", *FAST],
                     display=x_display, env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(capture)})
    csv_path, sidecar = _files(root / "data", "P07")
    return result, csv_path, sidecar, capture


def test_full_session_completes_with_every_row_and_a_complete_sidecar(full_session):
    result, csv_path, sidecar_path, _ = full_session
    assert result.returncode == 0, result.stderr
    data = _read(csv_path)
    assert list(data.columns) == column_names(stroop.COLUMNS)
    assert (data.phase == "practice").sum() == 3 and (data.phase == "test").sum() == 24
    assert data.trial_index.tolist() == list(range(1, 28))
    assert set(data.simulated) == {1}
    side = json.loads(sidecar_path.read_text())
    assert side["completed"] is True and side["abort_reason"] is None
    assert side["trials_planned"] == 24 and side["trials_done"] == 24
    assert side["seed"] == 11 and side["params"]["blocks"] == 2
    assert side["keyboard"]["backend"] == "ptb"
    assert side["timing"]["vsync_detected"] is False
    assert side["timing"]["frame_pacing"] == "software"
    assert side["key_mapping"]["colour_to_key"] == stroop.colour_to_key(
        stroop.StroopParams(), "P07")
    assert "Pacing frames in software" in result.stderr


def test_trials_are_the_plan_and_columns_are_filled_like_the_simulation(full_session):
    """One plan (stroop.make_plan for the session's seed) and one scoring: the
    data-only simulation of this participant fills the same columns
    (response_mode included)."""
    csv_path = full_session[1]
    assert_same_plan(csv_path)
    assert_filled_like_simulation(csv_path)
    assert (_read(csv_path).response_mode == "keys").all()


def test_flow_instructions_practice_feedback_blocks_break_thanks(full_session):
    screens = _screens(full_session[3])
    assert screens[0] == "instructions" and screens[1] == "practice_intro"
    assert screens[-1] == "thanks"
    assert screens.count("break") == 1  # between the two test blocks
    assert "test_intro" in screens
    assert any(s.startswith("feedback_") for s in screens)
    first_test = screens.index("test_intro")
    assert not any(s.startswith("feedback_") for s in screens[first_test:])


def test_recorded_rts_come_from_the_injected_key_presses(full_session):
    """Every RT is an injected press timed from the word's onset flip: never
    before the press was made, and only where a press was planned. How close
    it is (Psychtoolbox timestamps, not per-frame polling) depends on the
    machine's load: benchmarks/autopilot_timing.py and rt_accuracy.py print it."""
    _, csv_path, sidecar_path, _ = full_session
    data = _read(csv_path)
    presses = pd.DataFrame(json.loads(sidecar_path.read_text())["autopilot"]["trials"])
    merged = data.merge(presses, on="trial_index").dropna(subset=["rt_ms"])
    assert len(merged) >= 20
    assert merged.injected_rt_ms.notna().all()
    assert (merged.rt_ms >= merged.injected_rt_ms - 1.0).all()  # µs rounding of both


def test_correctness_and_response_colour_follow_the_mapping(full_session):
    data = _read(full_session[1]).dropna(subset=["rt_ms"])
    assert ((data.response == data.correct_key) == (data.correct == 1)).all()
    assert ((data.response_colour == data.ink) == (data.correct == 1)).all()


def test_photodiode_patch_is_on_the_stimulus_frames_only(full_session):
    capture = full_session[3]
    from PIL import Image

    def corner_and_centre(path):
        img = np.asarray(Image.open(path).convert("RGB")).max(axis=2)
        h = img.shape[0]
        patch = img[h - 10:h - 2, 2:10]  # inside the bottom-left square
        return patch.mean(), img[h // 2 - 40:h // 2 + 40, :].max()

    stimulus = [p for p in sorted(capture.glob("*_test_*.png")) if "intro" not in p.name]
    fixation = sorted(capture.glob("*_fixation.png"))
    assert stimulus and fixation
    for path in stimulus[:5]:
        corner, centre = corner_and_centre(path)
        assert corner > 250 and centre > 100  # white patch and a visible word
    for path in fixation[:5]:
        assert corner_and_centre(path)[0] < 5


def test_skip_intro_starts_with_a_test_trial_and_a_rerun_is_run_2(x_display, tmp_path):
    data_dir, capture = tmp_path / "data", tmp_path / "screens"
    args = ["run", "stroop", "--participant", "P1", "--data-dir", str(data_dir), "--autopilot",
            "--skip-intro", "--trials", "6", "--set", "blocks=1", "--seed", "3", *FAST]
    first = run_cli(args, display=x_display, env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(capture)})
    assert first.returncode == 0, first.stderr
    screens = _screens(capture)
    assert screens[0] == "fixation" and screens[1].startswith("test_")
    run1_csv, run1_json = _files(data_dir, "P1")
    assert set(_read(run1_csv).phase) == {"test"}
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (run1_csv, run1_json)}

    second = run_cli(args, display=x_display)
    assert second.returncode == 0, second.stderr
    run2_csv, run2_json = _files(data_dir, "P1", run=2)
    assert run2_csv.exists() and json.loads(run2_json.read_text())["run"] == 2
    assert set(_read(run2_csv).run) == {2}
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (run1_csv, run1_json)}
    assert before == after


# Generous: on a busy machine the session may be slow to start, but it ends
# at its next frame once asked to (a lost close runs on for over a minute).
ENDS_WITHIN_S = 30


def _wait_for_rows(csv_path, n, proc, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"session ended early: {proc.communicate()}")
        if csv_path.exists() and len(csv_path.read_text().splitlines()) >= n + 1:
            return
        time.sleep(0.05)
    raise AssertionError("rows did not appear")


def _long_session(data_dir, participant):
    return ["run", "stroop", "--participant", participant, "--data-dir", str(data_dir),
            "--autopilot", "--skip-intro", "--trials", "48", "--set", "blocks=1", *FAST]


def test_sigkill_mid_session_leaves_every_completed_row_parseable(x_display, tmp_path):
    proc = start_cli(_long_session(tmp_path, "K1"), display=x_display)
    csv_path, sidecar = _files(tmp_path, "K1")
    _wait_for_rows(csv_path, 3, proc)
    time.sleep(0.37)  # somewhere inside a trial
    proc.kill()
    proc.wait()
    raw = csv_path.read_text()
    assert raw.endswith("\n")  # no half row
    data = _read(csv_path)
    assert len(data) >= 3
    assert data[["trial_index", "word", "ink", "congruency", "timestamp"]].notna().all().all()
    side = json.loads(sidecar.read_text())
    assert side["completed"] is False  # the sidecar written at the start is intact


def _close_window_like_a_window_manager(display_name):
    """Send WM_DELETE_WINDOW to the PsychoPy window, as a window manager's
    close button does."""
    from Xlib import X, display
    from Xlib.protocol import event

    d = display.Display(display_name)
    found = subprocess.run(["xdotool", "search", "--name", "PsychoPy"],
                           env={"DISPLAY": display_name}, capture_output=True, text=True)
    ids = [int(x) for x in found.stdout.split()]
    assert ids, "no PsychoPy window found"
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    errors = []
    for wid in ids:
        window = d.create_resource_object("window", wid)
        window.send_event(event.ClientMessage(window=window, client_type=protocols,
                                              data=(32, [delete, X.CurrentTime, 0, 0, 0])),
                          onerror=lambda *e: errors.append(e))
    # A round trip, not just flush(): closing the connection right after
    # flush() lost about one event in ten here (Xvfb dropped the request of a
    # client that had already hung up), so "one close" was sometimes none.
    d.sync()
    d.close()
    assert not errors, errors
    return ids


@pytest.mark.parametrize("how, reason", [
    ("sigterm", "SIGTERM"), ("sigint", "SIGINT"), ("escape", "escape")])
def test_sigterm_sigint_and_escape_end_cleanly(x_display, tmp_path, how, reason):
    proc = start_cli(_long_session(tmp_path, "A1"), display=x_display)
    csv_path, sidecar = _files(tmp_path, "A1")
    _wait_for_rows(csv_path, 2, proc)
    if how == "sigterm":
        proc.send_signal(signal.SIGTERM)
    elif how == "sigint":
        proc.send_signal(signal.SIGINT)
    else:
        subprocess.run(["xdotool", "key", "Escape"], env={"DISPLAY": x_display}, check=True)
    proc.communicate(timeout=ENDS_WITHIN_S)
    assert proc.returncode == 1
    side = json.loads(sidecar.read_text())
    assert side["completed"] is False and reason in side["abort_reason"]
    assert side["end_time"] and side["trials_done"] == len(_read(csv_path)) >= 2
    assert side["trials_done"] < side["trials_planned"]


def test_one_close_of_the_window_ends_the_session_and_keeps_the_rows(x_display, tmp_path):
    """One WM_DELETE_WINDOW, as a window manager's close button sends, ends
    the session: exit status 1, the sidecar says why, every row is kept."""
    proc = start_cli(_long_session(tmp_path, "W1"), display=x_display)
    csv_path, sidecar = _files(tmp_path, "W1")
    _wait_for_rows(csv_path, 2, proc)
    assert len(_close_window_like_a_window_manager(x_display)) == 1
    try:
        _, err = proc.communicate(timeout=ENDS_WITHIN_S)
    except subprocess.TimeoutExpired:  # the close was lost: the session went on
        proc.kill()
        proc.communicate()
        raise AssertionError("the session did not end after one close of its window")
    assert proc.returncode == 1
    assert "Session aborted: window closed" in err
    side = json.loads(sidecar.read_text())
    assert side["completed"] is False and side["abort_reason"] == "window closed"
    data = _read(csv_path)
    assert side["trials_done"] == len(data) >= 2
    assert data.trial_index.tolist() == list(range(1, len(data) + 1))
    assert side["trials_done"] < side["trials_planned"]


def test_check_reports_display_vsync_keyboard_and_data_folder(x_display, tmp_path):
    result = run_cli(["check", "--data-dir", str(tmp_path), "--windowed"], display=x_display)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "data folder" in out and "writable" in out
    assert "no vsync" in out and "Psychtoolbox backend" in out and "audio" in out
