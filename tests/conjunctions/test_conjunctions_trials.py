"""Illusory-conjunction trials, scoring, staircase and mask (pure code, no display)."""

import random

import numpy as np
import pytest

from attentionlab.core.columns import column_names
from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import conjunctions as cj

DISPLAY = (("T", "X", "O"), ("red", "green", "blue"))


def _params(**overrides):
    return apply_overrides(cj.ConjunctionsParams(), overrides)


@pytest.mark.parametrize("seed", range(5))
def test_each_trial_shows_two_different_digits_three_different_letters_and_colours(seed):
    p = cj.ConjunctionsParams()
    trials = cj.make_trials(p, random.Random(seed))
    assert len(trials) == 80
    for t in trials:
        assert t.digit_left != t.digit_right
        assert {t.digit_left, t.digit_right} <= set(p.digits)
        assert len(t.letters) == 3 and len(set(t.letters)) == 3
        assert set(t.letters) <= set(p.letters)
        assert len(t.colours) == 3 and len(set(t.colours)) == 3
        assert set(t.colours) <= set(p.colours)
        row = t.row()
        assert row["letters"] == ",".join(t.letters)
        assert row["letter_colours"] == ",".join(t.colours)
        assert row["colour_choices"] == "red,green,blue,orange,purple"


def test_every_letter_and_colour_is_used_at_every_position():
    trials = cj.make_trials(cj.ConjunctionsParams(), random.Random(3))
    for position in range(3):
        assert {t.letters[position] for t in trials} == set(cj.DEFAULT_LETTERS)
        assert {t.colours[position] for t in trials} == set(cj.DEFAULT_COLOURS)


def test_blocks_are_equal_and_the_count_rounds_up():
    trials = cj.make_trials(_params(blocks=3), random.Random(1), n_trials=10)
    assert [t.block for t in trials] == [1] * 4 + [2] * 4 + [3] * 4
    practice = cj.make_trials(_params(practice_trials=5), random.Random(1), phase="practice")
    assert len(practice) == 5 and {t.phase for t in practice} == {"practice"}
    assert cj.make_trials(_params(practice_trials=0), random.Random(1), phase="practice") == []


def test_same_seed_same_trials_different_seed_different_trials():
    p = cj.ConjunctionsParams()
    assert cj.make_trials(p, random.Random(7)) == cj.make_trials(p, random.Random(7))
    assert cj.make_trials(p, random.Random(7)) != cj.make_trials(p, random.Random(8))


@pytest.mark.parametrize("overrides, words", [
    ({"colours": "red,green,blue"}, "at least 4"),
    ({"colours": "red,red,green,blue"}, "at least 4"),
    ({"letters": "T,X"}, "at least 3"),
    ({"letters": "T,x,O"}, "capital"),
    ({"letters": "T,XY,O"}, "capital"),
    ({"digits": "3,3"}, "2 different"),
    ({"min_display_ms": 300, "max_display_ms": 200}, "above"),
    ({"staircase": "true", "display_ms": 2000}, "between"),
])
def test_bad_parameters_are_refused_with_what_is_allowed(overrides, words):
    with pytest.raises(UsageError, match=words):
        _params(**overrides)


def test_unknown_colour_names_are_refused():
    with pytest.raises(UsageError, match="allowed"):
        _params(colours="red,green,blue,yellow")


# -- scoring (hand-made examples) -------------------------------------------------
@pytest.mark.parametrize("letter, colour, outcome", [
    ("T", "red", "correct"), ("X", "green", "correct"), ("O", "blue", "correct"),
    ("T", "green", "conjunction_error"), ("O", "red", "conjunction_error"),
    ("X", "blue", "conjunction_error"),
    ("T", "purple", "feature_error"), ("X", "orange", "feature_error"),
    ("N", "red", "letter_error"), ("H", "purple", "letter_error"),
])
def test_score_report(letter, colour, outcome):
    assert cj.score_report(*DISPLAY, letter, colour) == outcome


@pytest.mark.parametrize("typed, score", [("37", 1), ("73", 1), ("38", 0), ("33", 0),
                                          ("3", 0), ("", 0), ("377", 0)])
