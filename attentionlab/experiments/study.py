"""A study: several tasks for one participant, run one after the other
(``attentionlab study run STUDY.toml --participant P``; docs/study.md).

Each task runs exactly as ``attentionlab run`` runs it (its parameters
checked like ``run --config``, :func:`~attentionlab.experiments.tasks.prepare`,
:func:`~attentionlab.experiments.session.run_session`), so its data file and
sidecar are the ordinary ones; the sidecar also says which study and which
position (``"study": {...}``). Between tasks a break screen waits for space.
The participant's folder gets

* ``sub-<P>_study-<name>.json``: the participant's task order, the order rule
  and its group (``latin``) or seed (``random``), written once, when the
  participant starts the study, and read again when they continue;
* ``sub-<P>_study-<name>_log.tsv``: one line per event (time, task,
  started|completed|aborted|resumed, run file, detail), appended and fsynced.

What is done is read from the sidecars (the data are the truth; the log is
the record): a task is *done* when one of its study runs completed, *partial*
when it was started and stopped, *missing* otherwise. Started again, a study
continues with the first task not done; an interrupted task is continued
from its first trial not on disk (:mod:`attentionlab.experiments.resume`).

PsychoPy is imported only when a study runs, so loading and checking a study
file, and ``study status``, work without it.
"""

import contextlib
import csv
import dataclasses
import datetime
import io
import json
import os
from pathlib import Path

import numpy as np

from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.core.study_file import Study, read_study
from attentionlab.simulation.registry import population_for
from attentionlab.stimuli.registry import PARAMS
from attentionlab.tasks import TASKS

LOG_COLUMNS = ("time", "task", "event", "run_file", "detail")
EVENTS = ("started", "completed", "aborted", "resumed")
BREAK_TEXT = ("Task {done} of {total} done. Take a short break; press space for the next "
              "task.")


@dataclasses.dataclass(frozen=True)
class LoadedStudy:
    """A study file with every value checked: ``params[task]`` is the task's
    parameter object, ``populations[task]`` the autopilot's population
    (always checked, used only with ``--autopilot``), ``fields`` the
    participant form's fields, ``geometry`` the ``[monitor]`` geometry or None."""

    study: Study
    params: dict
    populations: dict
    fields: tuple = ()
    geometry: object = None


