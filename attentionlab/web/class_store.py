"""The browser classroom's data: students, their runs, and every trial on disk.

Files are those of a lab session (docs/data-format.md): each run is
``<data-dir>/sub-<label>/sub-<label>_ses-1_task-<task>_run-<n>_beh.csv``
with its JSON sidecar, written with :mod:`attentionlab.core.datafile`
(exclusive create, one fsynced write per row, atomic sidecar). A row is on
disk before the browser is told it arrived, so a server killed at any
moment has every acknowledged row.

The server's own state lives in ``<data-dir>/.classroom/`` (hidden, so
``analyze`` and ``class-report`` never read it):

* ``students.tsv``: ``label<TAB>sha256(student token)``, one line per
  student, appended and fsynced when the student first joins. The token
  itself (the browser's secret) is never written;
* ``teacher_token``: the teacher page's secret (mode 0600), the same after a
  restart so the teacher's open page keeps working;
* ``lock``: held (``flock``) while a server uses the folder, with its PID:
  a second server on the same folder is refused, and a killed server's lock
  goes with its process.

A restart rebuilds every run from its sidecar (task, seed, parameters:
the same trial plan by construction) and the rows already in its CSV
(their ``trial_index``): the browser resumes at the first trial not on disk.
Only the server appends to a CSV it reopens (it holds the folder's lock);
rows on disk are never rewritten. A line cut short by a crash in the middle
of a write was never acknowledged, and is cut off before appending.

Tokens, task names and run ids are looked up in tables held here, never
turned into paths: the only names on disk are labels this module makes.

>>> import tempfile
>>> store = ClassStore(tempfile.mkdtemp(), {})
>>> student = store.join(None)
>>> student.label.startswith("S"), len(student.token)
(True, 32)
>>> store.join(student.token).label == student.label
True
>>> store.close()
"""

import csv
import dataclasses
import datetime
import fcntl
import hashlib
import json
import math
import os
import platform
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import attentionlab
from attentionlab.core import datafile
from attentionlab.core.columns import column_names
from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides, as_plain, parse_set_options
from attentionlab.core.trial_row import SessionFacts, build_row
from attentionlab.web.validation import RequestError, check_details

STATE_FOLDER = ".classroom"
SESSION = "1"              # every classroom run is session 1, as in the desktop demo
CONNECTED_S = 30.0         # "connected": a request in the last 30 s
ABORTED_IN_BROWSER = "stopped in the browser"
AUTOPILOT_STREAM = 0xA070  # the autopilot's own random stream, as in a lab session


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Student:
    label: str
    token: str = ""


@dataclass
class Run:
    """One run of one task by one student: its plan and its open file."""

    label: str
    task: str
    run: int
    seed: int
    params: object
    trials: list              # practice then test, trial_index = position + 1
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


