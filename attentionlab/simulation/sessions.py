"""Data-only simulation: whole sessions in exactly the format real sessions write.

Each simulated participant is drawn from the population, does the same
trial list a real session would (practice and test, the same counterbalanced
keys, the same randomisation), and their rows and sidecar are written with
the same crash-safe writer, with ``simulated=1``. The sidecar also records
the participant's drawn (true) values, so a teacher or a test can compare
what the analysis finds with what was programmed.

>>> import tempfile
>>> paths = write_sessions("stroop", 2, tempfile.mkdtemp(), seed=1, trials=24)
>>> len(paths)
2
"""

import dataclasses
import datetime

import numpy as np

import attentionlab
from attentionlab.simulation.registry import SIMULATED_START, population_for, simulation_for
from attentionlab.core import datafile
from attentionlab.core.columns import column_names
from attentionlab.core.params import apply_overrides, as_plain
from attentionlab.core.trial_row import SessionFacts, build_row
from attentionlab.stimuli.registry import PARAMS, get_task

def split_overrides(task: str, overrides: dict):
    """Split ``--set`` items between the population (effects) and the task's
    own parameters (trials, deadline, ...); unknown names are an error."""
    population_cls, params_cls = population_for(task), PARAMS[task]
    pop_names = {f.name for f in dataclasses.fields(population_cls)}
    task_names = {f.name for f in dataclasses.fields(params_cls)}
    unknown = set(overrides) - pop_names - task_names
    if unknown:
        from attentionlab.core.errors import UsageError
        from attentionlab.core.errors import did_you_mean
        name = sorted(unknown)[0]
        raise UsageError(
            f"unknown parameter {name!r}{did_you_mean(name, pop_names | task_names)}; "
            f"simulation parameters: "
            f"{', '.join(sorted(pop_names))}; task parameters: see 'attentionlab params {task}'")
    population = apply_overrides(population_cls(),
                                 {k: v for k, v in overrides.items() if k in pop_names})
    params = apply_overrides(params_cls(),
                             {k: v for k, v in overrides.items() if k in task_names})
    return population, params


def write_sessions(task: str, n_participants: int, out, *, seed: int = 1,
                   trials: int | None = None, overrides: dict | None = None,
                   session: str = "1", progress=None) -> list:
    """Write ``n_participants`` simulated sessions (CSV + sidecar) into ``out``.

    Participants are labelled ``sim001``, ``sim002``, ... (their numbers also
    drive the key counterbalancing, as for real labels). Returns the CSV paths.
    """
    get_task(task)
    overrides = dict(overrides or {})
    if trials is not None:
        overrides["trials"] = trials
    population, params = split_overrides(task, overrides)
    simulation = simulation_for(task)
    datafile.preflight(out)
    header = column_names(get_task(task).COLUMNS)
    width = max(3, len(str(n_participants)))
    root = np.random.SeedSequence(seed)
    paths = []
    for i, child in enumerate(root.spawn(n_participants), start=1):
        participant = f"sim{i:0{width}d}"
        rng = np.random.default_rng(child)
        model = population.draw(rng, params)
        session_seed = int(child.generate_state(1)[0] % (2**31 - 1)) + 1
        files = datafile.SessionFiles.create(out, participant, session, task, header)
        facts = SessionFacts(participant, session, task, files.run, simulated=1)
        rows = session_rows(task, params, model, facts, session_seed, rng)
        sidecar = _sidecar(task, participant, session, files.run, session_seed, params,
                           population, model, rows)
        datafile.write_sidecar(files.sidecar_path, sidecar)
        files.append_rows(rows)
        files.close()
        sidecar.update(completed=True, trials_done=sum(r["phase"] == "test" for r in rows))
        datafile.write_sidecar(files.sidecar_path, sidecar)
        paths.append(files.csv_path)
        if progress:
            progress(i, n_participants)
    return paths


def session_rows(task: str, params, model, facts: SessionFacts, seed: int,
                 rng: np.random.Generator) -> list:
    """The rows a real session of this participant would have written: the
    task's own plan (``make_plan``, the same call a real session makes with
    the same seed), the participant model's outcomes, the task's scoring and
    the one row builder."""
    definition, simulation = get_task(task), simulation_for(task)
    plan = definition.make_plan(params, facts.participant, seed)
    trials = [*plan.get("practice", []), *plan["test"]]
    outcomes = simulation.outcomes(params, model, trials, rng)
    return [build_row(facts, trial, outcome, definition.score(trial, outcome),
                      trial_index=index, dropped_frames=0,
                      timestamp=(SIMULATED_START + datetime.timedelta(seconds=outcome.end_s))
                      .isoformat(timespec="milliseconds"))
            for index, (trial, outcome) in enumerate(zip(trials, outcomes), start=1)]


def _sidecar(task, participant, session, run, seed, params, population, model, rows):
    n_test = sum(r["phase"] == "test" for r in rows)
    return {
        "task": task, "participant": participant, "session": session, "run": run,
        "seed": seed, "completed": False, "trials_planned": n_test,
        "practice_trials_planned": len(rows) - n_test, "trials_done": 0,
        "abort_reason": None, "start_time": SIMULATED_START.isoformat(), "end_time": None,
        "simulated": True, "software": {"attentionlab": attentionlab.__version__},
        "timing": {"frame_pacing": "none (data-only simulation)", "dropped_frames_total": 0},
        "params": as_plain(params),
        "simulation": {"population": dataclasses.asdict(population),
                       "participant": dataclasses.asdict(model)},
    }
