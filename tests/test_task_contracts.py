"""Every task meets every layer's contract (attentionlab/core/contracts.py),
and the layers fit together: one trial plan, one scoring, one row builder.

The real-session half (an autopilot session's trials equal ``make_plan`` for
its seed; its columns are filled like the simulated twin's) runs inside each
task's session test, through tests/contract_checks.py."""

import dataclasses

import numpy as np
import pytest

from attentionlab.core.columns import column_names
from attentionlab.core.outcome import Outcome
from attentionlab.core.trial_row import SessionFacts
from attentionlab.simulation.registry import population_for
from attentionlab.simulation.sessions import session_rows
from attentionlab.stimuli.registry import PARAMS, get_task
from attentionlab.tasks import TASKS, contract_problems, task_module


@pytest.mark.parametrize("task", TASKS)
def test_task_meets_every_contract(task):
    assert contract_problems(task) == []



@pytest.mark.parametrize("task", TASKS)
def test_one_trial_plan_for_presenter_and_simulation(task):
    definition = get_task(task)
    params = PARAMS[task]()
    plan = definition.make_plan(params, "P7", 5)
    again = definition.make_plan(params, "P7", 5)
    other_seed = definition.make_plan(params, "P7", 6)
    rows = lambda p: [t.row() for phase in ("practice", "test") for t in p.get(phase, [])]
    assert rows(plan) == rows(again)
    assert plan["test"], "a plan has test trials"
    assert {t.phase for t in plan["test"]} == {"test"}
    assert all(t.phase == "practice" for t in plan.get("practice", []))
    own = {c.name for c in definition.COLUMNS}
    assert all(set(t.row()) <= own | {"block", "phase"} for t in plan["test"])
    if len(plan["test"]) > 4:  # a different seed shuffles differently
        assert rows(plan) != rows(other_seed)
    # The presenter's trial lists are the definition's plan (prepare calls it).
    prepared = task_module(task, "presentation").prepare(params, "P7", 5)
    assert rows(prepared.trials) == rows(plan)
    assert prepared.sidecar_extra == definition.plan_facts(params, "P7")


@pytest.mark.parametrize("task", TASKS)
def test_score_says_what_no_response_means(task):
    definition = get_task(task)
    params = PARAMS[task]()
    trial = definition.make_plan(params, "P7", 5)["test"][0]
    scored = definition.score(trial, Outcome(onset_s=1.0))
    assert set(scored) <= {c.name for c in definition.COLUMNS} | {"correct"}


@pytest.mark.parametrize("task", TASKS)
def test_simulated_rows_have_exactly_the_file_columns(task):
    params = PARAMS[task]()
    model = population_for(task)().draw(np.random.default_rng(3), params)
    rows = session_rows(task, params, model, SessionFacts("sim001", "1", task, 1, 1), 5,
                        np.random.default_rng(3))
    header = column_names(get_task(task).COLUMNS)
    assert rows
    for row in rows:
        assert set(row) == set(header), (sorted(set(header) - set(row)),
                                         sorted(set(row) - set(header)))


@pytest.mark.parametrize("task", TASKS)
def test_every_counterbalancing_group_reachable_and_none_is_the_label_rule(task):
    """Balanced assignment (core/allocation.py) hands out groups 0..n-1:
    each must give its own session, and group=None must stay the label rule."""
    definition = get_task(task)
    params = PARAMS[task]()
    n = definition.counterbalance_groups(params)
    assert isinstance(n, int) and n >= 1
    rows = lambda p: [t.row() for phase in ("practice", "test") for t in p.get(phase, [])]
    plans = [rows(definition.make_plan(params, "P7", 5, group=g)) for g in range(n)]
    assert len({repr(p) for p in plans}) == n, "each group gives a different session"
    facts = [definition.plan_facts(params, "P7", group=g) for g in range(n)]
    if n > 1:
        assert len({repr(f) for f in facts}) == n, "the sidecar says which group"
    for label in ("P7", "P10", "P3", "Ann"):
        g = definition.label_group(params, label)
        assert 0 <= g < n
        assert rows(definition.make_plan(params, label, 5)) == rows(
            definition.make_plan(params, label, 5, group=g))
    with pytest.raises(ValueError, match="group must be"):
        definition.make_plan(params, "P7", 5, group=n)
    prepared = task_module(task, "presentation").prepare(params, "P7", 5, group=n - 1)
    assert rows(prepared.trials) == plans[n - 1]
    assert prepared.sidecar_extra == definition.plan_facts(params, "P7", group=n - 1)