def load_study(path) -> LoadedStudy:
    """Read ``path`` and check everything in it, as ``run --config`` checks
    a config file: unknown keys, unknown tasks and bad values are one
    :class:`UsageError` line with a did-you-mean. Nothing is created."""
    study = read_study(path, TASKS)
    params, populations = {}, {}
    for number, entry in enumerate(study.tasks, start=1):
        where = f"study file {str(path)!r}, [[tasks]] table {number} ({entry.task})"
        population_cls = population_for(entry.task)
        population_names = {f.name for f in dataclasses.fields(population_cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.values.items()}
        own = {k: v for k, v in values.items() if k not in population_names}
        try:
            params[entry.task] = apply_overrides(PARAMS[entry.task](), own)
            populations[entry.task] = apply_overrides(population_cls(), {
                k: v for k, v in values.items() if k in population_names})
        except UsageError as exc:
            raise UsageError(f"{where}: {exc}") from None
    return LoadedStudy(study, params, populations, _fields(study), _geometry(study))


def _fields(study: Study) -> tuple:
    """The participant form's fields from ``[[details]]`` (part F's parser)."""
    if not study.details:
        return ()
    from attentionlab.core import participant_details

    return tuple(participant_details.parse_fields(
        list(study.details), where=f"study file {study.path!r}"))


def _geometry(study: Study):
    """The ``[monitor]`` table as a geometry (part D), or None."""
    if study.monitor is None:
        return None
    from attentionlab.experiments import monitor_geometry

    return monitor_geometry.from_table(study.monitor,
                                       where=f"study file {study.path!r}, [monitor]")


# -- the participant's order ---------------------------------------------------

def balanced_latin_square(n: int) -> list[list[int]]:
    """Rows of a balanced Latin square (Williams, 1949) of ``n`` tasks: each
    task is in each position equally often and follows every other task
    equally often. Odd ``n`` needs the mirrored rows too (2n rows).
    Hand-written: a few lines, and no well-kept library offers it.

    >>> balanced_latin_square(4)
    [[0, 1, 3, 2], [1, 2, 0, 3], [2, 3, 1, 0], [3, 0, 2, 1]]
    >>> len(balanced_latin_square(3))
    6
    """
    if n == 1:
        return [[0]]
    first, low, high = [0], 1, n - 1
    while len(first) < n:
        first.append(low)
        low += 1
        if len(first) < n:
            first.append(high)
            high -= 1
    rows = [[(x + r) % n for x in first] for r in range(n)]
    if n % 2:
        rows += [list(reversed(row)) for row in rows]
    return rows


def order_groups(study: Study) -> int:
    """How many task orders the study's order rule has (1 unless ``latin``)."""
    return len(balanced_latin_square(len(study.tasks))) if study.order == "latin" else 1


def allocation_scheme(study: Study) -> str:
    """The allocation scheme of a ``latin`` study's order, e.g. ``study.battery.order``."""
    return f"study.{study.name}.order"


def choose_order(study: Study, participant: str, data_dir) -> dict:
    """The participant's order facts: ``order`` (task names in running order),
    ``group`` (latin) and ``seed`` (random); allocates a latin group."""
    names = study.task_names
    facts = {"order_rule": study.order, "group": None, "seed": None}
    if study.order == "latin":
        from attentionlab.core.allocation import allocate

        rows = balanced_latin_square(len(names))
        group = allocate(data_dir, allocation_scheme(study), len(rows), participant)
        facts.update(group=group, group_from="allocation",
                     order=[names[i] for i in rows[group]])
    elif study.order == "random":
        from attentionlab.experiments.tasks import new_seed

        seed = new_seed()
        permutation = np.random.default_rng(seed).permutation(len(names))
        facts.update(seed=seed, order=[names[i] for i in permutation])
    else:
        facts["order"] = list(names)
    return facts


# -- files in the participant's folder ----------------------------------------

def participant_folder(data_dir, participant: str) -> Path:
    return Path(data_dir) / f"sub-{participant}"


def state_path(data_dir, participant: str, study_name: str) -> Path:
    return participant_folder(data_dir, participant) / f"sub-{participant}_study-{study_name}.json"


def log_path(data_dir, participant: str, study_name: str) -> Path:
    return (participant_folder(data_dir, participant)
            / f"sub-{participant}_study-{study_name}_log.tsv")


def read_state(data_dir, participant: str, study: Study) -> dict | None:
    """The participant's recorded order facts, or None if they have not started.
    A study file whose tasks changed since is an error (their order was
    drawn from the old list)."""
    path = state_path(data_dir, participant, study.name)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} cannot be read ({exc}); it records participant "
                         f"{participant}'s task order: restore it from a backup") from None
    if sorted(state.get("order", [])) != sorted(study.task_names):
        raise UsageError(
            f"participant {participant} started study {study.name!r} with tasks "
            f"{', '.join(state.get('order', []))} ({path.name}); the study file now lists "
            f"{', '.join(study.task_names)}: continue with the file as it was, or give the "
            f"changed study a new name")
    return state


def write_state(data_dir, participant: str, study: Study, facts: dict) -> dict:
    """Record the participant's order facts (never replacing a record)."""
    from attentionlab.core import datafile

    path = state_path(data_dir, participant, study.name)
    state = {"study": study.name, "study_file": str(Path(study.path).resolve()),
             "participant": participant, "session": study.session,
             "tasks_listed": study.task_names, **facts,
             "created": _now_iso()}
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():  # another computer started this participant a moment ago
        return read_state(data_dir, participant, study)
    datafile.write_sidecar(path, state)
    return state


