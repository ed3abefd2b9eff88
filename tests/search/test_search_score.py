"""Search's one plan, plan facts and scoring (stimuli/search.py), the same for
a real session and a simulated one."""

import random

import pytest

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import apply_overrides
from attentionlab.experiments.search import prepare  # no window needed
from attentionlab.stimuli import search

PARAMS = search.SearchParams(trials=24, blocks_per_type=1, practice_trials=2)


def test_score_present_and_absent_keys():
    plan = search.make_plan(PARAMS, "P3", 5)["test"]
    present = next(t for t in plan if t.target_present)
    absent = next(t for t in plan if not t.target_present)
    other = next(k for k in PARAMS.keys if k != present.present_key)
    assert present.present_key == "j"  # P3: odd number, the second key
    assert search.score(present, Outcome(1.0, "j", 700.0)) == {
        "correct": 1, "answered_present": 1}
    assert search.score(present, Outcome(1.0, other, 700.0)) == {
        "correct": 0, "answered_present": 0}
    assert search.score(absent, Outcome(1.0, other, 700.0)) == {
        "correct": 1, "answered_present": 0}
    assert search.score(absent, Outcome(1.0, "j", 700.0)) == {
        "correct": 0, "answered_present": 1}
    assert search.score(absent, Outcome(1.0)) == {"correct": 0, "answered_present": None}


@pytest.mark.parametrize("order", ["counterbalanced", "random", "spatial,feature,conjunction"])
def test_plan_and_counterbalance_are_the_ones_prepare_used(order):
    params = apply_overrides(PARAMS, {"block_order": order})
    prepared = prepare(params, "P8", 17)
    plan = search.make_plan(params, "P8", 17)
    assert prepared.trials == plan
    facts = search.plan_facts(params, "P8", 17)
    assert prepared.sidecar_extra == facts
    blocks = list(dict.fromkeys((t.block, t.search_type) for t in plan["test"]))
    assert facts["counterbalance"]["block_types"] == [t for _, t in blocks]
    # The design is the plan's first draw: the same as design() on a fresh Random(seed).
    design = search.design(params, "P8", random.Random(17))
    assert facts["counterbalance"]["keys"] == design.keys


def test_random_block_order_needs_the_seed():
    params = apply_overrides(PARAMS, {"block_order": "random"})
    with pytest.raises(ValueError, match="seed"):
        search.plan_facts(params, "P8")
    orders = {tuple(search.plan_facts(params, "P8", s)["counterbalance"]["block_types"])
              for s in range(12)}
    assert len(orders) > 1
