"""Checks that a real session and a simulated one are the same thing by
construction: the same trial plan for the same seed, the same columns filled
the same way. Called from each task's autopilot session test (which already
pays for a real PsychoPy session) and from tests/test_task_contracts.py.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.core import datafile
from attentionlab.core.params import apply_overrides
from attentionlab.core.trial_row import SessionFacts
from attentionlab.simulation.registry import population_for
from attentionlab.simulation.sessions import session_rows
from attentionlab.stimuli.registry import PARAMS, get_task


def _cells(value) -> str:
    cell = datafile._cell(value)
    return str(cell)


def session_parts(csv_path):
    """``(rows as str DataFrame, sidecar dict, params)`` of a session file."""
    csv_path = Path(csv_path)
    sidecar = json.loads(csv_path.with_suffix(".json").read_text())
    rows = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    params = apply_overrides(PARAMS[sidecar["task"]](), sidecar["params"])
    return rows, sidecar, params


def assert_same_plan(csv_path):
    """The session's trials are exactly ``make_plan(params, participant,
    seed)`` (the trial columns of every row, in order)."""
    rows, sidecar, params = session_parts(csv_path)
    definition = get_task(sidecar["task"])
    # run --allocate: the group the allocation gave (else the label rule, None).
    assigned = sidecar.get("counterbalance_assignment") or {}
    group = assigned.get("group") if assigned.get("method") == "allocation" else None
    plan = definition.make_plan(params, sidecar["participant"], sidecar["seed"], group=group)
    # --skip-intro skips the practice (and its instructions); the test is as planned.
    practice = plan.get("practice", []) if (rows["phase"] == "practice").any() else []
    trials = [*practice, *plan["test"]]
    assert len(rows) <= len(trials)
    for (_, row), trial in zip(rows.iterrows(), trials):
        planned = {k: _cells(v) for k, v in trial.row().items()}
        recorded = {k: row[k] for k in planned}
        assert recorded == planned, f"trial {row['trial_index']}: {recorded} != {planned}"


def simulated_twin(csv_path, seed=1) -> pd.DataFrame:
    """The rows a data-only simulation writes for the session's participant,
    params and seed, read back as a user would read them."""
    rows, sidecar, params = session_parts(csv_path)
    task = sidecar["task"]
    model = population_for(task)().draw(np.random.default_rng(seed), params)
    facts = SessionFacts(sidecar["participant"], sidecar["session"], task, 1, 1)
    sim = session_rows(task, params, model, facts, sidecar["seed"], np.random.default_rng(seed))
    header = list(rows.columns)
    return pd.DataFrame([[_cells(r.get(c)) for c in header] for r in sim], columns=header)


def assert_filled_like_simulation(csv_path):
    """Every column the real session fills, the simulation fills, and the
    other way round (a column empty in one and filled in the other is a
    drift between the two row builders); the trial columns agree."""
    rows, _, _ = session_parts(csv_path)
    sim = simulated_twin(csv_path)
    assert list(sim.columns) == list(rows.columns)
    filled_real = {c for c in rows.columns if (rows[c] != "").any()}
    filled_sim = {c for c in sim.columns if (sim[c] != "").any()}
    assert filled_real == filled_sim, (
        f"only in the real session: {sorted(filled_real - filled_sim)}; "
        f"only in the simulation: {sorted(filled_sim - filled_real)}")