class StudyLog:
    """``sub-<P>_study-<name>_log.tsv``: appended line by line, each flushed
    and fsynced (like the data rows), so kill -9 leaves whole lines."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def append(self, task: str, event: str, run_file: str = "", detail: str = "") -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown study log event {event!r}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
        new = not self.path.exists()
        if new:
            writer.writerow(LOG_COLUMNS)
        writer.writerow([_now_iso(), task, event, run_file, " ".join(str(detail).split())])
        with open(self.path, "a", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())  # one write: a crash leaves whole lines
            fh.flush()
            os.fsync(fh.fileno())


def read_log(path) -> list[dict]:
    """The study log's lines as dicts (an absent log: [])."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    text = text[:text.rfind("\n") + 1]  # a half-written last line is not an event
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter="\t"))


# -- what is done ------------------------------------------------------------

@dataclasses.dataclass
class TaskStatus:
    """One task of one participant: ``state`` done|partial|missing, and the
    study's runs of it (file names, oldest first) with their sidecars."""

    task: str
    state: str
    runs: list
    sidecars: list = dataclasses.field(default_factory=list, repr=False)


def task_status(data_dir, participant: str, study: Study, task: str) -> TaskStatus:
    """What is on disk of ``task`` for this participant in this study (its
    runs are those whose sidecar names the study)."""
    folder = participant_folder(data_dir, participant)
    pattern = f"sub-{participant}_ses-{study.session}_task-{task}_run-*_beh.json"
    found = []
    for path in folder.glob(pattern) if folder.is_dir() else ():
        number = path.stem.rsplit("_run-", 1)[1][:-len("_beh")]
        try:
            sidecar = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if number.isdigit() and (sidecar.get("study") or {}).get("name") == study.name:
            found.append((int(number), path.with_suffix(".csv").name, sidecar))
    found.sort()
    runs = [name for _, name, _ in found]
    sidecars = [s for _, _, s in found]
    if any(s.get("completed") is True for s in sidecars):
        state = "done"
    elif sidecars:
        state = "partial"
    else:
        state = "missing"
    return TaskStatus(task, state, runs, sidecars)


def participants_in(data_dir, study: Study) -> list[str]:
    """Participants who started this study (their order record exists), sorted."""
    root = Path(data_dir)
    found = []
    for path in root.glob(f"sub-*/sub-*_study-{study.name}.json") if root.is_dir() else ():
        participant = path.parent.name[len("sub-"):]
        if path.name == f"sub-{participant}_study-{study.name}.json":
            found.append(participant)
    return sorted(found)


def study_status(data_dir, study: Study) -> list[dict]:
    """One dict per participant: ``participant``, ``group`` (text), ``order``,
    ``tasks`` (task -> :class:`TaskStatus`), ``missing`` (tasks not done)."""
    out = []
    for participant in participants_in(data_dir, study):
        state = read_state(data_dir, participant, study) or {}
        tasks = {t: task_status(data_dir, participant, study, t) for t in study.task_names}
        out.append({"participant": participant, "group": group_text(state),
                    "order": state.get("order", []), "tasks": tasks,
                    "missing": [t for t, s in tasks.items() if s.state != "done"]})
    return out


def group_text(state: dict) -> str:
    """e.g. ``latin 2`` (groups counted from 1), ``random seed 123``, ``fixed``."""
    rule = state.get("order_rule", "?")
    if rule == "latin":
        return f"latin {int(state['group']) + 1}"
    if rule == "random":
        return f"random seed {state.get('seed')}"
    return rule


# -- running -----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class StudyRun:
    """What ``study run`` asked for (validated by :func:`run_study`)."""

    participant: str
    data_dir: str = "data"
    windowed: bool = False
    autopilot: bool = False
    geometry: object = None  # from --monitor; overrides the file's [monitor]
    command_line: tuple = ()


