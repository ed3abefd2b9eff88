"""Inattention trial lists: three phases, the object on the last trial of
each, positions by location, recognition options."""

import math
import random

import pytest

from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import inattention as ia


def test_three_phases_with_the_object_last_in_each():
    trials = ia.make_trials(ia.InattentionParams(trials=4), random.Random(2), group=3)
    assert [t.attention for t in trials] == ["inattention"] * 4 + ["divided"] * 4 + ["full"] * 4
    assert [t.block for t in trials] == [1] * 4 + [2] * 4 + [3] * 4
    assert [t.critical for t in trials] == [0, 0, 0, 1] * 3
    shapes = [t.object_shape for t in trials if t.critical]
    assert len(set(shapes)) == 3 and tuple(shapes) == ia.object_shapes(3)
    assert all(t.object_shape == "" and t.object_x is None for t in trials if not t.critical)
    assert ia.make_trials(ia.InattentionParams(), random.Random(2), phase="practice") == []


@pytest.mark.parametrize("location", ["fixation", "parafovea"])
def test_positions_follow_the_location(location):
    params = ia.InattentionParams(location=location, offset=0.1)
    for t in ia.make_trials(params, random.Random(5)):
        cross = math.hypot(t.cross_x, t.cross_y)
        if location == "fixation":
            assert cross == pytest.approx(0.1, abs=1e-3)
            if t.critical:
                assert (t.object_x, t.object_y) == (0.0, 0.0)
        else:
            assert cross == 0
            if t.critical:
                assert math.hypot(t.object_x, t.object_y) == pytest.approx(0.1, abs=1e-3)


def test_recognition_options_hold_the_object_once():
    params = ia.InattentionParams(recognition_choices=4)
    for t in ia.make_trials(params, random.Random(9)):
        if t.critical:
            assert len(t.recognition_options) == 4 == len(set(t.recognition_options))
            assert t.object_shape in t.recognition_options
            assert t.row()["recognition_options"].count(";") == 3


def test_arms_are_balanced_within_a_phase_and_the_order_is_seeded():
    params = ia.InattentionParams(trials=4)
    a = ia.make_trials(params, random.Random(1))
    assert a == ia.make_trials(params, random.Random(1))
    for block in (1, 2, 3):
        arms = [t.longer_arm for t in a if t.block == block]
        assert arms.count("horizontal") == arms.count("vertical") == 2


def test_shapes_rotate_over_participants_and_have_vertices():
    assert len({ia.object_shapes(g) for g in range(len(ia.SHAPES))}) == len(ia.SHAPES)
    for shape in ia.SHAPES:
        vertices = ia.shape_vertices(shape, 0.1)
        assert vertices is None or all(abs(x) <= 0.061 and abs(y) <= 0.061 for x, y in vertices)


def test_keys_must_differ():
    with pytest.raises(UsageError, match="four different keys"):
        apply_overrides(ia.InattentionParams(), {"yes_no_keys": "h,n"})
    with pytest.raises(UsageError, match="two keys"):
        apply_overrides(ia.InattentionParams(), {"arm_keys": "h"})
