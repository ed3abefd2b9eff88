"""Resuming an interrupted session (``attentionlab run TASK ... --resume``).

A session stopped part-way (kill -9, a crash, Escape, the fire alarm) leaves
its rows on disk and a sidecar saying ``completed: false``. Resuming runs the
same trial plan (the task's ``make_plan`` with the recorded seed and
parameters) from the first test trial not on disk, into a NEW run file whose
sidecar says ``"continues_run": <n>``; the interrupted file is only read.
Practice is not repeated. The analysis joins the pieces into one session.

>>> import tempfile
>>> find_unfinished(tempfile.mkdtemp(), "P1", "1", "stroop") is None
True
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from attentionlab.core import datafile
from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli.registry import PARAMS


@dataclass
class ResumePoint:
    """Where an unfinished session stopped.

    ``run``: the run it continues (its files ``csv_path``/``sidecar_path``);
    ``seed`` and ``params`` (the task's parameter object) as recorded;
    ``test_done``: test trials on disk in that run and the runs it continues
    itself (a resumed run can be interrupted again); ``last_trial_index``:
    the highest ``trial_index`` on disk (the new run numbers on from it);
    ``test_planned``: test trials in the plan; ``runs``: the chain of runs
    so far, oldest first, e.g. ``[1, 2]``.
    """

    task: str
    participant: str
    session: str
    run: int
    csv_path: Path
    sidecar_path: Path
    seed: int
    params: object
    test_done: int
    last_trial_index: int
    test_planned: int
    runs: list = field(default_factory=list)
    sidecar: dict = field(default_factory=dict, repr=False)

    @property
    def remaining(self) -> int:
        """Test trials still to run."""
        return max(0, self.test_planned - self.test_done)

    def describe(self) -> str:
        """e.g. ``run-1 (150 of 288 test trials on disk)``."""
        return f"run-{self.run} ({self.test_done} of {self.test_planned} test trials on disk)"

    def sidecar_facts(self) -> dict:
        """What the new run's sidecar records about the run it continues."""
        return {"continues_run": self.run,
                "resumed": {"continues_file": self.csv_path.name,
                            "runs_before": list(self.runs),
                            "test_trials_before": self.test_done,
                            "trial_index_before": self.last_trial_index,
                            "first_test_trial": self.test_done + 1}}


def find_unfinished(data_dir, participant: str, session: str, task: str):
    """The latest run of this participant, session and task if its sidecar
    says ``completed: false``; None when there is no run, or the latest run
    completed (see :func:`nothing_to_resume` for the words to say so).

    Runs without a readable sidecar (a session that died before its first
    row) are passed over: they hold no trials and no seed.
    """
    for run in reversed(datafile.existing_runs(data_dir, participant, session, task)):
        csv_path, sidecar_path = _paths(data_dir, participant, session, task, run)
        sidecar = _read_json(sidecar_path)
        if sidecar is None or not csv_path.exists():
            continue
        if sidecar.get("completed") is not False:
            return None
        return _point(task, participant, session, run, csv_path, sidecar_path, sidecar)
    return None


def nothing_to_resume(data_dir, participant: str, session: str, task: str) -> str:
    """One line saying why there is nothing to resume and what exists."""
    runs = datafile.existing_runs(data_dir, participant, session, task)
    who = f"participant {participant} session {session} {task}"
    if not runs:
        return (f"nothing to resume: no {task} run of participant {participant} session "
                f"{session} in {str(data_dir)!r} (start it without --resume)")
    states = []
    for run in runs:
        _, sidecar_path = _paths(data_dir, participant, session, task, run)
        sidecar = _read_json(sidecar_path)
        if sidecar is None:
            states.append(f"run-{run} has no readable sidecar")
        else:
            done = "completed" if sidecar.get("completed") else "stopped"
            states.append(f"run-{run} {done} ({sidecar.get('trials_done')} of "
                          f"{sidecar.get('trials_planned')} test trials)")
    return (f"nothing to resume for {who}: the latest run completed; on disk: "
            f"{'; '.join(states)} (start a new run without --resume)")


def check_plan(point: ResumePoint, test_trials) -> None:
    """Raise :class:`UsageError` if the test rows on disk are not the first
    trials of ``test_trials`` (the plan rebuilt from the recorded seed and
    parameters): a resumed session must continue the same trial list."""
    rows = [r for r in _rows(point.csv_path) if r.get("phase") == "test"]
    first = point.test_done - len(rows)
    for k, row in enumerate(rows):
        position = first + k
        if position >= len(test_trials):
            raise UsageError(f"{point.csv_path.name} has more test trials than the plan "
                             f"({len(test_trials)}); cannot resume it")
        planned = {name: str(datafile._cell(value))
                   for name, value in test_trials[position].row().items()}
        recorded = {name: row.get(name, "") for name in planned}
        if recorded != planned:
            raise UsageError(f"{point.csv_path.name}: test trial {position + 1} on disk is not "
                             f"the planned one for seed {point.seed} (made by another version "
                             f"of the task?); cannot resume it")


def _point(task, participant, session, run, csv_path, sidecar_path, sidecar) -> ResumePoint:
    if "seed" not in sidecar or sidecar.get("seed") is None or "params" not in sidecar:
        raise UsageError(f"{sidecar_path.name} records no seed or parameters; "
                         f"run-{run} cannot be resumed")
    try:
        params = apply_overrides(PARAMS[task](), sidecar["params"])
    except UsageError as exc:
        raise UsageError(f"{sidecar_path.name}: its parameters do not fit this version "
                         f"of {task} ({exc}); run-{run} cannot be resumed") from None
    rows = _rows(csv_path)
    before = sidecar.get("resumed") or {}
    indexes = [int(r["trial_index"]) for r in rows if r.get("trial_index", "").isdigit()]
    return ResumePoint(
        task=task, participant=participant, session=session, run=run,
        csv_path=csv_path, sidecar_path=sidecar_path, seed=int(sidecar["seed"]),
        params=params,
        test_done=int(before.get("test_trials_before", 0))
        + sum(r.get("phase") == "test" for r in rows),
        last_trial_index=max(indexes, default=int(before.get("trial_index_before", 0))),
        test_planned=int(sidecar.get("trials_planned") or 0),
        runs=[*before.get("runs_before", []), run], sidecar=sidecar)


def _rows(csv_path) -> list:
    """The complete rows of a session CSV (a half-written last line, which
    kill -9 can leave, is not a trial on disk)."""
    text = Path(csv_path).read_text(encoding="utf-8")
    text = text[:text.rfind("\n") + 1]
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _paths(data_dir, participant, session, task, run):
    stem = datafile.session_stem(participant, session, task, run)
    folder = Path(data_dir) / f"sub-{participant}"
    return folder / f"{stem}.csv", folder / f"{stem}.json"


def _read_json(path):
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def resume_from_command_line(args):
    """``run --resume``: the point to resume and its recorded parameters,
    after checking that nothing was given that would change the plan.
    Returns ``(point, params, population)``; prints what will happen.
    Raises :class:`UsageError` (one line, nothing created) otherwise."""
    from attentionlab.core.params import parse_set_options
    from attentionlab.experiments.tasks import resolve_params
    from attentionlab.simulation.registry import population_for
    from attentionlab.stimuli.registry import get_task

    get_task(args.task)
    given = [option for option, value in (("--seed", args.seed), ("--trials", args.trials),
                                          ("--lang", args.lang), ("--config", args.config))
             if value is not None]
    population_names = ({f for f in population_for(args.task).__dataclass_fields__}
                        if args.autopilot else set())
    given += [f"--set {name}" for name in parse_set_options(args.set)
              if name not in population_names]
    if given:
        raise UsageError(f"--resume continues with the recorded seed and parameters; leave "
                         f"out {', '.join(given)}")
    point = find_unfinished(args.data_dir, args.participant, args.session, args.task)
    if point is None:
        raise UsageError(nothing_to_resume(args.data_dir, args.participant, args.session,
                                           args.task))
    if point.remaining == 0:
        raise UsageError(f"nothing to resume: {point.csv_path.name} has all "
                         f"{point.test_planned} test trials on disk (it stopped at the end "
                         f"screen); its data are complete")
    _, population = resolve_params(args.task, sets=args.set, autopilot=args.autopilot)
    print(f"Resuming {args.task} for participant {args.participant} session {args.session}: "
          f"{point.describe()}. Continuing with test trial {point.test_done + 1} of "
          f"{point.test_planned} (seed {point.seed}, the same trial list) into a new run "
          f"file; {point.csv_path.name} is only read. No practice.", flush=True)
    return point, point.params, population
