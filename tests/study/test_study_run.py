"""The issue's done-criterion: a three-task study runs end to end on Xvfb
under the autopilot, is killed (SIGKILL) in its second task, finishes when
started again, and ``study status`` shows it."""

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from cli_runner import run_cli, start_cli

pytestmark = pytest.mark.display

STUDY = """\
name = "battery"
order = "fixed"

[[details]]
name = "age"
type = "int"
min = 18
max = 99

[[details]]
name = "handedness"
type = "choice"
choices = ["left", "right", "both"]

[monitor]
width_cm = 40
distance_cm = 57

[[tasks]]
task = "stroop"
trials = 12
blocks = 1
practice_trials = 0
fixation_ms = 200
iti_ms = 200

[[tasks]]
task = "search"
trials = 24
set_sizes = [4, 8]
blocks_per_type = 1
practice_trials = 0
fixation_ms = 200
iti_ms = 200

[[tasks]]
task = "posner"
trials = 8
cue_types = ["exogenous"]
blocks = 1
soas = [100]
catch_percent = 0
practice_trials = 0
fixation_ms = 200
fixation_jitter_ms = 0
iti_ms = 200
"""


def _wait_for_rows(csv_path, n, proc, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"study ended early: {proc.communicate()}")
        if csv_path.exists() and len(csv_path.read_text().splitlines()) >= n + 1:
            return
        time.sleep(0.05)
    raise AssertionError("rows did not appear")


def _log(folder):
    return pd.read_csv(folder / "sub-K1_study-battery_log.tsv", sep="\t", dtype=str,
                       keep_default_na=False)


def _sidecar(folder, task, run):
    return json.loads((folder / f"sub-K1_ses-1_task-{task}_run-{run}_beh.json").read_text())


def test_study_killed_in_its_second_task_finishes_when_started_again(x_display, tmp_path):
    study, data = tmp_path / "battery.toml", tmp_path / "data"
    study.write_text(STUDY)
    args = ["study", "run", str(study), "--participant", "K1", "--data-dir", str(data),
            "--windowed", "--autopilot"]
    folder = data / "sub-K1"
    search_1 = folder / "sub-K1_ses-1_task-search_run-1_beh.csv"

    proc = start_cli(args, display=x_display)
    _wait_for_rows(search_1, 3, proc)
    time.sleep(0.37)  # somewhere inside a trial
    proc.kill()
    proc.wait()

    assert _sidecar(folder, "stroop", 1)["completed"] is True
    # The autopilot filled in the form before the first task.
    details = pd.read_csv(data / "participants.tsv", sep="\t", dtype=str)
    assert details.participant_id.tolist() == ["sub-K1"]
    assert 18 <= int(details.age[0]) <= 99 and details.handedness[0] in ("left", "right", "both")
    assert _sidecar(folder, "search", 1)["completed"] is False  # killed: no clean end
    log = _log(folder)
    assert log[["task", "event"]].values.tolist() == [
        ["stroop", "started"], ["stroop", "completed"], ["search", "started"]]
    status = run_cli(["study", "status", str(study), "--data-dir", str(data)])
    assert status.returncode == 0, status.stderr
    row = next(line for line in status.stdout.splitlines() if line.startswith("K1"))
    assert row.split()[1:] == ["fixed", "done", "(run-1)", "partial", "(run-1)", "missing"]
    assert "Missing for K1: search (partial), posner (missing)" in status.stdout

    screens = tmp_path / "screens"
    again = run_cli(args, display=x_display, env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(screens)})
    assert again.returncode == 0, again.stderr
    assert "1 of 3 done" in again.stdout
    # A break screen before each task after the first (no form: it was filled
    # in); each window's screens in their own numbered folder.
    assert sorted(p.name for p in screens.iterdir()) == [
        "01-break", "02-search", "03-break", "04-posner"]
    for folder_name in ("01-break", "03-break"):
        assert [p.name for p in (screens / folder_name).glob("*.png")] == [
            "0001_study_break.png"]
    assert sorted((screens / "02-search").glob("*.png"))[0].name == "0001_welcome_back.png"

    # Stroop was not run again; search continued from its first trial not on
    # disk into run-2 (run-1 untouched), then posner ran.
    assert not (folder / "sub-K1_ses-1_task-stroop_run-2_beh.csv").exists()
    first = pd.read_csv(search_1)
    second = pd.read_csv(folder / "sub-K1_ses-1_task-search_run-2_beh.csv")
    resumed = _sidecar(folder, "search", 2)
    assert resumed["completed"] is True and resumed["continues_run"] == 1
    assert resumed["seed"] == _sidecar(folder, "search", 1)["seed"]
    joined = pd.concat([first, second])
    assert len(joined) == resumed["trials_planned"] == 24
    assert joined.trial_index.tolist() == list(range(1, 25))  # nothing twice, nothing lost
    assert _sidecar(folder, "posner", 1)["completed"] is True
    # The form is not asked again: still one row.
    assert pd.read_csv(data / "participants.tsv", sep="\t", dtype=str).shape[0] == 1
    for task, run in (("stroop", 1), ("search", 1), ("search", 2), ("posner", 1)):
        sidecar = _sidecar(folder, task, run)
        assert sidecar["study"]["name"] == "battery"
        # A study always allocates each task's counterbalancing group.
        assert sidecar["counterbalance_assignment"]["method"] == "allocation"
        # The study's [monitor] table reached every task's session.
        assert sidecar["display"]["geometry"]["calibrated"] is True
        assert sidecar["display"]["geometry"]["distance_cm"] == 57
    assert resumed["counterbalance_assignment"] == _sidecar(folder, "search", 1)[
        "counterbalance_assignment"]
    assert (data / "allocation" / "stroop.counterbalance.json").exists()

    log = _log(folder)
    assert log[["task", "event"]].values.tolist() == [
        ["stroop", "started"], ["stroop", "completed"], ["search", "started"],
        ["search", "resumed"], ["search", "completed"],
        ["posner", "started"], ["posner", "completed"]]
    assert log.run_file.iloc[4] == "sub-K1_ses-1_task-search_run-2_beh.csv"

    status = run_cli(["study", "status", str(study), "--data-dir", str(data)])
    row = next(line for line in status.stdout.splitlines() if line.startswith("K1"))
    assert row.split()[1:] == ["fixed", "done", "(run-1)", "done", "(run-1", "run-2)",
                               "done", "(run-1)"]
    assert "1 of 1 participants have done every task." in status.stdout

    third = run_cli(args, display=x_display)  # nothing left: nothing opens, nothing written
    assert third.returncode == 0 and "nothing to run" in third.stdout
    assert len(_log(folder)) == 7


