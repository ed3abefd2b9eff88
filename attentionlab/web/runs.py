"""One run of one demo by one student in the browser: its plan, its files,
and how it is read back after a restart.

A run's files are those of a lab session (docs/data-format.md):
``<data-dir>/sub-<label>/sub-<label>_ses-1_task-<task>_run-<n>_beh.csv``
with its JSON sidecar, written with :mod:`attentionlab.core.datafile`
(exclusive create, one fsynced write per row, atomic sidecar).

A restart rebuilds a run from its sidecar (task, seed, parameters: the same
trial plan by construction) and the rows already in its CSV (their
``trial_index``): the browser resumes at the first trial not on disk. Only
the server appends to a CSV it reopens (it holds the folder's lock); rows on
disk are never rewritten. A line cut short by a crash in mid-write was never
acknowledged, and is cut off before appending.

>>> json_safe({"rt_ms": float("nan"), "n": [1, 2]})
{'rt_ms': None, 'n': [1, 2]}
"""

import csv
import dataclasses
import datetime
import io
import json
import math
import os
import platform
import secrets
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import attentionlab
from attentionlab.core import datafile
from attentionlab.core.columns import column_names
from attentionlab.core.params import apply_overrides, as_plain

SESSION = "1"              # every classroom run is session 1, as in the desktop demo
ABORTED_IN_BROWSER = "stopped in the browser"
AUTOPILOT_STREAM = 0xA070  # the autopilot's own random stream, as in a lab session


@dataclass
class Run:
    """One run: its plan (``trials``, practice then test; trial_index =
    position + 1), its sidecar, and its open file while rows may come."""

    label: str
    task: str
    run: int
    seed: int
    params: object
    trials: list
    sidecar: dict
    csv_path: Path
    sidecar_path: Path
    files: object = None      # datafile.SessionFiles while rows may be appended
    next_index: int = 1
    test_done: int = 0
    dropped_frames: int = 0
    ended: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def run_id(self) -> str:
        return f"{self.task}-{self.run}"

    @property
    def simulated(self) -> bool:
        return bool(self.sidecar.get("simulated"))

    @property
    def completed(self) -> bool:
        return bool(self.sidecar.get("completed"))

    @property
    def input(self) -> str:
        return self.sidecar.get("response_device", "keys")


def plan_trials(task: str, params, label: str, seed: int) -> list:
    """The run's trials, practice then test, from the task's own ``make_plan``."""
    from attentionlab.stimuli.registry import get_task

    plan = get_task(task).make_plan(params, label, seed)
    return [*plan.get("practice", []), *plan["test"]]


def new_run(data_dir, label: str, task: str, params, device: dict, autopilot: bool) -> Run:
    """A new run: a fresh seed, the plan, the CSV (next free run number) and
    its sidecar, with what the browser said about itself."""
    from attentionlab.stimuli.registry import get_task

    definition = get_task(task)
    seed = secrets.randbelow(2**31 - 1) + 1
    trials = plan_trials(task, params, label, seed)
    header = column_names(definition.COLUMNS)
    files = (_interrupted_start(data_dir, label, task, header)
             or datafile.SessionFiles.create(data_dir, label, SESSION, task, header))
    n_test = sum(t.phase == "test" for t in trials)
    sidecar = {
        "task": task, "participant": label, "session": SESSION, "run": files.run,
        "seed": seed, "completed": False, "trials_planned": n_test,
        "practice_trials_planned": len(trials) - n_test, "trials_done": 0,
        "abort_reason": None, "start_time": now_iso(), "end_time": None,
        "simulated": bool(autopilot),
        "software": {"attentionlab": attentionlab.__version__,
                     "python": platform.python_version(), "os": platform.platform()},
        "platform": "browser", "browser": device["user_agent"],
        "screen": {"w": device["screen_w"], "h": device["screen_h"], "dpr": device["dpr"],
                   "touch": device["touch"]},
        "frame_rate_hz": device["frame_rate_hz"], "response_device": device["input"],
        "timing": {"clock": "performance.now", "onsets": "requestAnimationFrame",
                   "dropped_frames_total": 0},
        "params": as_plain(params),
        **definition.plan_facts(params, label),
    }
    if autopilot:
        population, model, _ = autopilot_model(task, params, seed)
        sidecar["autopilot"] = {"population": dataclasses.asdict(population),
                                "participant": dataclasses.asdict(model)}
    datafile.write_sidecar(files.sidecar_path, sidecar)
    return Run(label, task, files.run, seed, params, trials, sidecar, files.csv_path,
               files.sidecar_path, files)


def _interrupted_start(data_dir, label: str, task: str, header: list):
    """The run file of a start that a kill cut short, reopened for this start;
    None when there is none.

    A start creates the CSV (its header) and then the sidecar. A server killed
    between the two leaves a CSV with no sidecar and no rows: nothing in it was
    ever acknowledged, and without a sidecar it cannot be resumed. Its run
    number is taken for the student's next start of the task, so the class
    folder keeps no empty run (the header is written again if even that was cut).
    """
    folder = Path(data_dir) / f"sub-{label}"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(header)
    header_bytes = buf.getvalue().encode("utf-8")
    for number in datafile.existing_runs(data_dir, label, SESSION, task):
        stem = datafile.session_stem(label, SESSION, task, number)
        csv_path, sidecar_path = folder / f"{stem}.csv", folder / f"{stem}.json"
        if sidecar_path.exists() or not csv_path.exists():
            continue
        content = csv_path.read_bytes()
        if content not in (b"", header_bytes):
            continue  # rows without a sidecar are not ours to reuse: left as they are
        handle = open(csv_path, "a", newline="", encoding="utf-8")
        if not content:
            datafile.write_synced(handle, header_bytes.decode("utf-8"))
        return datafile.SessionFiles(csv_path, sidecar_path, number, list(header), handle)
    return None


