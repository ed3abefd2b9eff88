"""Large data sets (issue 15, "At any size"): memory bounds must not change results."""

import numpy as np

from attentionlab.analysis import reliability


def test_split_half_does_not_depend_on_how_many_splits_are_drawn_at_once(monkeypatch):
    """Large data draw fewer splits at a time (CHUNK_ELEMENTS); the halves, and so
    the reliability, must be those of the same seed drawn 50 splits at a time."""
    rng = np.random.default_rng(5)
    # units of different (odd and even) trial counts: several groups of equal counts
    unit = rng.integers(0, 120, 20_000)
    values = rng.normal(600, 80, unit.size)
    whole = reliability._half_means(unit, values, 120, 37, np.random.default_rng(1))
    monkeypatch.setattr(reliability, "CHUNK_ELEMENTS", 400)  # 1-3 splits at a time
    small = reliability._half_means(unit, values, 120, 37, np.random.default_rng(1))
    for a, b in zip(whole, small):
        np.testing.assert_array_equal(a, b)