class ClassStore:
    """Students and runs of one class in ``data_dir``; ``tasks`` maps each
    task served to its web module (``attentionlab/web/tasks/<task>.py``),
    ``params`` each task to the parameters of its new runs (default: the
    demo's, ``attentionlab.web.tasks.demo_params``; a run resumed after a
    restart keeps the parameters its sidecar recorded). Thread-safe: the
    server calls it from its worker threads."""

    def __init__(self, data_dir, tasks: dict, params: dict | None = None, *,
                 clock=time.monotonic):
        if params is None:
            from attentionlab.web.tasks import demo_params

            params = {task: demo_params(task) for task in tasks}
        self.tasks, self.params = dict(tasks), dict(params)
        self.data_dir = datafile.preflight(data_dir)
        self.clock = clock
        self.state = self.data_dir / STATE_FOLDER
        self.state.mkdir(exist_ok=True)
        self._lock_file = _take_lock(self.state / "lock", self.data_dir)
        self._lock = threading.Lock()
        self.closed = False
        self.version = 0          # grows with every row written (the live report's cue)
        self._by_hash = {}        # sha256(token) -> label
        self._runs = {}           # label -> {run_id: Run}
        self._seen = {}           # label -> clock time of the last request
        try:
            self.teacher_token = _teacher_token(self.state / "teacher_token")
            self._load_students()
            for label in self._by_hash.values():
                self._runs[label] = self._load_runs(label)
        except BaseException:
            self.close()
            raise

    # -- students --------------------------------------------------------------------------
    def join(self, token) -> Student:
        """The student of ``token``; a new one (new label and token) for None
        or a token this class does not know."""
        with self._lock:
            label = self._by_hash.get(token_hash(token)) if token else None
            if label is None:
                token, label = secrets.token_hex(16), self._new_label()
                with open(self.state / "students.tsv", "a", encoding="utf-8") as fh:
                    datafile.write_synced(fh, f"{label}\t{token_hash(token)}\n")
                datafile.fsync_folder(self.state)
                self._by_hash[token_hash(token)] = label
                self._runs[label] = {}
            self._seen[label] = self.clock()
            return Student(label, token)

    def student(self, token: str) -> str:
        """The label of a known ``token`` (and it is seen now); 403 otherwise."""
        label = self._by_hash.get(token_hash(token))
        if label is None:
            raise RequestError("unknown student: open the student page again to join", 403)
        self._seen[label] = self.clock()
        return label

    def _new_label(self) -> str:
        taken = set(self._by_hash.values())
        for _ in range(10_000):
            label = f"S{secrets.randbelow(10000):04d}"
            if label not in taken and not (self.data_dir / f"sub-{label}").exists():
                return label
        raise RequestError("no free anonymous label left in this data folder", 503)

    def _load_students(self) -> None:
        path = self.state / "students.tsv"
        if not path.exists():
            return
        for line in path.read_text(encoding="utf-8").splitlines():
            label, _, digest = line.partition("\t")
            # A line cut short by a crash has no full hash: that join was never answered.
            if label.isalnum() and len(digest) == 64:
                self._by_hash[digest] = label

    # -- the menu --------------------------------------------------------------------------
    def menu(self, label: str) -> list:
        from attentionlab.classroom.textbook import TEXTBOOK

        out = []
        for task, module in self.tasks.items():
            entry = TEXTBOOK[task]
            out.append({"task": task, "title": entry.title, "menu_text": entry.menu_text,
                        "minutes": entry.minutes, "once": bool(getattr(module, "ONCE", False)),
                        "status": self._status(label, task)})
        return out

    def _status(self, label, task) -> str:
        runs = [r for r in self._runs.get(label, {}).values() if r.task == task]
        if any(r.completed for r in runs):
            return "done"
        if any(not r.ended for r in runs):
            return "in_progress"
        return "new"

    # -- runs ------------------------------------------------------------------------------
    def start(self, token: str, task: str, device: dict, autopilot: bool) -> tuple:
        """The student's unfinished run of ``task``, or a new one; returns
        ``(run, resumed)``."""
        label = self.student(token)
        if task not in self.tasks:
            raise RequestError(f"no demo {task!r} in this class", 404)
        module = self.tasks[task]
        if self.closed:
            raise RequestError("the class is closed", 409)
        if device["input"] not in getattr(module, "INPUTS", ("keys",)):
            raise RequestError(f"{task} cannot be done with input {device['input']!r} "
                               f"(allowed: {', '.join(module.INPUTS)})")
        with self._lock:
            runs = [r for r in self._runs.get(label, {}).values() if r.task == task]
            open_runs = [r for r in runs if not r.ended]
            if open_runs:
                return open_runs[-1], True
            if getattr(module, "ONCE", False) and any(r.completed for r in runs):
                raise RequestError(f"{task} works only once per person, and you have "
                                   f"done it", 409)
            run = self._new_run(label, task, module, device, autopilot)
            self._runs[label][run.run_id] = run
            return run, False

    def _new_run(self, label, task, module, device, autopilot) -> Run:
        from attentionlab.stimuli.registry import get_task

        definition = get_task(task)
        params = self.params[task]
        seed = secrets.randbelow(2**31 - 1) + 1
        trials = plan_trials(task, params, label, seed)
        files = datafile.SessionFiles.create(self.data_dir, label, SESSION, task,
                                             column_names(definition.COLUMNS))
        n_test = sum(t.phase == "test" for t in trials)
        sidecar = {
            "task": task, "participant": label, "session": SESSION, "run": files.run,
            "seed": seed, "completed": False, "trials_planned": n_test,
            "practice_trials_planned": len(trials) - n_test, "trials_done": 0,
            "abort_reason": None, "start_time": _now_iso(), "end_time": None,
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
            population, model = _autopilot_model(task, params, seed)[:2]
            sidecar["autopilot"] = {"population": dataclasses.asdict(population),
                                    "participant": dataclasses.asdict(model)}
        datafile.write_sidecar(files.sidecar_path, sidecar)
        return Run(label, task, files.run, seed, params, trials, sidecar, files.csv_path,
                   files.sidecar_path, files)

    def run_for(self, token: str, run_id: str) -> Run:
        """The student's own run ``run_id``: 404 for any other (also another
        student's run of the same name: each student's runs are their own table)."""
        label = self.student(token)
        run = self._runs.get(label, {}).get(run_id)
        if run is None:
            raise RequestError(f"no run {run_id!r} for this student", 404)
        return run

    def autopilot_plan(self, run: Run) -> list:
        """The simulated student's planned responses for every trial of
        ``run``, the same after a restart (drawn from the run's seed)."""
        _, _, outcomes = _autopilot_model(run.task, run.params, run.seed, run.trials)
        # The simulation's own responses (keys); app.js maps a key to its button.
        return [json_safe({"index": index, "response": outcome.response,
                           "rt_ms": outcome.rt_ms, "details": outcome.details})
                for index, outcome in enumerate(outcomes, start=1)]

    def record_trial(self, token, run_id, index: int, outcome: dict,
                     dropped_frames: int) -> bool:
        """Score and append one trial; True when it was already on disk (a
        retried send: acknowledged, not written again)."""
        from attentionlab.stimuli.registry import get_task

        run = self.run_for(token, run_id)
        if self.closed:
            raise RequestError("the class is closed", 409)
        module = self.tasks[run.task]
        with run.lock:
            if index < run.next_index:
                return True
            if run.ended:
                raise RequestError(f"run {run_id} has ended", 409)
            if index > len(run.trials):
                raise RequestError(f"trial_index {index} is past the run's "
                                   f"{len(run.trials)} trials")
            if index > run.next_index:
                raise RequestError(f"trial {run.next_index} must come first", 409,
                                   expected=run.next_index)
            trial = run.trials[index - 1]
            payload = {**outcome, "details": check_details(
                outcome["details"], getattr(module, "DETAIL_FIELDS", {}))}
            try:
                result = module.outcome(trial, payload, run.input, run.params)
            except ValueError as exc:
                raise RequestError(f"the outcome does not fit trial {index}: {exc}") from None
            facts = SessionFacts(run.label, SESSION, run.task, run.run, int(run.simulated))
            row = build_row(facts, trial, result, get_task(run.task).score(trial, result),
                            trial_index=index, dropped_frames=dropped_frames,
                            timestamp=_now_iso())
            run.files.append_row(row)  # flushed and fsynced before we answer
            run.next_index += 1
            run.test_done += trial.phase == "test"
            run.dropped_frames += dropped_frames
        with self._lock:
            self.version += 1
        return False

    def finish(self, token, run_id, aborted: bool) -> Run:
        """End a run: the sidecar says completed (every trial on disk) or
        stopped in the browser. Finishing an ended run again changes nothing."""
        run = self.run_for(token, run_id)
        with run.lock:
            if run.ended:
                return run
            if not aborted and run.next_index <= len(run.trials):
                raise RequestError(f"trial {run.next_index} of {len(run.trials)} has not "
                                   f"arrived yet", 409, expected=run.next_index)
            self._end(run, completed=not aborted)
        with self._lock:
            self.version += 1
        return run

    def _end(self, run: Run, completed: bool) -> None:
        run.files.close()
        run.files, run.ended = None, True
        run.sidecar.update(completed=completed, trials_done=run.test_done,
                           abort_reason=None if completed else ABORTED_IN_BROWSER,
                           end_time=_now_iso())
        run.sidecar["timing"]["dropped_frames_total"] = run.dropped_frames
        datafile.write_sidecar(run.sidecar_path, run.sidecar)

    # -- the teacher's view ------------------------------------------------------------------
    def status(self) -> dict:
        now = self.clock()
        with self._lock:
            tasks = {task: {"started": 0, "finished": 0} for task in self.tasks}
            for label, runs in self._runs.items():
                for task in {r.task for r in runs.values() if r.task in tasks}:
                    mine = [r for r in runs.values() if r.task == task]
                    tasks[task]["started"] += 1
                    tasks[task]["finished"] += any(r.completed for r in mine)
            return {"students": len(self._by_hash),
                    "connected": sum(now - t <= CONNECTED_S for t in self._seen.values()),
                    "closed": self.closed, "tasks": tasks}

    def session_files(self) -> list:
        """This class's CSVs with at least one row (what the class report reads)."""
        with self._lock:
            runs = [r for runs in self._runs.values() for r in runs.values()]
        return [r.csv_path for r in runs if r.next_index > 1]

    def close_class(self) -> None:
        """No more starts or trials (finishing a run is still answered)."""
        self.closed = True

    def close(self) -> None:
        """Close every file (runs stay resumable by the next server) and the lock."""
        for runs in list(self._runs.values()):
            for run in runs.values():
                with run.lock:
                    if run.files is not None:
                        run.files.close()
                        run.files = None
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    # -- restart -----------------------------------------------------------------------------
    def _load_runs(self, label: str) -> dict:
        """``label``'s browser runs of the served tasks, from sidecar + CSV."""
        folder = self.data_dir / f"sub-{label}"
        runs = {}
        if not folder.is_dir():
            return runs
        for sidecar_path in sorted(folder.glob(f"sub-{label}_ses-{SESSION}_task-*_beh.json")):
            try:
                sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if (not isinstance(sidecar, dict) or sidecar.get("platform") != "browser"
                    or sidecar.get("task") not in self.tasks):
                continue
            try:
                run = self._rebuild(label, sidecar, sidecar_path)
            except (KeyError, TypeError, ValueError) as exc:
                # e.g. parameters an older version wrote: the run is kept on disk as
                # it is, and not resumed (a new start makes the next run).
                print(f"Warning: {sidecar_path} cannot be resumed ({exc}); left as it is",
                      file=sys.stderr, flush=True)
                continue
            runs[run.run_id] = run
        return runs

    def _rebuild(self, label, sidecar, sidecar_path) -> Run:
        from attentionlab.stimuli.registry import PARAMS, get_task

        task = sidecar["task"]
        params = apply_overrides(PARAMS[task](), sidecar["params"])
        trials = plan_trials(task, params, label, sidecar["seed"])
        csv_path = sidecar_path.with_suffix(".csv")
        header = column_names(get_task(task).COLUMNS)
        run = Run(label, task, int(sidecar["run"]), int(sidecar["seed"]), params, trials,
                  sidecar, csv_path, sidecar_path, ended=sidecar.get("end_time") is not None)
        written_header, rows = _read_rows(csv_path, cut_partial=not run.ended)
        for row in rows:
            run.next_index = max(run.next_index, int(row["trial_index"]) + 1)
            run.test_done += row.get("phase") == "test"
            run.dropped_frames += int(row.get("dropped_frames") or 0)
        if not run.ended:
            if written_header != header:
                # Written by another version of the task: never appended to.
                run.ended = True
            else:
                handle = open(csv_path, "a", newline="", encoding="utf-8")
                run.files = datafile.SessionFiles(csv_path, sidecar_path, run.run, header,
                                                  handle)
        return run


def _read_rows(csv_path: Path, cut_partial: bool) -> tuple:
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


def _autopilot_model(task, params, seed, trials=None):
    """The simulated student of a run: population, drawn participant, and
    (given ``trials``) their outcomes; always the same for the same seed."""
    from attentionlab.simulation.registry import population_for, simulation_for

    rng = np.random.default_rng([seed, AUTOPILOT_STREAM])
    population = population_for(task)()
    model = population.draw(rng, params)
    outcomes = simulation_for(task).outcomes(params, model, trials, rng) if trials else None
    return population, model, outcomes


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


def _take_lock(path: Path, data_dir: Path):
    """Hold ``path`` (flock) for this process; :class:`UsageError` when another
    server holds it."""
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        pid = handle.read().strip() or "unknown"
        handle.close()
        raise UsageError(f"another classroom server (PID {pid}) is using the data folder "
                         f"{str(data_dir)!r}; stop it first, or choose another --data-dir")
    handle.seek(0)
    handle.truncate()
    datafile.write_synced(handle, f"{os.getpid()}\n")
    return handle


def _teacher_token(path: Path) -> str:
    """The teacher's secret: read back, or made (mode 0600) the first time."""
    try:
        token = path.read_text(encoding="utf-8").strip()
        if len(token) == 32 and all(c in "0123456789abcdef" for c in token):
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        datafile.write_synced(fh, token + "\n")
    return token


def _now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")