def run_study(path, request: StudyRun) -> int:
    """Run (or continue) the study at ``path`` for one participant.

    Returns the exit status: 0 every task done, 1 stopped in a task or on a
    break screen (Escape, window closed, a signal; the log says so). Every
    mistake is found before a window opens or a file is made (UsageError).
    """
    from attentionlab.core.datafile import preflight
    from attentionlab.core.extras import require_lab
    from attentionlab.core.labels import check_label
    from attentionlab.core.participant_details import has_details
    from attentionlab.experiments.devices import check_display

    require_lab("running a study")
    loaded = load_study(path)
    study = loaded.study
    participant = check_label(request.participant, "participant")
    state = read_state(request.data_dir, participant, study)
    check_display(command="study run ...")
    preflight(request.data_dir)
    if state is None:
        state = write_state(request.data_dir, participant, study,
                            choose_order(study, participant, request.data_dir))
    order = state["order"]
    log = StudyLog(log_path(request.data_dir, participant, study.name))
    statuses = {t: task_status(request.data_dir, participant, study, t) for t in order}
    todo = [t for t in order if statuses[t].state != "done"]
    print(f"Study {study.name}, participant {participant} ({group_text(state)}): "
          f"{', '.join(order)}; {len(order) - len(todo)} of {len(order)} done.", flush=True)
    if not todo:
        print("Every task of this study is done; nothing to run.")
        return 0
    geometry = request.geometry or loaded.geometry
    if loaded.fields and not has_details(request.data_dir, participant):
        if not _ask_details(loaded, request, order[0], log):
            return 1
    for task in todo:
        position = order.index(task) + 1
        done_before = sum(statuses[t].state == "done" for t in order)
        try:
            if done_before:
                text = BREAK_TEXT.format(done=done_before, total=len(order))
                if not _screen(request, task, loaded.params[task], log, text=text):
                    return 1
            status = _run_task(loaded, request, task, position, order, log, geometry)
        except KeyboardInterrupt:  # Ctrl-C while no window was open to catch it
            log.append(task, "aborted", "", "interrupted (Ctrl-C) between screens")
            raise
        statuses[task] = task_status(request.data_dir, participant, study, task)
        if status != 0:
            print(f"Study stopped in {task} (task {position} of {len(order)}); start "
                  f"'attentionlab study run' again to continue.", flush=True)
            return 1
    if study.order == "latin" and state.get("group_from") == "allocation":
        from attentionlab.core.allocation import mark_completed

        mark_completed(request.data_dir, allocation_scheme(study), participant)
    print(f"Study {study.name} done for {participant}: {', '.join(order)}.")
    return 0


def _run_task(loaded, request, task, position, order, log, geometry) -> int:
    """One task through the same path as ``attentionlab run``; 0 completed, 1 not."""
    from attentionlab.experiments import session as session_module
    from attentionlab.experiments.session_plan import plan_lines
    from attentionlab.experiments import tasks

    study, participant = loaded.study, request.participant
    params = loaded.params[task]
    population = loaded.populations[task] if request.autopilot else None
    point = _unfinished(request.data_dir, participant, study, task)
    if point is not None:
        seed, params = point.seed, point.params
        event, detail = "resumed", f"continues {point.describe()}"
        # A resumed run keeps the group its first run was given.
        assignment = point.sidecar.get("counterbalance_assignment") or tasks.assignment(
            task, params, participant)
    else:
        seed, event, detail = tasks.new_seed(), "started", ""
        # A study always allocates (docs/study.md, Balanced assignment).
        assignment = tasks.assignment(task, params, participant, request.data_dir,
                                      allocate=True)
    allocated = assignment["method"] == "allocation"
    prepared = tasks.prepare(task, params, participant, seed,
                             assignment["group"] if allocated else None, assignment)
    prepared.sidecar_extra = {**prepared.sidecar_extra, "study": {
        "name": study.name, "position": position, "of": len(order), "order": list(order)}}
    for line in plan_lines(task, params, prepared, participant, seed, population=population):
        print(line, flush=True)
    options = session_module.SessionOptions(
        task=task, participant=participant, session=study.session,
        data_dir=request.data_dir, seed=seed, windowed=request.windowed,
        autopilot=request.autopilot, population=population,
        allocation_scheme=assignment["scheme"] if allocated else None,
        geometry=geometry, command_line=list(request.command_line))
    before = _run_files(request.data_dir, participant, study, task)
    log.append(task, event, "", detail or f"task {position} of {len(order)}, seed {seed}")
    try:
        with _captures_in(f"{task}"):
            status = session_module.run_session(options, params, prepared, resume=point)
    except UsageError as exc:  # a device that cannot be opened: nothing written for it
        log.append(task, "aborted", "", str(exc))
        raise
    new = _run_files(request.data_dir, participant, study, task) - before
    run_file = max(new, key=_run_number) if new else ""
    if status == 0:
        log.append(task, "completed", run_file)
    else:
        log.append(task, "aborted", run_file, _abort_reason(request.data_dir, participant,
                                                           run_file))
    return status


