"""Flicker stimuli: every built-in pair changes only inside its region, pair
folders are validated, trial lists and the display plan are right."""

import random

import numpy as np
import pytest
from PIL import Image

from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import flicker, flicker_photos, flicker_scenes
from attentionlab.stimuli.flicker_pairs import (export_pairs, load_pair_folder, move,
                                                recolour, remove)

PAIRS = flicker_photos.all_photo_pairs() + flicker_scenes.generated_pairs(12)


def _inside(pair):
    mask = np.zeros(pair.image_a.shape[:2], bool)
    for x0, y0, x1, y1 in pair.region:
        mask[y0:y1, x0:x1] = True
    return mask


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.name)
def test_pair_changes_only_inside_its_region(pair):
    a, b = pair.image_a.astype(int), pair.image_b.astype(int)
    assert a.shape == b.shape and a.ndim == 3 and a.shape[2] == 3
    inside = _inside(pair)
    assert (a[~inside] == b[~inside]).all(), "pixels outside the region differ"
    changed = (a != b).any(axis=-1)
    # A change people can see: many pixels, clearly different on average.
    assert changed.sum() >= 100
    assert np.abs(a - b).max(axis=-1)[changed].mean() > 25
    for x0, y0, x1, y1 in pair.region:
        w, h = pair.size
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
        assert changed[y0:y1, x0:x1].any(), "a region box with no change in it"
    assert pair.kind in ("removed", "colour", "moved")
    assert pair.interest in ("central", "marginal")
    assert pair.interest_rule and pair.licence


def test_generated_scenes_are_deterministic_and_balanced():
    first = flicker_scenes.make_scene.__wrapped__(4, 7)
    again = flicker_scenes.make_scene.__wrapped__(4, 7)
    other = flicker_scenes.make_scene.__wrapped__(4, 8)
    assert (first.image_a == again.image_a).all() and first.region == again.region
    assert not (first.image_a.shape == other.image_a.shape
                and (first.image_a == other.image_a).all())
    cells = {(p.kind, p.interest) for p in flicker_scenes.generated_pairs(6)}
    assert len(cells) == 6


