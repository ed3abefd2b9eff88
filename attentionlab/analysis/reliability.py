"""Split-half reliability of a difference score, by random splits.

Each participant x session's trials of each condition are split at random
into two halves (sizes floor(m/2) and the rest); the difference score
(e.g. incongruent - congruent mean RT) is computed in each half; the two
half scores are correlated across participants (Pearson r) and corrected to
full length with the Spearman-Brown formula r_sb = 2r / (1 + r). This is
repeated for many random splits: the mean of r_sb is the estimate, and its
SD and 2.5/97.5 percentiles show how much it depends on the split (Hedge,
Powell & Sumner, 2018; the permutation approach of Parsons, Kruijt & Fox, 2019).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> true = rng.normal(60, 30, 40)  # 40 people with different true effects
>>> rows = [(f"P{i}", c, 600 + (t if c == "incongruent" else 0) + rng.normal(0, 40))
...         for i, t in enumerate(true) for c in ("congruent", "incongruent")
...         for _ in range(60)]
>>> d = pd.DataFrame(rows, columns=["participant", "congruency", "rt_ms"]).assign(session="1")
>>> r = split_half(d, n_splits=200, seed=1)
>>> 0.6 < r["mean"] < 1, r["n"], r["n_splits"]
(True, 40, 200)
"""

# Hand-written: no library splits each person's trials of a difference score
# at random (pingouin has Cronbach's alpha and ICC, for items and raters).
import numpy as np
import pandas as pd

from attentionlab.analysis.trials import UNIT

WORK_PER_RUN = 2e7  # trial draws for the automatic number of splits


def auto_splits(n_trials: int) -> int:
    """Number of random splits when none is given: 1000, fewer for large
    data sets (at least 100) so that splits x trials stays near 2e7.

    With more participants, the estimate varies less from split to split, so
    fewer splits give the same Monte Carlo precision.

    >>> auto_splits(10_000), auto_splits(160_000), auto_splits(10_000_000)
    (1000, 125, 100)
    """
    return int(np.clip(round(WORK_PER_RUN / max(n_trials, 1)), 100, 1000))


def split_half(data: pd.DataFrame, *, minuend: str = "incongruent",
               subtrahend: str = "congruent", condition: str = "congruency",
               dv: str = "rt_ms", unit=UNIT,
               n_splits: int | None = None, seed: int = 1) -> dict:
    """Spearman-Brown corrected split-half reliability of ``minuend -
    subtrahend`` mean ``dv``, over ``n_splits`` random splits (seeded).

    ``data``: the trials that enter the means (already cleaned). Units with
    fewer than 2 trials in either condition are left out. Returns a dict:
    ``mean, median, sd, q025, q975`` (of r_sb over splits), ``n`` (units),
    ``n_splits``. Values are NaN with fewer than 3 units.
    """
    # only the columns used: a filtered copy of every column was ~2x the data's memory
    cells = data[list(dict.fromkeys([*unit, condition, dv]))]
    cells = cells[cells[condition].isin([minuend, subtrahend])]
    keys = [cells[k] for k in unit]
    sizes = cells.groupby([*keys, cells[condition]], observed=True).size().unstack(condition)
    sizes = sizes.reindex(columns=[minuend, subtrahend])
    ok = sizes.index[(sizes >= 2).all(axis=1)]
    n_units = len(ok)
    n_splits = n_splits or auto_splits(int(sizes.loc[ok].to_numpy().sum()) if n_units else 0)
    result = {"mean": np.nan, "median": np.nan, "sd": np.nan, "q025": np.nan,
              "q975": np.nan, "n": n_units, "n_splits": n_splits}
    if n_units < 3:
        return result
    rng = np.random.default_rng(seed)
    unit_index = pd.Series(np.arange(n_units), index=ok)
    halves = {}
    for which in (minuend, subtrahend):
        part = cells[cells[condition] == which]
        idx = pd.MultiIndex.from_frame(part[list(unit)])
        pos = unit_index.reindex(idx).to_numpy()
        keep = ~np.isnan(pos)
        halves[which] = _half_means(pos[keep].astype(int), part[dv].to_numpy(float)[keep],
                                    n_units, n_splits, rng)
    a = halves[minuend][0] - halves[subtrahend][0]  # (splits, units), first halves
    b = halves[minuend][1] - halves[subtrahend][1]
    with np.errstate(invalid="ignore", divide="ignore"):  # no variance: r is NaN
        r = _rowwise_pearson(a, b)
        r_sb = np.where(r > -1, 2 * r / (1 + r), np.nan)
    if np.isnan(r_sb).all():
        return result
    result.update(mean=float(np.nanmean(r_sb)), median=float(np.nanmedian(r_sb)),
                  sd=float(np.nanstd(r_sb, ddof=1)), q025=float(np.nanpercentile(r_sb, 2.5)),
                  q975=float(np.nanpercentile(r_sb, 97.5)))
    return result


# Random keys drawn at once (splits x units x trials): bounds the memory of one
# chunk (~16 bytes an element: key, index, value) to ~16 MB at any data size
# (4e6 peaked at ~90 MB at 10^6 trials, and was no faster).
CHUNK_ELEMENTS = 1_000_000


def _half_means(unit_of_trial, values, n_units, n_splits, rng, chunk=50):
    """Means of two random halves per unit, for each split: two arrays
    (splits, units). Units with the same trial count are done together, at
    most ``chunk`` splits (fewer for large data, see CHUNK_ELEMENTS) at a time;
    the draws come from ``rng`` in the same order whatever the chunk, so the
    result does not depend on it."""
    order = np.argsort(unit_of_trial, kind="stable")
    unit_sorted, values = unit_of_trial[order], values[order]
    starts = np.searchsorted(unit_sorted, np.arange(n_units))
    counts = np.bincount(unit_sorted, minlength=n_units)
    first = np.empty((n_splits, n_units))
    second = np.empty((n_splits, n_units))
    for m in np.unique(counts):
        units = np.flatnonzero(counts == m)
        matrix = values[starts[units, None] + np.arange(m)].astype(np.float32)
        h = m // 2
        total = matrix.sum(axis=1)
        step = max(1, min(chunk, CHUNK_ELEMENTS // matrix.size))
        for s0 in range(0, n_splits, step):
            s1 = min(s0 + step, n_splits)
            keys = rng.random((s1 - s0, len(units), m), dtype=np.float32)
            # the h trials with the smallest keys form the first half (exactly h,
            # even if two keys happen to be equal)
            chosen = np.argpartition(keys, h - 1, axis=-1)[..., :h]
            sum_first = np.take_along_axis(
                np.broadcast_to(matrix, keys.shape), chosen, axis=-1).sum(axis=-1)
            first[s0:s1, units] = sum_first / h
            second[s0:s1, units] = (total - sum_first) / (m - h)
    return first, second


def _rowwise_pearson(a, b):
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    return (a * b).sum(axis=1) / np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