def end_run(run: Run, completed: bool) -> None:
    """Close the run's CSV and write its final sidecar (completed, or stopped)."""
    run.files.close()
    run.files, run.ended = None, True
    run.sidecar.update(completed=completed, trials_done=run.test_done,
                       abort_reason=None if completed else ABORTED_IN_BROWSER,
                       end_time=now_iso())
    run.sidecar["timing"]["dropped_frames_total"] = run.dropped_frames
    datafile.write_sidecar(run.sidecar_path, run.sidecar)


def autopilot_model(task, params, seed, trials=None):
    """The simulated student of a run: population, drawn participant, and
    (given ``trials``) their outcomes; always the same for the same seed."""
    from attentionlab.simulation.registry import population_for, simulation_for

    rng = np.random.default_rng([seed, AUTOPILOT_STREAM])
    population = population_for(task)()
    model = population.draw(rng, params)
    outcomes = simulation_for(task).outcomes(params, model, trials, rng) if trials else None
    return population, model, outcomes


def autopilot_plan(run: Run) -> list:
    """The simulated student's planned responses for every trial of ``run``,
    the same after a restart (drawn from the run's seed). The simulation's
    own responses (keys); the page maps a key to its button on a touch screen."""
    _, _, outcomes = autopilot_model(run.task, run.params, run.seed, run.trials)
    return [json_safe({"index": index, "response": outcome.response,
                       "rt_ms": outcome.rt_ms, "details": outcome.details})
            for index, outcome in enumerate(outcomes, start=1)]


# -- restart ---------------------------------------------------------------------------------
def load_runs(data_dir, label: str, tasks) -> dict:
    """``{run_id: Run}`` of ``label``'s browser runs of ``tasks``, from sidecar + CSV.
    Lab sessions in the folder (no ``platform: browser``) are left alone."""
    folder = Path(data_dir) / f"sub-{label}"
    runs = {}
    if not folder.is_dir():
        return runs
    for sidecar_path in sorted(folder.glob(f"sub-{label}_ses-{SESSION}_task-*_beh.json")):
        try:
            sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (not isinstance(sidecar, dict) or sidecar.get("platform") != "browser"
                or sidecar.get("task") not in tasks):
            continue
        try:
            run = rebuild_run(label, sidecar, sidecar_path)
        except (KeyError, TypeError, ValueError) as exc:
            # e.g. parameters an older version wrote: the run is kept on disk as
            # it is, and not resumed (a new start makes the next run).
            print(f"Warning: {sidecar_path} cannot be resumed ({exc}); left as it is",
                  file=sys.stderr, flush=True)
            continue
        runs[run.run_id] = run
    return runs


def rebuild_run(label: str, sidecar: dict, sidecar_path: Path) -> Run:
    """A run as it was: its plan from the sidecar, its progress from the CSV;
    reopened for appending unless it has ended."""
    from attentionlab.stimuli.registry import PARAMS, get_task

    task = sidecar["task"]
    params = apply_overrides(PARAMS[task](), sidecar["params"])
    trials = plan_trials(task, params, label, sidecar["seed"])
    csv_path = sidecar_path.with_suffix(".csv")
    header = column_names(get_task(task).COLUMNS)
    run = Run(label, task, int(sidecar["run"]), int(sidecar["seed"]), params, trials,
              sidecar, csv_path, sidecar_path, ended=sidecar.get("end_time") is not None)
    written_header, rows = read_rows(csv_path, cut_partial=not run.ended)
    for row in rows:
        run.next_index = max(run.next_index, int(row["trial_index"]) + 1)
        run.test_done += row.get("phase") == "test"
        run.dropped_frames += int(row.get("dropped_frames") or 0)
    if not run.ended:
        if written_header != header:
            run.ended = True  # written by another version of the task: never appended to
        else:
            handle = open(csv_path, "a", newline="", encoding="utf-8")
            run.files = datafile.SessionFiles(csv_path, sidecar_path, run.run, header, handle)
    return run


def read_rows(csv_path: Path, cut_partial: bool) -> tuple:
    """The header and rows of a run's CSV. With ``cut_partial``, a last line
    without its newline (a crash in mid-write; never acknowledged) is cut off."""
    if not csv_path.exists():
        return [], []
    if cut_partial:
        data = csv_path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with open(csv_path, "r+b") as fh:
                fh.truncate(end)
                os.fsync(fh.fileno())
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        rows = [dict(zip(header, cells)) for cells in reader if len(cells) == len(header)]
    return header, rows


def json_safe(value):
    """``value`` with numpy numbers as Python ones and NaN/inf as None (JSON has neither)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")