def _unfinished(data_dir, participant, study, task):
    """Where this task's interrupted study run stopped, or None (no run, or
    the latest run completed or is not this study's)."""
    from attentionlab.experiments.resume import find_unfinished

    point = find_unfinished(data_dir, participant, study.session, task)
    if point is None or (point.sidecar.get("study") or {}).get("name") != study.name:
        return None
    return point


def _run_number(file_name: str) -> int:
    """``sub-P1_ses-1_task-stroop_run-12_beh.csv`` -> 12."""
    return int(file_name.rsplit("_run-", 1)[1].split("_", 1)[0])


def _run_files(data_dir, participant, study, task) -> set:
    folder = participant_folder(data_dir, participant)
    pattern = f"sub-{participant}_ses-{study.session}_task-{task}_run-*_beh.csv"
    return {p.name for p in folder.glob(pattern)} if folder.is_dir() else set()


def _abort_reason(data_dir, participant, run_file) -> str:
    if not run_file:
        return "stopped before its data file was made"
    sidecar = participant_folder(data_dir, participant) / Path(run_file).with_suffix(".json")
    try:
        return json.loads(sidecar.read_text(encoding="utf-8")).get("abort_reason") or ""
    except (OSError, ValueError):
        return ""


def _screen(request, task, params, log, *, text=None, fields=None):
    """A study screen in a window of its own (the break text, or the form):
    True when the participant went on, False when they stopped (logged)."""
    from attentionlab.experiments import session as session_module

    options = session_module.SessionOptions(
        task=task, participant=request.participant, data_dir=request.data_dir,
        windowed=request.windowed, autopilot=request.autopilot)
    screen = session_module.Session(options, params)
    previous = session_module._install_signal_handlers(screen)
    answer = None
    try:
        with _captures_in("details" if fields is not None else "break"):
            screen.open()
        if fields is not None:
            from attentionlab.experiments.participant_form import ask_details

            answer = ask_details(screen, fields)
        else:
            screen.show_text(text, screen="study_break")
            answer = True
    except session_module.SessionAborted as exc:
        what = "the participant form" if fields is not None else "the break screen"
        log.append(task, "aborted", "", f"{exc.args[0]} on {what}")
        print(f"Study stopped on {what}: {exc.args[0]}.", flush=True)
    finally:
        screen.finish(False)
        session_module._restore_signal_handlers(previous)
    return answer


def _ask_details(loaded, request, first_task, log) -> bool:
    from attentionlab.core.participant_details import append_details

    values = _screen(request, first_task, loaded.params[first_task], log,
                     fields=list(loaded.fields))
    if values is None:
        return False
    append_details(request.data_dir, request.participant, values, list(loaded.fields))
    return True


_windows = [0]  # windows opened by this study run, for the capture folders' numbers


@contextlib.contextmanager
def _captures_in(what: str):
    """With ATTENTIONLAB_CAPTURE_DIR, each window of a study (form, break,
    task) saves its screens in its own numbered subfolder, e.g.
    ``03-search/0001_welcome_back.png``: every window numbers its screens
    from 1, so one folder would mix them up. The session reads the variable
    when its window opens."""
    root = os.environ.get("ATTENTIONLAB_CAPTURE_DIR")
    if not root:
        yield
        return
    _windows[0] += 1
    os.environ["ATTENTIONLAB_CAPTURE_DIR"] = str(Path(root) / f"{_windows[0]:02d}-{what}")
    try:
        yield
    finally:
        os.environ["ATTENTIONLAB_CAPTURE_DIR"] = root


def _now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")