def test_digit_report_is_right_in_either_order(typed, score):
    assert cj.score_digits(3, 7, typed) == score


def test_response_columns_score_each_report_and_count_them():
    trial = cj.ConjunctionsTrial(1, "test", 3, 7, *DISPLAY, cj.DEFAULT_LETTERS,
                                 cj.DEFAULT_COLOURS, 1)
    record = cj.response_columns(trial, "73", [("O", "red"), ("N", "blue"), ("T", "orange")])
    assert record["digits_correct"] == 1 and record["digits_typed"] == "73"
    assert [record[f"report{i}_outcome"] for i in (1, 2, 3)] == [
        "conjunction_error", "letter_error", "feature_error"]
    assert (record["n_correct"], record["n_feature_errors"], record["n_conjunction_errors"],
            record["n_letter_errors"]) == (0, 1, 1, 1)
    partial = cj.response_columns(trial, "3", [("T", "red")])
    assert partial["digits_correct"] == 0 and partial["report3_letter"] == ""
    assert partial["n_correct"] == 1
    assert set(record) <= set(column_names(cj.COLUMNS))


def test_columns_are_declared_once():
    names = column_names(cj.COLUMNS)
    assert len(names) == len(set(names))


# -- staircase ----------------------------------------------------------------------
def test_staircase_steps_follow_the_weighted_rule():
    p = _params(staircase=True, staircase_up_ms=30, staircase_target=0.75)
    assert cj.staircase_step_down_ms(p) == pytest.approx(10.0)
    assert cj.staircase_next(100.0, True, p) == 90.0
    assert cj.staircase_next(100.0, False, p) == 130.0
    assert cj.staircase_next(20.0, True, p) == p.min_display_ms
    assert cj.staircase_next(990.0, False, p) == p.max_display_ms


@pytest.mark.parametrize("target", [0.9, 0.75])
def test_staircase_converges_on_its_target(target):
    """An observer whose digit accuracy rises with exposure (logistic, 50% at
    80 ms, lapse-free): after a run-in the proportion correct is the target."""
    p = _params(staircase=True, staircase_target=target)
    rng = np.random.default_rng(1)
    level, outcomes = float(p.display_ms), []
    for _ in range(6000):
        shown_ms = round(level / (1000 / 60)) * (1000 / 60)  # whole frames, as shown
        p_correct = 1 / (1 + np.exp(-(shown_ms - 80) / 25))
        correct = rng.random() < p_correct
        outcomes.append(correct)
        level = cj.staircase_next(level, correct, p)
    assert np.mean(outcomes[1000:]) == pytest.approx(target, abs=0.015)


# -- layout and mask ---------------------------------------------------------------------
def test_items_sit_in_a_row_centred_on_fixation_without_overlap():
    p = cj.ConjunctionsParams()
    xs = [x for x, y in cj.item_positions(p)]
    assert len(xs) == 5 and xs[2] == 0 and xs == sorted(xs)
    assert xs[0] == -xs[4]
    assert min(np.diff(xs)) >= p.item_height  # a character is narrower than it is tall
    width, height = cj.patch_size(p)
    assert xs[4] + p.item_height / 2 < width / 2 and p.item_height < height


def test_mask_covers_the_patch_with_the_display_colours_and_black():
    p = cj.ConjunctionsParams()
    fragments = cj.mask_fragments(p, seed=5)
    assert len(fragments) == p.mask_fragments
    width, height = cj.patch_size(p)
    assert all(abs(f["x"]) <= width / 2 and abs(f["y"]) <= height / 2 for f in fragments)
    assert {f["colour"] for f in fragments} == set(p.colours) | {"black"}
    xs = [f["x"] for f in fragments]
    assert min(xs) < -0.4 * width and max(xs) > 0.4 * width  # spread over the whole row
    assert fragments == cj.mask_fragments(p, seed=5) != cj.mask_fragments(p, seed=6)


def test_chance_ratio():
    assert cj.expected_chance_ratio(5) == 1.0
    assert cj.expected_chance_ratio(6) == pytest.approx(2 / 3)
    assert cj.expected_chance_ratio(4) == 2.0
    assert np.isnan(cj.expected_chance_ratio(3))
