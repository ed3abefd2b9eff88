"""Hand-made session files for the resume tests: the rows a session of
stroop writes (built by the data-only simulation, so every column is as a
real session fills it), cut where a session stopped, with sidecars as the
session runner writes them."""

import json

import numpy as np

from attentionlab.core import datafile
from attentionlab.core.columns import column_names
from attentionlab.core.params import apply_overrides, as_plain
from attentionlab.core.trial_row import SessionFacts
from attentionlab.simulation.registry import population_for
from attentionlab.simulation.sessions import session_rows
from attentionlab.stimuli.registry import PARAMS, get_task

TASK = "stroop"
SEED = 4242


def stroop_params(trials=24):
    return apply_overrides(PARAMS[TASK](), {"trials": trials, "blocks": 2})


def session_of(participant="P1", session="1", trials=24, seed=SEED):
    """All rows (practice then test) of one simulated session."""
    params = stroop_params(trials)
    model = population_for(TASK)().draw(np.random.default_rng(1), params)
    facts = SessionFacts(participant, session, TASK, 1, 1)
    return params, session_rows(TASK, params, model, facts, seed, np.random.default_rng(1))


def write_run(data_dir, rows, params, *, run, completed, participant="P1", session="1",
              seed=SEED, extra=None, half_line=False, sidecar=True):
    """One run's CSV (rows renumbered to ``run``) and sidecar; the CSV path."""
    files = datafile.SessionFiles.create(data_dir, participant, session, TASK,
                                         column_names(get_task(TASK).COLUMNS))
    assert files.run == run
    files.append_rows([{**r, "run": run} for r in rows])
    if half_line:
        files._fh.write("P1,1,stroop,1,1,9")  # a row kill -9 cut short
    files.close()
    n_test = sum(r["phase"] == "test" for r in session_of(participant, session,
                                                          params.trials, seed)[1])
    if sidecar:
        content = {"task": TASK, "participant": participant, "session": session, "seed": seed,
                   "completed": completed, "trials_planned": n_test,
                   "trials_done": sum(r["phase"] == "test" for r in rows),
                   "abort_reason": None, "simulated": True, "run": run,
                   "params": as_plain(params), "timing": {}, **(extra or {})}
        files.sidecar_path.write_text(json.dumps(content))
    return files.csv_path
