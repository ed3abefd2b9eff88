"""``attentionlab run --allocate`` on Xvfb with the autopilot: the group
comes from the allocation file (not the label), the sidecar says so, a
completed session counts for its group, an aborted one does not, and
mistakes leave nothing on disk."""

import json
from pathlib import Path

import pytest
from cli_runner import run_cli
from contract_checks import assert_same_plan

from attentionlab.core.allocation import allocate, mark_completed, read_allocation
from attentionlab.stimuli import stroop

pytestmark = pytest.mark.display

FAST = ["--autopilot", "--skip-intro", "--trials", "4", "--set", "blocks=1",
        "--set", "fixation_ms=100", "--set", "iti_ms=100", "--seed", "3", "--windowed"]


def _sidecar(data_dir, participant, run=1):
    return json.loads((Path(data_dir) / f"sub-{participant}" /
                       f"sub-{participant}_ses-1_task-stroop_run-{run}_beh.json").read_text())


def test_allocated_group_is_used_recorded_and_counted(x_display, tmp_path):
    data = tmp_path / "data"
    # P0 (label group 0) dropped out in group 0: allocated, never completed;
    # P1 completed group 1. P4 (label rule: group 0) must get group 2.
    allocate(data, "stroop.counterbalance", 4, "P0")
    allocate(data, "stroop.counterbalance", 4, "P1")
    mark_completed(data, "stroop.counterbalance", "P1")

    result = run_cli(["run", "stroop", "--participant", "P4", "--data-dir", str(data),
                      "--allocate", *FAST], display=x_display)
    assert result.returncode == 0, result.stderr
    assert "Counterbalancing group 2 of 4" in result.stdout
    sidecar = _sidecar(data, "P4")
    assert sidecar["counterbalance_assignment"] == {
        "group": 2, "n_groups": 4, "method": "allocation", "scheme": "stroop.counterbalance"}
    assert sidecar["counterbalance_group"] == 2
    assert stroop.label_group(stroop.StroopParams(), "P4") == 0  # the label would say 0
    csv = next((data / "sub-P4").glob("*.csv"))
    assert_same_plan(csv)  # the trials are make_plan(..., group=2)
    state = read_allocation(data, "stroop.counterbalance")["participants"]
    assert state["P4"]["group"] == 2 and state["P4"]["completed"]
    assert not state["P0"]["completed"]

    # Without --allocate: the label rule, recorded as such; the file is untouched.
    before = (data / "allocation" / "stroop.counterbalance.json").read_bytes()
    plain = run_cli(["run", "stroop", "--participant", "P5", "--data-dir", str(data), *FAST],
                    display=x_display)
    assert plain.returncode == 0, plain.stderr
    assert _sidecar(data, "P5")["counterbalance_assignment"] == {
        "group": 1, "n_groups": 4, "method": "label rule", "scheme": None}
    assert (data / "allocation" / "stroop.counterbalance.json").read_bytes() == before


def test_settings_that_change_the_groups_are_a_one_line_error(tmp_path):
    data = tmp_path / "data"
    allocate(data, "stroop.counterbalance", 4, "P1")
    before = sorted(p.name for p in data.rglob("*"))
    result = run_cli(["run", "stroop", "--participant", "P2", "--data-dir", str(data),
                      "--allocate", "--set", "key_mapping=red,green,blue,yellow", *FAST])
    assert result.returncode == 2
    assert "has 4 groups" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in data.rglob("*")) == before


def test_an_aborted_session_keeps_its_group_but_does_not_count(x_display, tmp_path):
    """SIGTERM mid-session (a dropout): the participant keeps the group,
    it is not completed, so the next new participant gets the same group."""
    import signal
    import time

    from cli_runner import start_cli

    data = tmp_path / "data"
    long = [a if a != "4" else "48" for a in FAST]
    proc = start_cli(["run", "stroop", "--participant", "D1", "--data-dir", str(data),
                      "--allocate", *long], display=x_display)
    csv = data / "sub-D1" / "sub-D1_ses-1_task-stroop_run-1_beh.csv"
    deadline = time.time() + 240
    while not (csv.exists() and len(csv.read_text().splitlines()) >= 3):
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, "rows did not appear"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 1
    state = read_allocation(data, "stroop.counterbalance")["participants"]
    assert state["D1"]["group"] == 0 and state["D1"]["completed"] is None
    # X1-X3 complete groups 1-3; X4 gets group 0 and drops out too. Group 0
    # has the most allocated but no completed session: D2 refills it.
    for label in ("X1", "X2", "X3"):
        allocate(data, "stroop.counterbalance", 4, label)
        mark_completed(data, "stroop.counterbalance", label)
    assert allocate(data, "stroop.counterbalance", 4, "X4") == 0
    assert allocate(data, "stroop.counterbalance", 4, "D2") == 0
    assert _sidecar(data, "D1")["counterbalance_assignment"]["group"] == 0
