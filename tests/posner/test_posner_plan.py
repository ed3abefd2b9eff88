"""The Posner trial plan: balanced units per block, validity proportions,
catch trials that look like target trials, cue types counterbalanced A B B A,
and the parameter checks."""

from collections import Counter

import pytest

from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import posner
from attentionlab.stimuli.posner import PosnerParams, make_plan


def params(**overrides):
    return apply_overrides(PosnerParams(), overrides)


def test_default_plan_is_balanced_within_every_block():
    plan = make_plan(PosnerParams(), "P4", 11)
    test = plan["test"]
    assert len(test) == 428 and {t.block for t in test} == {1, 2, 3, 4}
    for block in range(1, 5):
        trials = [t for t in test if t.block == block]
        targets = [t for t in trials if not t.catch]
        assert len(targets) == 96 and len(trials) - len(targets) == 11
        cells = Counter((t.soa_ms, t.target_side, t.validity) for t in targets)
        # every SOA x side: 4 valid, 1 invalid, 1 neutral per unit, two units a block
        assert set(cells) == {(s, side, v) for s in (100, 300, 600, 1000)
                              for side in ("left", "right") for v in ("valid", "invalid",
                                                                       "neutral")}
        for (soa, side, validity), n in cells.items():
            assert n == {"valid": 8, "invalid": 2, "neutral": 2}[validity]
        cued = [t for t in targets if t.validity != "neutral"]
        assert sum(t.validity == "valid" for t in cued) / len(cued) == pytest.approx(0.8)
        assert len({t.cue_type for t in trials}) == 1


def test_cues_point_where_their_validity_says():
    for t in make_plan(PosnerParams(), "P1", 3)["test"]:
        if t.validity == "valid":
            assert t.cue == t.target_side
        elif t.validity == "invalid":
            assert t.cue in ("left", "right") and t.cue != t.target_side
        elif t.validity == "neutral":
            assert t.cue == "neutral" and t.target_side in ("left", "right")
        else:
            assert t.target_side == "none" and t.correct_key == ""
        assert t.correct_key == ("" if t.catch else "space")


def test_catch_trials_take_cues_and_soas_of_the_target_trials():
    plan = make_plan(params(trials=4000), "P1", 5)
    catch = [t for t in plan["test"] if t.catch]
    assert len(catch) / len(plan["test"]) == pytest.approx(0.10, abs=0.005)
    cues = Counter(t.cue for t in catch)
    # cue kinds in the target trials' proportions: 5/12 left, 5/12 right, 2/12 neutral
    assert cues["neutral"] / len(catch) == pytest.approx(2 / 12, abs=0.05)
    assert abs(cues["left"] - cues["right"]) / len(catch) < 0.1
    assert set(Counter(t.soa_ms for t in catch)) == {100, 300, 600, 1000}


def test_cue_types_follow_abba_and_alternate_between_participants():
    assert posner.block_cue_types(PosnerParams(), "P2") == [
        "endogenous", "exogenous", "exogenous", "endogenous"]
    assert posner.block_cue_types(PosnerParams(), "P3") == [
        "exogenous", "endogenous", "endogenous", "exogenous"]
    assert posner.block_cue_types(params(blocks=6, cue_order="endogenous"), "P3") == [
        "endogenous", "exogenous", "exogenous", "endogenous", "endogenous", "exogenous"]
    assert set(posner.block_cue_types(params(cue_types="exogenous"), "P2")) == {"exogenous"}
    facts = posner.plan_facts(PosnerParams(), "P3")
    assert facts["counterbalance_group"] == 1 and facts["block_cue_types"][0] == "exogenous"


def test_practice_has_both_cue_types_and_the_same_seed_gives_the_same_plan():
    plan = make_plan(PosnerParams(), "P2", 9)
    practice = plan["practice"]
    assert len(practice) == 12 and {t.phase for t in practice} == {"practice"}
    assert [t.cue_type for t in practice] == ["endogenous"] * 6 + ["exogenous"] * 6
    again = make_plan(PosnerParams(), "P2", 9)
    assert [t.row() for t in plan["test"]] == [t.row() for t in again["test"]]
    other = make_plan(PosnerParams(), "P2", 10)
    assert [t.row() for t in plan["test"]] != [t.row() for t in other["test"]]


def test_foreperiods_are_jittered_within_the_declared_range():
    fore = [t.foreperiod_ms for t in make_plan(PosnerParams(), "P1", 2)["test"]]
    assert min(fore) >= 800 and max(fore) <= 1200 and len(set(fore)) > 100


def test_trials_are_rounded_up_to_whole_units_and_zero_weights_leave_kinds_out():
    small = make_plan(params(trials=1, blocks=2, soas="300", validity_weights="3,1,0",
                             catch_percent=0), "P1", 1)["test"]
    assert len(small) == 16
    assert Counter(t.validity for t in small) == {"valid": 12, "invalid": 4}


@pytest.mark.parametrize("overrides, words", [
    ({"validity_weights": "4,1"}, "three numbers"),
    ({"validity_weights": "0,1,1"}, "valid weight"),
    ({"soas": "100,100"}, "twice"),
    ({"cue_ms": "200"}, "shortest SOA"),
    ({"cue_types": "exogenous", "cue_order": "endogenous"}, "not among cue_types"),
    ({"cue_types": "sideways"}, "not allowed"),
])
def test_inconsistent_parameters_are_refused_in_one_line(overrides, words):
    with pytest.raises(UsageError, match=words):
        params(**overrides)
