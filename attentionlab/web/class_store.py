"""The browser classroom's data: students, their runs, and every trial on disk.

Each run is written as a lab session (:mod:`attentionlab.web.runs`): a row
is appended and fsynced before the browser is told it arrived, so a server
killed at any moment has every acknowledged row; a restart on the same
folder rebuilds students (:mod:`attentionlab.web.class_state`) and runs,
and each browser resumes at the first trial not on disk.

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

import secrets
import threading
import time
from dataclasses import dataclass

from attentionlab.core import datafile
from attentionlab.core.trial_row import SessionFacts, build_row
from attentionlab.web import class_state, runs
from attentionlab.web.runs import Run
from attentionlab.web.validation import RequestError, check_details

CONNECTED_S = 30.0         # "connected": a request in the last 30 s


@dataclass
class Student:
    label: str
    token: str = ""


class ClassStore:
    """Students and runs of one class in ``data_dir``; ``tasks`` maps each
    task served to its web module (``attentionlab/web/tasks/<task>.py``),
    ``params`` each task to the parameters of its new runs (default: the
    demo's, ``attentionlab.web.tasks.demo_params``; a run resumed after a
    restart keeps the parameters its sidecar recorded). Thread-safe: the
    server calls it from its worker threads and its event loop. The store's
    lock guards only the tables in memory and is never held while a file is
    written (an fsync would hold up every request); writing is serialised by
    the students file's lock, each student's lock (starting a run) and each
    run's lock (its rows)."""

    def __init__(self, data_dir, tasks: dict, params: dict | None = None, *,
                 clock=time.monotonic):
        if params is None:
            from attentionlab.web.tasks import demo_params

            params = {task: demo_params(task) for task in tasks}
        self.tasks, self.params = dict(tasks), dict(params)
        self.data_dir = datafile.preflight(data_dir)
        self.clock = clock
        self.state = self.data_dir / class_state.STATE_FOLDER
        self.state.mkdir(exist_ok=True)
        self._lock_file = class_state.take_lock(self.state, self.data_dir)
        self._lock = threading.Lock()
        self._students_file = threading.Lock()
        self._student_locks = {}  # label -> Lock: one start at a time per student
        self.closed = False
        self.version = 0          # grows with every row written (the live report's cue)
        self._runs = {}           # label -> {run_id: Run}
        self._seen = {}           # label -> clock time of the last request
        try:
            self.teacher_token = class_state.teacher_token(self.state)
            self._by_hash = class_state.read_students(self.state)  # sha256(token) -> label
            for label in self._by_hash.values():
                self._runs[label] = runs.load_runs(self.data_dir, label, self.tasks)
        except BaseException:
            self.close()
            raise

    # -- students --------------------------------------------------------------------------
    def join(self, token) -> Student:
        """The student of ``token``; a new one (new label and token) for None
        or a token this class does not know."""
        with self._lock:
            label = self._by_hash.get(class_state.token_hash(token)) if token else None
            if label is not None:
                self._seen[label] = self.clock()
                return Student(label, token)
            token, label = secrets.token_hex(16), self._new_label()
            self._runs[label] = {}
            self._by_hash[class_state.token_hash(token)] = label  # reserves the label
            self._seen[label] = self.clock()
        # Nobody knows the new token before this answer, which comes after the fsync.
        with self._students_file:
            class_state.add_student(self.state, label, token)
        return Student(label, token)

    def student(self, token: str) -> str:
        """The label of a known ``token`` (and it is seen now); 403 otherwise."""
        label = self._by_hash.get(class_state.token_hash(token))
        if label is None:
            raise RequestError("unknown student: open the student page again to join", 403)
        with self._lock:  # status() counts these from another thread
            self._seen[label] = self.clock()
        return label

    def _new_label(self) -> str:
        """An anonymous label, "S" + 4 digits, as the desktop demo's, unused here."""
        taken = set(self._by_hash.values())
        for _ in range(10_000):
            label = f"S{secrets.randbelow(10000):04d}"
            if label not in taken and not (self.data_dir / f"sub-{label}").exists():
                return label
        raise RequestError("no free anonymous label left in this data folder", 503)

    def menu(self, label: str) -> list:
        """The student's menu: each demo's words and whether it is new,
        in progress or done."""
        from attentionlab.classroom.textbook import TEXTBOOK

        out = []
        with self._lock:  # a start may add a run meanwhile
            for task, module in self.tasks.items():
                entry = TEXTBOOK[task]
                out.append({"task": task, "title": entry.title, "menu_text": entry.menu_text,
                            "minutes": entry.minutes,
                            "once": bool(getattr(module, "ONCE", False)),
                            "status": self._status(label, task)})
        return out

    def _status(self, label, task) -> str:
        mine = [r for r in self._runs.get(label, {}).values() if r.task == task]
        if any(r.completed for r in mine):
            return "done"
        if any(not r.ended for r in mine):
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
            student_lock = self._student_locks.setdefault(label, threading.Lock())
        with student_lock:
            with self._lock:
                mine = [r for r in self._runs.get(label, {}).values() if r.task == task]
            open_runs = [r for r in mine if not r.ended]
            if open_runs:
                return open_runs[-1], True
            if getattr(module, "ONCE", False) and any(r.completed for r in mine):
                raise RequestError(f"{task} works only once per person, and you have "
                                   f"done it", 409)
            run = runs.new_run(self.data_dir, label, task, self.params[task], device,
                               autopilot)
            with self._lock:
                self._runs[label][run.run_id] = run
            return run, False

    def run_for(self, token: str, run_id: str) -> Run:
        """The student's own run ``run_id``: 404 for any other (also another
        student's run of the same name: each student's runs are their own table)."""
        label = self.student(token)
        run = self._runs.get(label, {}).get(run_id)
        if run is None:
            raise RequestError(f"no run {run_id!r} for this student", 404)
        return run

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
            facts = SessionFacts(run.label, runs.SESSION, run.task, run.run,
                                 int(run.simulated))
            row = build_row(facts, trial, result, get_task(run.task).score(trial, result),
                            trial_index=index, dropped_frames=dropped_frames,
                            timestamp=runs.now_iso())
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
            runs.end_run(run, completed=not aborted)
        with self._lock:
            self.version += 1
        return run

    # -- the teacher's view ------------------------------------------------------------------
    def status(self) -> dict:
        """Students, those connected, whether closed, and per task how many
        students started and finished it (the teacher page's counts)."""
        now = self.clock()
        with self._lock:
            tasks = {task: {"started": 0, "finished": 0} for task in self.tasks}
            for student_runs in self._runs.values():
                for task in {r.task for r in student_runs.values() if r.task in tasks}:
                    mine = [r for r in student_runs.values() if r.task == task]
                    tasks[task]["started"] += 1
                    tasks[task]["finished"] += any(r.completed for r in mine)
            return {"students": len(self._by_hash),
                    "connected": sum(now - t <= CONNECTED_S for t in self._seen.values()),
                    "closed": self.closed, "tasks": tasks}

    def session_files(self) -> list:
        """This class's CSVs with at least one row (what the class report reads)."""
        with self._lock:
            every = [r for student_runs in self._runs.values() for r in student_runs.values()]
        return [r.csv_path for r in every if r.next_index > 1]

    def close_class(self) -> None:
        """No more starts or trials (finishing a run is still answered)."""
        self.closed = True

    def close(self) -> None:
        """Close every file (runs stay resumable by the next server) and the lock."""
        for student_runs in list(self._runs.values()):
            for run in student_runs.values():
                with run.lock:
                    if run.files is not None:
                        run.files.close()
                        run.files = None
        if self._lock_file is not None:
            class_state.release_lock(self._lock_file)
            self._lock_file = None
