"""Search trial lists: balance, seeding, counterbalancing, parameter checks."""

import collections
import itertools
import random
import re
from pathlib import Path

import pytest

from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import search

DOC = Path(__file__).resolve().parents[2] / "docs" / "tasks" / "search.md"


def _trials(seed=1, participant="P1", phase="test", **overrides):
    params = apply_overrides(search.SearchParams(), overrides)
    rng = random.Random(seed)
    plan = search.design(params, participant, rng)
    return params, plan, search.make_trials(params, rng, phase=phase, design=plan)


def test_default_design_balances_set_size_and_presence_within_every_block():
    params, plan, trials = _trials()
    assert len(trials) == 288
    blocks = {t.block: t.search_type for t in trials}
    assert len(blocks) == 6 and collections.Counter(blocks.values()) == {
        "feature": 2, "conjunction": 2, "spatial": 2}
    cells = collections.Counter((t.block, t.set_size, t.target_present) for t in trials)
    assert len(cells) == 6 * 4 * 2 and set(cells.values()) == {6}
    for t in trials:  # one search type per block
        assert t.search_type == blocks[t.block]


def test_trials_round_up_to_a_balanced_design():
    params, _, trials = _trials(trials=50, blocks_per_type=1)
    assert len(trials) == 72 == search.balanced_trial_count(params, 50)


def test_same_seed_same_trials_and_different_seed_different_trials():
    assert _trials(7)[2] == _trials(7)[2]
    assert _trials(7)[2] != _trials(8)[2]


def test_order_within_a_block_is_shuffled():
    _, _, trials = _trials(3)
    first_block = [(t.set_size, t.target_present) for t in trials if t.block == 1]
    assert first_block != sorted(first_block)
    assert first_block != sorted(first_block, reverse=True)


def test_correct_key_follows_presence_and_the_participants_keys():
    for participant, present in (("P2", "f"), ("P3", "j"), ("P10", "f"), ("P11", "j")):
        _, plan, trials = _trials(participant=participant)
        assert plan.keys["present"] == present
        for t in trials:
            assert t.present_key == present
            assert t.correct_key == plan.keys["present" if t.target_present else "absent"]


def test_fixed_key_mapping():
    _, plan, _ = _trials(participant="P3", key_mapping="present_first")
    assert plan.keys == {"present": "f", "absent": "j"}
    _, plan, _ = _trials(participant="P2", key_mapping="present_second", keys="d,k")
    assert plan.keys == {"present": "k", "absent": "d"}


def test_twelve_participants_cross_keys_and_block_orders():
    seen = set()
    for number in range(12):
        _, plan, _ = _trials(participant=f"P{number}")
        first = plan.block_types[:3]
        assert sorted(first) == sorted(search.SearchParams().search_types)
        assert plan.block_types[3:] == first[::-1]  # ABC CBA
        seen.add((plan.keys["present"], first))
    assert len(seen) == 12


def test_block_order_table_in_the_docs_matches_the_code():
    rows = re.findall(r"^  \| ([0-5]) \| (\w+), (\w+), (\w+) \|$", DOC.read_text(), re.M)
    assert len(rows) == 6
    for index, *order in rows:
        # numbers 2*index (even: f = present) and 2*index + 1 share the order
        for number in (2 * int(index), 2 * int(index) + 1):
            _, plan, _ = _trials(participant=f"S{number}")
            assert list(plan.block_types[:3]) == order


def test_label_without_digits_is_counterbalanced_by_checksum():
    _, plan_a, _ = _trials(participant="anna")
    _, plan_b, _ = _trials(participant="anna")
    assert plan_a == plan_b and plan_a.keys["present"] in ("f", "j")


def test_random_block_order_never_repeats_a_type_across_a_pass_boundary():
    for seed in range(30):
        _, plan, _ = _trials(seed, block_order="random", blocks_per_type=4)
        types = plan.block_types
        assert all(a != b for a, b in zip(types, types[1:]))
        for k in range(4):
            assert sorted(types[3 * k:3 * k + 3]) == ["conjunction", "feature", "spatial"]


def test_explicit_block_order_and_a_subset_of_types():
    _, plan, trials = _trials(block_order="spatial,feature", search_types="feature,spatial")
    assert plan.block_types == ("spatial", "feature", "feature", "spatial")
    assert {t.search_type for t in trials} == {"feature", "spatial"}


def test_practice_is_one_balanced_block_per_type_in_the_first_pass_order():
    _, plan, practice = _trials(phase="practice")
    assert len(practice) == 24 and {t.phase for t in practice} == {"practice"}
    by_block = itertools.groupby(practice, key=lambda t: (t.block, t.search_type))
    assert [key for key, _ in by_block] == list(enumerate(plan.block_types[:3], start=1))
    for block in (1, 2, 3):
        cells = {(t.set_size, t.target_present) for t in practice if t.block == block}
        assert len(cells) == 8


def test_no_practice():
    assert _trials(phase="practice", practice_trials=0)[2] == []


@pytest.mark.parametrize("overrides, message", [
    ({"set_sizes": "4,8,64"}, "does not fit the grid"),
    ({"set_sizes": "4,4"}, "twice"),
    ({"search_types": "feature,feature"}, "twice"),
    ({"keys": "f,f"}, "two different keys"),
    ({"keys": "f,j,k"}, "two different keys"),
    ({"keys": "space,j"}, "space"),
    ({"item_size": 0.12}, "could overlap"),
    ({"jitter": 0.04}, "could overlap"),
    ({"block_order": "feature,spatial"}, "block_order"),
    ({"block_order": "sideways"}, "block_order"),
    ({"key_mapping": "left"}, "not allowed"),
    ({"search_types": "colour"}, "not allowed"),
])
def test_impossible_parameters_are_usage_errors(overrides, message):
    with pytest.raises(UsageError, match=message):
        apply_overrides(search.SearchParams(), overrides)


def test_row_has_exactly_the_declared_columns_besides_the_responses():
    _, _, trials = _trials()
    declared = {c.name for c in search.COLUMNS}
    responses = {"answered_present"}
    for t in trials[:10]:
        assert set(t.row()) - {"block", "phase"} == declared - responses
