"""A study file's [monitor] table reaches the session: its tasks are drawn in
degrees and their sidecars record the geometry (source 'study file'); a bad
table is a one-line error before anything is created."""

import json

import pytest
from cli_runner import run_cli

STUDY = """\
name = "sizes"
order = "fixed"

[[tasks]]
task = "stroop"
trials = 3
blocks = 1
practice_trials = 0
fixation_ms = 100
iti_ms = 100
word_height_deg = 2.0

[monitor]
{monitor}
"""
GOOD = "width_cm = 40\ndistance_cm = 57\nresolution = [1024, 768]"


@pytest.mark.display
def test_a_study_monitor_table_is_drawn_and_recorded(x_display, tmp_path):
    study = tmp_path / "sizes.toml"
    study.write_text(STUDY.format(monitor=GOOD))
    data = tmp_path / "data"
    done = run_cli(["study", "run", str(study), "--participant", "P1", "--data-dir",
                    str(data), "--windowed", "--autopilot"], display=x_display, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "no monitor geometry" not in done.stderr
    sidecar = json.loads(next(data.glob("sub-P1/*task-stroop*_beh.json")).read_text())
    geometry = sidecar["display"]["geometry"]
    # 57 cm x 0.017455 x 1024 px / 40 cm = 25.470 px per degree (docs/study.md).
    assert geometry["source"] == "study file"
    assert geometry["pixels_per_degree"] == pytest.approx(25.470, abs=1e-3)
    assert geometry["sizes"]["word_height_deg"] == {
        "deg": 2.0, "px": pytest.approx(50.94, abs=0.01), "drawn_from": "word_height_deg"}


@pytest.mark.parametrize("table, says", [
    ("width_cm = 40", "distance_cm is missing"),
    ("width_cm = 40\ndistance_cm = 0", "distance_cm must be between 10 and 2000 cm"),
    ("width_cm = 40\ndistance_cm = 57\nresolution = [1024]", "resolution must be two"),
])
def test_a_bad_monitor_table_is_one_line_and_creates_nothing(tmp_path, table, says):
    study = tmp_path / "sizes.toml"
    study.write_text(STUDY.format(monitor=table))
    data = tmp_path / "data"
    done = run_cli(["study", "run", str(study), "--participant", "P1", "--data-dir",
                    str(data), "--windowed", "--autopilot"])
    assert done.returncode == 2
    assert says in done.stderr and "[monitor]" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not data.exists()


@pytest.mark.display
def test_without_a_monitor_a_study_task_warns_once(x_display, tmp_path):
    # The participant form opens a Session of its own before the task: it
    # draws no sizes and must not repeat the warning.
    study = tmp_path / "sizes.toml"
    study.write_text(STUDY.split("[monitor]")[0]
                     + '[[details]]\nname = "age"\ntype = "int"\nmin = 18\nmax = 99\n')
    data = tmp_path / "data"
    done = run_cli(["study", "run", str(study), "--participant", "P1", "--data-dir",
                    str(data), "--windowed", "--autopilot"], display=x_display, timeout=600)
    assert done.returncode == 0, done.stderr
    warning = "no monitor geometry: sizes are in screen units (fraction of screen height)"
    assert done.stderr.count(warning) == 1, done.stderr
    sidecar = json.loads(next(data.glob("sub-P1/*task-stroop*_beh.json")).read_text())
    assert sidecar["display"]["geometry"]["note"] == warning
