"""``attentionlab demo``: the classroom menu, short tasks, a personal result.

A menu lists the demos (one per task with a classroom entry,
:mod:`attentionlab.classroom.textbook`); a student picks one with its number
key or a click. The short version of that task then runs as an ordinary
session in its own process::

    python -m attentionlab.experiments.cli run TASK --participant LABEL \\
        --data-dir DIR --set ... [--windowed] [--autopilot]

so each task gets a fresh window and its data file is written trial by
trial, crash-safe, exactly as ``attentionlab run`` writes it. The menu's
window is closed meanwhile. When the session ends, its file is analysed by
the task's own analysis and a results screen shows the student's effect
beside the textbook value with its source, in plain words and a small
figure; any key or click goes back to the menu; Escape in the menu quits.

Labels are anonymous: without ``--student`` the demo makes one up ("S" and
four digits, not yet used in the data folder) and shows it on the menu, so
the student can give it to the teacher. Nothing leaves the computer.

With ``--autopilot`` a simulated student clicks the first demo of the menu,
the session's autopilot answers (rows say simulated=1), the result is shown
for a moment, and the demo quits: the whole loop without a person.

>>> task_command("stroop", DemoOptions("data", "S1234"))[3:6]
['run', 'stroop', '--participant']
"""

import os
import secrets
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from attentionlab.core.errors import UsageError

SESSION_LABEL = "1"


@dataclass(frozen=True)
class DemoOptions:
    """What the ``demo`` command line asked for, validated by :meth:`from_args`.

    ``sets``: task -> tuple of ``NAME=VALUE`` items added after the demo's own
    short-version overrides (so a teacher's choice wins).
    """

    data_dir: str
    student: str
    windowed: bool = False
    autopilot: bool = False
    tasks: tuple = ()
    sets: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, *, data_dir, student=None, windowed=False, autopilot=False,
                  tasks=None, sets=()) -> "DemoOptions":
        """Check everything before a window opens (:class:`UsageError` on a mistake)."""
        from attentionlab.classroom.textbook import available
        from attentionlab.core.datafile import preflight
        from attentionlab.core.labels import check_label

        offered = available()
        chosen = offered if not tasks else [t.strip() for t in tasks.split(",") if t.strip()]
        unknown = [t for t in chosen if t not in offered]
        if unknown or not chosen:
            raise UsageError(f"--tasks {tasks!r}: {', '.join(unknown) or 'no task'} has no "
                             f"demo; available: {', '.join(offered)}")
        if len(chosen) > 9:
            raise UsageError("--tasks: at most 9 demos fit the menu (keys 1-9)")
        from attentionlab.classroom.demo_sets import by_demo

        per_task = by_demo(sets, chosen)
        for task in chosen:
            _check_params(task, per_task.get(task, ()), autopilot)
        if student is not None:
            check_label(student, "student")
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
            raise UsageError("no display: $DISPLAY is not set. Run on a screen, or on a "
                             "virtual one with 'xvfb-run -s \"-screen 0 1024x768x24\" "
                             "attentionlab demo --autopilot'")
        preflight(data_dir)
        return cls(str(data_dir), student or new_label(data_dir), windowed, autopilot,
                   tuple(chosen), per_task)


def _check_params(task, extra, autopilot):
    from attentionlab.classroom.textbook import TEXTBOOK
    from attentionlab.experiments.tasks import resolve_params

    resolve_params(task, sets=[*TEXTBOOK[task].demo_sets, *extra], autopilot=autopilot)


def new_label(data_dir) -> str:
    """An anonymous label "S" + 4 random digits with no folder yet in ``data_dir``."""
    for _ in range(1000):
        label = f"S{secrets.randbelow(10000):04d}"
        if not (Path(data_dir) / f"sub-{label}").exists():
            return label
    raise UsageError(f"no free anonymous label left in {data_dir}; give one with --student")


def task_command(task: str, options: DemoOptions) -> list:
    """The ``attentionlab run`` command of the short version of ``task``."""
    from attentionlab.classroom.textbook import TEXTBOOK

    command = [sys.executable, "-m", "attentionlab.experiments.cli", "run", task,
               "--participant", options.student, "--session", SESSION_LABEL,
               "--data-dir", options.data_dir]
    for item in (*TEXTBOOK[task].demo_sets, *options.sets.get(task, ())):
        command += ["--set", item]
    if options.windowed:
        command.append("--windowed")
    if options.autopilot:
        command.append("--autopilot")
    return command


def _session_files(options: DemoOptions, task: str) -> set:
    folder = Path(options.data_dir) / f"sub-{options.student}"
    return set(folder.glob(f"sub-{options.student}_ses-*_task-{task}_run-*_beh.csv"))


@dataclass
class Outcome:
    """What the results screen shows: a result (``entry``, ``row``) or a message."""

    task: str
    entry: object = None
    row: dict | None = None
    message: str = ""


def run_task(task: str, options: DemoOptions, capture_dir: str | None = None) -> Outcome:
    """Run the short session of ``task`` in its own process and analyse its file."""
    from attentionlab.classroom.report import student_result

    before = _session_files(options, task)
    env = dict(os.environ)
    if capture_dir:
        env["ATTENTIONLAB_CAPTURE_DIR"] = capture_dir
    print(f"Demo: {task} for {options.student}", flush=True)
    completed = subprocess.run(task_command(task, options), env=env, stderr=subprocess.PIPE,
                               text=True)
    sys.stderr.write(completed.stderr)
    new = sorted(_session_files(options, task) - before)
    if completed.returncode == 2:
        last = (completed.stderr.strip().splitlines() or ["unknown error"])[-1]
        return Outcome(task, message=f"The demo could not start.\n\n{last}")
    if completed.returncode == 1 or not new:
        return Outcome(task, message="The demo was stopped before the end, so there is no "
                                     "result this time.")
    if completed.returncode != 0:
        return Outcome(task, message="The demo stopped with an error (the details are in "
                                     "the terminal). Please tell your teacher.")
    try:
        entry, row = student_result(new[-1], task)
    except UsageError as exc:
        return Outcome(task, message=f"No result could be computed from your answers.\n\n"
                                     f"{exc}")
    except Exception:  # noqa: BLE001 -- a bug must not end the class's demo
        traceback.print_exc()
        return Outcome(task, message="No result could be computed (the details are in the "
                                     "terminal). Your answers are saved.")
    return Outcome(task, entry, row)


def run(options: DemoOptions) -> int:
    """The demo loop: menu, task, results, menu ... until Escape. Exit status 0."""
    from attentionlab.experiments.classroom_screens import DemoScreens
    from attentionlab.experiments.devices import check_display

    check_display(command="demo --autopilot")  # a display that does not answer: one line
    screens = DemoScreens(options)
    done = []
    try:
        while True:
            task = screens.menu(done)
            if task is None:
                break
            screens.close()
            outcome = run_task(task, options, screens.task_capture_dir(task))
            if outcome.entry is not None:
                print(f"Result of {options.student}, {task}: "
                      f"{outcome.entry.sentence(outcome.row)}", flush=True)
            screens.results(outcome)
            done.append(task)
    finally:
        screens.close(final=True)
    folder = Path(options.data_dir) / f"sub-{options.student}"
    print(f"Demo ended. Data of {options.student}: {folder}")
    return 0
