"""Search displays hold what the trial says: the right number of items, the
target present or not, the right distractors, no overlaps, inside the field."""

import collections
import itertools
import random

import pytest

from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import search
from attentionlab.stimuli.search_layout import Grid, Item, decode_items, make_display

PARAMS = search.SearchParams()


def _all_trials(seed, **overrides):
    params = apply_overrides(PARAMS, overrides)
    rng = random.Random(seed)
    plan = search.design(params, "P1", rng)
    return params, (search.make_trials(params, rng, phase="practice", design=plan)
                    + search.make_trials(params, rng, phase="test", design=plan))


def _squares_overlap(a: Item, b: Item, side: float) -> bool:
    return abs(a.x - b.x) < side and abs(a.y - b.y) < side


@pytest.mark.parametrize("seed", range(3))
def test_every_display_matches_its_trial(seed):
    params, trials = _all_trials(seed)
    half_w, half_h, side = params.field_width / 2, params.field_height / 2, params.item_size
    for t in trials:
        items = decode_items(t.row()["items"])
        assert items == t.items and len(items) == t.set_size
        kinds = collections.Counter(i.kind for i in items)
        if t.search_type == "spatial":
            targets = [i for i in items if i.kind.startswith("T")]
            assert all(k[0] in "TL" and int(k[1:]) in (0, 90, 180, 270) for k in kinds)
        else:
            targets = [i for i in items if i.kind == "RV"]
        assert len(targets) == int(t.target_present)
        row = t.row()
        if t.target_present:
            assert (row["target_x"], row["target_y"], row["target_kind"]) == (
                targets[0].x, targets[0].y, targets[0].kind)
        else:
            assert row["target_x"] is None and row["target_kind"] == ""
        n_distractors = t.set_size - int(t.target_present)
        if t.search_type == "feature":
            assert kinds["GV"] == n_distractors
        elif t.search_type == "conjunction":
            assert kinds["RH"] + kinds["GV"] == n_distractors
            assert abs(kinds["RH"] - kinds["GV"]) <= 1
        for item in items:  # whole item inside the field, so inside the screen
            assert abs(item.x) + side / 2 <= half_w + 1e-9
            assert abs(item.y) + side / 2 <= half_h + 1e-9
        for a, b in itertools.combinations(items, 2):
            assert not _squares_overlap(a, b, side), (a, b)


def test_closest_items_keep_the_promised_gap():
    grid = PARAMS.grid()
    rng = random.Random(5)
    gaps = []
    for _ in range(200):
        items = make_display("conjunction", 32, True, rng, grid)
        gaps.append(min(max(abs(a.x - b.x), abs(a.y - b.y))
                        for a, b in itertools.combinations(items, 2)) - grid.item_size)
    # rounding to 3 decimals may take at most 0.001 off the construction's gap
    assert min(gaps) >= grid.clearance() - 0.001
    assert grid.clearance() == pytest.approx(0.025)


def test_largest_jitter_the_checks_allow_still_never_overlaps():
    params = apply_overrides(PARAMS, {"jitter": 0.0315, "set_sizes": "48"})
    grid = params.grid()
    rng = random.Random(2)
    for _ in range(50):
        items = make_display("spatial", 48, False, rng, grid)
        assert len({(i.x, i.y) for i in items}) == 48
        for a, b in itertools.combinations(items, 2):
            assert not _squares_overlap(a, b, grid.item_size - 0.001)


def test_target_positions_spread_over_the_field():
    _, trials = _all_trials(1, trials=960)
    xs = [t.target.x for t in trials if t.target_present]
    ys = [t.target.y for t in trials if t.target_present]
    # all four quadrants, roughly equally often (a fixed or clustered position would fail)
    quadrants = collections.Counter((x > 0, y > 0) for x, y in zip(xs, ys))
    assert len(quadrants) == 4 and min(quadrants.values()) > len(xs) / 4 * 0.7


def test_items_use_distinct_cells_and_jitter_moves_them_off_centre():
    grid = Grid(1.0, 0.8, 8, 6, 0.06, 0.02)
    items = make_display("feature", 48, True, random.Random(1), grid)
    centres = {grid.cell_centre(i) for i in range(48)}
    assert len(items) == 48
    off = [min(abs(i.x - cx) + abs(i.y - cy) for cx, cy in centres) for i in items]
    assert max(off) > 0.005 and all(o <= 0.04 + 1e-9 for o in off)


def test_set_size_larger_than_the_grid_is_refused():
    with pytest.raises(ValueError, match="does not fit"):
        make_display("feature", 49, True, random.Random(1), PARAMS.grid())


def test_items_column_round_trips():
    _, trials = _all_trials(4, trials=24, blocks_per_type=1)
    for t in trials:
        assert decode_items(t.row()["items"]) == t.items
    assert decode_items("") == ()