def test_moved_object_has_two_boxes_and_central_is_large_and_near_the_centre():
    for pair in flicker_scenes.generated_pairs(12):
        boxes = [(x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in pair.region]
        assert len(boxes) == (2 if pair.kind == "moved" else 1)
        x0, y0, x1, y1 = pair.region[0]
        distance = np.hypot((x0 + x1) / 2 - 320, (y0 + y1) / 2 - 240)
        if pair.interest == "central":
            assert boxes[0] > 100 * 100 and distance < 90
        else:
            assert boxes[0] < 70 * 70 and distance >= 200


def test_photographs_rotate_their_changes_across_participants():
    g0 = {p.name for p in flicker_photos.photo_pairs(0)}
    g1 = {p.name for p in flicker_photos.photo_pairs(1)}
    assert len(g0) == len(g1) == len(flicker_photos.PHOTOS)
    assert not g0 & g1
    assert g0 | g1 == {c.name for c in flicker_photos.CHANGES}
    interests = [p.interest for p in flicker_photos.photo_pairs(0)]
    assert interests.count("central") == interests.count("marginal")


def test_edits_touch_only_the_mask():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    img[20:30, 20:30] = (200, 40, 40)
    mask = np.zeros((60, 80), bool)
    mask[18:32, 18:32] = True
    for out in (remove(img, mask), recolour(img, mask), recolour(img, mask, tint=(0, 0, 255)),
                move(img, mask, 30, 0)):
        moved_to = np.zeros_like(mask)
        moved_to[18:32, 48:62] = True
        outside = ~mask & ~moved_to
        assert (out[outside] == img[outside]).all()
    assert (move(img, mask, 30, 0)[20:30, 50:60] == (200, 40, 40)).all()


def _write_pair(folder, name, a, b, region="10 10 30 30", kind="colour", interest="central",
                header="name,region,kind,interest"):
    Image.fromarray(a).save(folder / f"{name}_a.png")
    Image.fromarray(b).save(folder / f"{name}_b.png")
    (folder / "changes.csv").write_text(f"{header}\n{name},{region},{kind},{interest}\n")


def _images():
    a = np.full((50, 60, 3), 100, np.uint8)
    b = a.copy()
    b[12:25, 12:25] = (250, 0, 0)
    return a, b


def test_user_pair_folder_round_trip(tmp_path):
    export_pairs(PAIRS[:3], tmp_path / "pairs")
    loaded = load_pair_folder(tmp_path / "pairs")
    assert [p.name for p in loaded] == [p.name for p in PAIRS[:3]]
    for mine, theirs in zip(PAIRS[:3], loaded):
        assert (mine.image_b == theirs.image_b).all() and mine.region == theirs.region
        assert theirs.source == "user"


@pytest.mark.parametrize("change, message", [
    (dict(kind="vanished"), "kind 'vanished' is not allowed"),
    (dict(interest="middle"), "interest 'middle' is not allowed"),
    (dict(region="10 10 30"), "must be 'x0 y0 x1 y1'"),
    (dict(region="10 10 300 30"), "is not inside the 60x50 image"),
    (dict(region="40 40 50 48"), "changed pixels lie outside the region"),
    (dict(header="name,kind,interest,where"), "missing column(s) region"),
])
def test_user_pair_folder_errors_say_what_is_wrong(tmp_path, change, message):
    a, b = _images()
    _write_pair(tmp_path, "p1", a, b, **change)
    with pytest.raises(UsageError, match="changes.csv") as err:
        load_pair_folder(tmp_path)
    assert message in str(err.value)


def test_user_pair_folder_file_problems(tmp_path):
    a, b = _images()
    with pytest.raises(UsageError, match="has no changes.csv"):
        load_pair_folder(tmp_path)
    _write_pair(tmp_path, "p1", a, a)
    with pytest.raises(UsageError, match="are identical"):
        load_pair_folder(tmp_path)
    _write_pair(tmp_path, "p1", a, b[:40])
    with pytest.raises(UsageError, match="they must match"):
        load_pair_folder(tmp_path)
    _write_pair(tmp_path, "p1", a, b)
    (tmp_path / "p1_b.png").unlink()
    with pytest.raises(UsageError, match="p1_b.png is missing"):
        load_pair_folder(tmp_path)


def test_folder_parameters_are_checked():
    with pytest.raises(UsageError, match="needs pair_dir"):
        apply_overrides(flicker.FlickerParams(), {"pair_set": "folder"})
    with pytest.raises(UsageError, match="pair_set=folder"):
        apply_overrides(flicker.FlickerParams(), {"pair_dir": "/tmp"})


def test_session_pairs_and_trials():
    params = flicker.FlickerParams()
    practice, test = flicker.select_pairs(params, group=3)
    assert len(test) == params.trials and len(practice) == params.practice_trials
    assert sum(p.source == "photo" for p in test) == len(flicker_photos.PHOTOS)
    assert not {p.name for p in practice} & {p.name for p in test}
    trials = flicker.make_trials(params, random.Random(5), test, "test", group=3)
    again = flicker.make_trials(params, random.Random(5), test, "test", group=3)
    assert trials == again
    assert sorted(t.pair for t in trials) == sorted(p.name for p in test)
    assert sum(t.blank_condition == "no_blank" for t in trials) == 4  # 25% of 16
    assert [t.block for t in trials] == sorted(t.block for t in trials)
    assert {t.block for t in trials} == {1, 2}
    practice_trials = flicker.make_trials(params, random.Random(5), practice, "practice")
    assert {t.blank_condition for t in practice_trials} == {"blank"}


def test_no_blank_control_rotates_over_every_pair():
    n = 16
    seen = set()
    for group in range(n):
        positions = flicker.no_blank_positions(n, 0.25, group)
        assert len(positions) == 4
        seen |= positions
    assert seen == set(range(n))
    assert flicker.no_blank_positions(10, 0.0) == set()


def test_display_plan_has_a_blank_in_every_half_cycle():
    assert flicker.phase_plan(14, 5, True) == [("a", 14), ("blank", 5), ("b", 14),
                                               ("blank", 5)]
    assert flicker.phase_plan(14, 5, False) == [("a", 14), ("b", 14)]


def test_image_and_screen_positions_are_inverse():
    for x, y in [(0, 0), (640, 480), (123.5, 400.25)]:
        sx, sy = flicker.image_to_screen(x, y, (640, 480), 0.8)
        assert flicker.screen_to_image(sx, sy, (640, 480), 0.8) == pytest.approx((x, y))
    assert flicker.image_to_screen(0, 0, (640, 480), 0.8) == pytest.approx((-0.5333, 0.4),
                                                                            abs=1e-4)