def test_escape_in_a_task_stops_the_study_and_the_log_says_so(x_display, tmp_path):
    import subprocess

    study, data = tmp_path / "esc.toml", tmp_path / "data"
    study.write_text('name = "esc"\n[[tasks]]\ntask = "stroop"\ntrials = 48\nblocks = 1\n'
                     'practice_trials = 0\nfixation_ms = 200\niti_ms = 200\n'
                     '[[tasks]]\ntask = "search"\n')
    proc = start_cli(["study", "run", str(study), "--participant", "E1", "--data-dir",
                      str(data), "--windowed", "--autopilot"], display=x_display)
    _wait_for_rows(data / "sub-E1" / "sub-E1_ses-1_task-stroop_run-1_beh.csv", 2, proc)
    subprocess.run(["xdotool", "key", "Escape"], env={"DISPLAY": x_display}, check=True)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Study stopped in stroop (task 1 of 2)" in out
    log = pd.read_csv(data / "sub-E1" / "sub-E1_study-esc_log.tsv", sep="\t", dtype=str,
                      keep_default_na=False)
    assert log[["task", "event"]].values.tolist() == [["stroop", "started"],
                                                      ["stroop", "aborted"]]
    assert log.detail.iloc[1] == "escape key pressed"
    assert log.run_file.iloc[1] == "sub-E1_ses-1_task-stroop_run-1_beh.csv"
    assert not list((data / "sub-E1").glob("*task-search*"))  # the next task never began


def test_escape_on_the_break_screen_stops_the_study_and_the_log_says_so(x_display, tmp_path):
    import subprocess

    study, data = tmp_path / "brk.toml", tmp_path / "data"
    study.write_text('name = "brk"\n[[tasks]]\ntask = "stroop"\ntrials = 4\nblocks = 1\n'
                     'practice_trials = 0\nfixation_ms = 200\niti_ms = 200\n'
                     '[[tasks]]\ntask = "search"\n')
    args = ["study", "run", str(study), "--participant", "B1", "--data-dir", str(data),
            "--windowed"]
    log_file = data / "sub-B1" / "sub-B1_study-brk_log.tsv"
    proc = start_cli([*args, "--autopilot"], display=x_display)
    deadline = time.time() + 240
    while "completed" not in (log_file.read_text() if log_file.exists() else ""):
        assert proc.poll() is None and time.time() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.kill()  # on the break screen (or just before it)
    proc.wait()

    # Started again without the autopilot: the break screen waits for a person.
    screens = tmp_path / "screens"
    proc = start_cli(args, display=x_display,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(screens)})
    shot = screens / "01-break" / "0001_study_break.png"
    deadline = time.time() + 120
    while not shot.exists():
        assert proc.poll() is None and time.time() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.3)  # the capture is saved just before the screen is flipped up
    subprocess.run(["xdotool", "key", "Escape"], env={"DISPLAY": x_display}, check=True)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Study stopped on the break screen: escape key pressed." in out
    log = pd.read_csv(log_file, sep="\t", dtype=str, keep_default_na=False)
    assert log[["task", "event"]].values.tolist() == [
        ["stroop", "started"], ["stroop", "completed"], ["search", "aborted"]]
    assert log.detail.iloc[2] == "escape key pressed on the break screen"
    assert not list((data / "sub-B1").glob("*task-search*"))
