"""Resume for real: an autopilot stroop session on Xvfb is killed (SIGKILL)
at a random trial, resumed with --resume, and the joined test trials are
exactly the planned list (make_plan for the recorded seed): nothing twice,
nothing missing; run-1 is not touched; the analysis joins the pieces."""

import hashlib
import json
import random
import time

import pandas as pd
import pytest

from attentionlab.core.params import apply_overrides
from attentionlab.core import datafile
from attentionlab.stimuli.registry import PARAMS, get_task
from cli_runner import run_cli, start_cli

pytestmark = pytest.mark.display

TRIALS = 24  # a balanced stroop design (--trials is rounded up to one)
FAST = ["--set", "fixation_ms=200", "--set", "iti_ms=200"]


def _paths(data_dir, run):
    stem = datafile.session_stem("R1", "1", "stroop", run)
    return data_dir / "sub-R1" / f"{stem}.csv", data_dir / "sub-R1" / f"{stem}.json"


def _kill_after_test_rows(proc, csv_path, n_test, timeout=300):
    """SIGKILL once ``n_test`` test rows are on disk, a random moment later
    (somewhere inside the next trial)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"session ended early: {proc.communicate()}")
        if csv_path.exists() and csv_path.read_text().count(",test,") >= n_test:
            time.sleep(random.SystemRandom().uniform(0, 0.5))
            proc.kill()
            proc.wait()
            return
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("rows did not appear")


def test_killed_session_resumed_gives_the_planned_trials_once_each(x_display, tmp_path):
    data = tmp_path / "data"
    # Its own generator: the global one may have been seeded by an import.
    stop_at = random.SystemRandom().randint(1, TRIALS - 2)  # test trials on disk when killed
    print(f"killed after {stop_at} test trial(s)")
    proc = start_cli(["run", "stroop", "--participant", "R1", "--data-dir", str(data),
                      "--autopilot", "--windowed", "--skip-intro", "--seed", "31",
                      "--trials", str(TRIALS), "--set", "blocks=2", *FAST],
                     display=x_display)
    csv1, side1 = _paths(data, 1)
    _kill_after_test_rows(proc, csv1, stop_at)
    before = hashlib.sha256(csv1.read_bytes() + side1.read_bytes()).hexdigest()
    on_disk = csv1.read_text().count(",test,")  # a trial may have ended before the kill
    assert json.loads(side1.read_text())["completed"] is False

    captures = tmp_path / "screens"
    result = run_cli(["run", "stroop", "--participant", "R1", "--data-dir", str(data),
                      "--autopilot", "--windowed", "--resume"], display=x_display,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(captures)})
    assert result.returncode == 0, result.stderr
    assert "Resuming stroop" in result.stdout

    # run-1 is only read.
    assert hashlib.sha256(csv1.read_bytes() + side1.read_bytes()).hexdigest() == before
    csv2, side2 = _paths(data, 2)
    sidecar = json.loads(side2.read_text())
    assert sidecar["continues_run"] == 1 and sidecar["completed"] is True
    assert sidecar["seed"] == 31 and sidecar["resumed"]["first_test_trial"] == on_disk + 1

    rows = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in (csv1, csv2)])
    test = rows[rows["phase"] == "test"]
    params = apply_overrides(PARAMS["stroop"](), sidecar["params"])
    plan = get_task("stroop").make_plan(params, "R1", 31)["test"]
    recorded = [{k: row[k] for k in t.row()} for (_, row), t in zip(test.iterrows(), plan)]
    planned = [{k: str(datafile._cell(v)) for k, v in t.row().items()} for t in plan]
    assert len(test) == len(plan)  # nothing missing, nothing twice
    assert recorded == planned
    assert test["trial_index"].astype(int).tolist() == list(range(1, len(plan) + 1))
    assert (rows["phase"] == "practice").sum() == 0  # practice is not repeated

    # The participant saw a "welcome back" page, then the test; no practice screens.
    screens = sorted(p.name for p in captures.glob("*.png"))
    assert screens and screens[0].endswith("_welcome_back.png")
    assert not any("practice" in name for name in screens)

    out = run_cli(["analyze", str(data), "--out", str(tmp_path / "out")])
    assert out.returncode == 0, out.stderr
    assert (f"sub-R1 ses-1 stroop: run-2 continues run-1 (trials {on_disk + 1}-{len(plan)})"
            in out.stdout)
