"""A study file: the TOML that lists a participant's tasks (docs/study.md).

Pure (core imports nothing else of ours): this module checks the file's
*shape* -- the top-level keys, the order rule, one ``[[tasks]]`` table per
task, the optional ``[[details]]`` and ``[monitor]`` tables. The values of
each task's parameters depend on the task and are checked by the caller
(:func:`attentionlab.experiments.study.load_study`), exactly as
``run --config`` checks them. Every mistake is one :class:`UsageError` line
naming the file, with a did-you-mean where one helps.

>>> import tempfile, os
>>> f = os.path.join(tempfile.mkdtemp(), "s.toml")
>>> _ = open(f, "w").write('name = "battery"\\norder = "latin"\\n'
...                        '[[tasks]]\\ntask = "stroop"\\ntrials = 24\\n'
...                        '[[tasks]]\\ntask = "search"\\n')
>>> s = read_study(f, ["stroop", "search", "posner"])
>>> s.name, s.order, [t.task for t in s.tasks], s.tasks[0].values
('battery', 'latin', ['stroop', 'search'], {'trials': 24})
"""

from dataclasses import dataclass, field
from pathlib import Path

from attentionlab.core.errors import UsageError, did_you_mean, unknown_name
from attentionlab.core.labels import check_label
from attentionlab.core.params import read_toml

ORDERS = ("fixed", "latin", "random")
TOP_LEVEL_KEYS = ("name", "order", "session", "tasks", "details", "monitor")


@dataclass(frozen=True)
class StudyTask:
    """One ``[[tasks]]`` table: the task's name and its parameter values as
    written (names not yet checked against the task's parameters)."""

    task: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Study:
    """A study file, its shape checked. ``order``: ``fixed`` (as listed),
    ``latin`` (a row of a balanced Latin square, by allocation) or
    ``random`` (shuffled with a recorded seed). ``session``: the session
    label of the tasks' data files. ``details``: the ``[[details]]`` tables
    (the participant form's fields), ``monitor``: the ``[monitor]`` table or
    None."""

    path: str
    name: str
    order: str
    session: str
    tasks: tuple
    details: tuple = ()
    monitor: dict | None = None

    @property
    def task_names(self) -> list[str]:
        return [t.task for t in self.tasks]


def read_study(path, known_tasks) -> Study:
    """Read and check the shape of the study file at ``path``.

    ``known_tasks``: the task names a ``[[tasks]]`` table may give.
    Raises :class:`UsageError` (one line: the file, what is wrong, what is
    allowed) on any mistake.
    """
    p = Path(path)
    where = f"study file {str(p)!r}"
    data = read_toml(p, where)
    known_tasks = list(known_tasks)

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            hint = (" (a task's parameters go inside its [[tasks]] table)"
                    if key in known_tasks or not did_you_mean(key, TOP_LEVEL_KEYS) else "")
            raise UsageError(f"{where}: {unknown_name('key', key, TOP_LEVEL_KEYS)}{hint}")

    name = data.get("name")
    if name is None:
        raise UsageError(f'{where}: no name; add e.g. name = "battery" (letters and digits)')
    if not isinstance(name, str):
        raise UsageError(f"{where}: name must be a string of letters and digits, got {name!r}")
    try:
        check_label(name, "study name")
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None

    order = data.get("order", "fixed")
    if order not in ORDERS:
        raise UsageError(f"{where}: order {order!r} is not allowed{did_you_mean(order, ORDERS)};"
                         f" allowed: {', '.join(ORDERS)}")

    session = data.get("session", "1")
    if isinstance(session, int) and not isinstance(session, bool):
        session = str(session)
    if not isinstance(session, str):
        raise UsageError(f"{where}: session must be a label of letters and digits, "
                         f"got {session!r}")
    try:
        check_label(session, "session")
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None

    tasks = _tasks(data.get("tasks"), where, known_tasks)
    details = data.get("details", [])
    if not isinstance(details, list) or not all(isinstance(d, dict) for d in details):
        raise UsageError(f"{where}: details must be [[details]] tables, one per form field")
    monitor = data.get("monitor")
    if monitor is not None and not isinstance(monitor, dict):
        raise UsageError(f"{where}: monitor must be a [monitor] table "
                         f"(width_cm, distance_cm, resolution)")
    return Study(str(p), name, order, session, tasks, tuple(details), monitor)


def _tasks(tables, where, known_tasks) -> tuple:
    if tables is None:
        raise UsageError(f'{where}: no tasks; add one [[tasks]] table per task, e.g. '
                         f'[[tasks]] with task = "stroop"')
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise UsageError(f"{where}: tasks must be [[tasks]] tables (double brackets), "
                         f"one per task")
    out, seen = [], set()
    for number, table in enumerate(tables, start=1):
        task = table.get("task")
        if task is None:
            raise UsageError(f'{where}: [[tasks]] table {number} has no task = "..."; '
                             f"tasks: {', '.join(known_tasks)}")
        if task not in known_tasks:
            raise UsageError(f"{where}: [[tasks]] table {number}: "
                             f"{unknown_name('task', task, known_tasks, listed='available')}")
        if task in seen:
            # Files, status and continuing all go by task name.
            raise UsageError(f"{where}: task {task!r} is listed twice; a study runs each "
                             f"task once")
        seen.add(task)
        out.append(StudyTask(task, {k: v for k, v in table.items() if k != "task"}))
    if not out:
        raise UsageError(f"{where}: no tasks; add one [[tasks]] table per task")
    return tuple(out)
