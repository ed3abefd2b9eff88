"""RT cleaning: which trials enter the RT means, and how many each step removed.

The steps run in a fixed order, each on the trials the previous steps kept:

1. ``errors``: trials with ``correct == 0`` (wrong key or no response) are
   removed, unless ``include_errors``;
2. ``no_rt``: trials without an RT (no response) cannot enter an RT mean;
3. ``bounds``: RTs below ``min_rt_ms`` or above ``max_rt_ms`` (both inclusive
   limits: an RT equal to a bound is kept);
4. ``trim``: ``sd:K`` keeps RTs within mean +/- K*SD, ``mad:K`` keeps RTs
   within median +/- K*1.4826*MAD; mean, SD, median and MAD are computed once
   (not iterated) within participant x session x condition on the trials left
   after step 3. A cell with fewer than two trials is not trimmed.

Accuracy is computed on all trials, so cleaning never changes it.

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1", "congruency": "congruent",
...                   "rt_ms": [150.0, 500.0, 520.0, None], "correct": [1, 1, 0, 0]})
>>> result = clean(d, CleaningSettings(min_rt_ms=200))
>>> result.used.tolist()
[False, True, False, False]
>>> [(s.name, s.n_removed) for s in result.steps]
[('errors', 2), ('no_rt', 0), ('bounds', 1), ('trim', 0)]
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from attentionlab.analysis.trials import UNIT
from attentionlab.core.errors import UsageError

MAD_TO_SD = 1.4826  # makes the MAD a consistent estimate of the SD for normal data


@dataclass(frozen=True)
class CleaningSettings:
    """The cleaning rules. RT limits in ms; ``None`` means no limit.

    ``trim`` is ``"none"``, ``"sd:K"`` or ``"mad:K"`` with K > 0.
    """

    include_errors: bool = False
    min_rt_ms: float | None = 200.0
    max_rt_ms: float | None = None
    trim: str = "none"

    def __post_init__(self):
        parse_trim(self.trim)
        for name in ("min_rt_ms", "max_rt_ms"):
            value = getattr(self, name)
            if value is not None and not (np.isfinite(value) and value >= 0):
                raise UsageError(f"{name} must be a number >= 0, got {value!r}")
        if (self.min_rt_ms is not None and self.max_rt_ms is not None
                and self.min_rt_ms > self.max_rt_ms):
            raise UsageError(f"--min-rt-ms ({self.min_rt_ms:g}) is larger than "
                             f"--max-rt-ms ({self.max_rt_ms:g})")


@dataclass(frozen=True)
class Step:
    """One cleaning step: its name, what it did in words, trials it removed."""

    name: str
    description: str
    n_removed: int


@dataclass
class CleaningResult:
    """``used``: boolean Series (same index as the data), True for trials that
    enter the RT means. ``steps``: the steps in order with their counts."""

    used: pd.Series
    n_trials: int
    steps: list = field(default_factory=list)
    declared: bool = False  # steps declared by a mapping's [[clean]], not the defaults

    @property
    def n_used(self) -> int:
        return int(self.used.sum())


def no_cleaning(data: pd.DataFrame) -> CleaningResult:
    """Every trial used, no steps: for tasks whose measures are not RTs."""
    return CleaningResult(pd.Series(True, index=data.index, name="used"), len(data), [])


def parse_trim(trim: str) -> tuple[str, float | None]:
    """``"sd:2.5"`` -> ``("sd", 2.5)``; ``"none"`` -> ``("none", None)``.

    >>> parse_trim("mad:3")
    ('mad', 3.0)
    """
    text = (trim or "none").strip().lower()
    if text == "none":
        return "none", None
    method, _, k = text.partition(":")
    try:
        value = float(k)
    except ValueError:
        value = float("nan")
    if method not in ("sd", "mad") or not (np.isfinite(value) and value > 0):
        raise UsageError(f"--trim must be none, sd:K or mad:K with K a number > 0 "
                         f"(e.g. sd:2.5), got {trim!r}")
    return method, value


def clean(data: pd.DataFrame, settings: CleaningSettings = CleaningSettings(),
          condition: str | tuple[str, ...] = "congruency",
          within: tuple[str, ...] = UNIT) -> CleaningResult:
    """Mark the trials that enter the RT means; count what each step removed.

    ``data`` needs ``rt_ms`` (ms, NaN when no response), ``correct`` (1/0,
    NaN when not applicable: kept), the ``condition`` column(s) (one name or
    a tuple: trimming cells are ``within`` x all of them) and the ``within``
    columns.
    """
    conditions = (condition,) if isinstance(condition, str) else tuple(condition)
    rt = pd.to_numeric(data["rt_ms"], errors="coerce").to_numpy(dtype=float)
    correct = pd.to_numeric(data["correct"], errors="coerce").to_numpy(dtype=float)
    keep = np.ones(len(data), dtype=bool)
    steps = []

    def step(name, description, remove):
        nonlocal keep
        removed = keep & remove
        steps.append(Step(name, description, int(removed.sum())))
        keep = keep & ~remove

    if settings.include_errors:
        step("errors", "error trials kept (--include-errors)", np.zeros_like(keep))
    else:
        step("errors", "error trials (wrong key or no response) removed", correct == 0)
    step("no_rt", "trials without a response time removed", np.isnan(rt))
    low, high = settings.min_rt_ms, settings.max_rt_ms
    outside = np.zeros_like(keep)
    if low is not None:
        outside |= rt < low
    if high is not None:
        outside |= rt > high
    step("bounds", _bounds_text(low, high), outside)

    method, k = parse_trim(settings.trim)
    if method == "none":
        step("trim", "no trimming", np.zeros_like(keep))
    else:
        step("trim", _trim_text(method, k), _outliers(data, rt, keep, method, k,
                                                      [*within, *conditions]))
    return CleaningResult(pd.Series(keep, index=data.index, name="used"), len(data), steps)


def _outliers(data, rt, keep, method, k, keys):
    """Boolean array: kept trials outside the band of their cell."""
    kept = pd.DataFrame({key: data[key].to_numpy()[keep] for key in keys})
    kept["rt"] = rt[keep]
    groups = kept.groupby(keys, sort=False, observed=True, dropna=False)["rt"]
    if method == "sd":
        centre = groups.transform("mean")
        spread = groups.transform("std")  # ddof=1; NaN for a single trial
    else:
        centre = groups.transform("median")
        deviation = (kept["rt"] - centre).abs()
        spread = deviation.groupby([kept[key] for key in keys], sort=False, observed=True,
                                   dropna=False).transform("median") * MAD_TO_SD
        spread = spread.where(groups.transform("size") >= 2)
    far = ((kept["rt"] - centre).abs() > k * spread).fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(rt), dtype=bool)
    out[np.flatnonzero(keep)[far]] = True
    return out


def _bounds_text(low, high):
    if low is None and high is None:
        return "no absolute RT bounds"
    if high is None:
        return f"RTs below {low:g} ms removed"
    if low is None:
        return f"RTs above {high:g} ms removed"
    return f"RTs outside {low:g}-{high:g} ms removed"


def _trim_text(method, k):
    if method == "sd":
        return (f"RTs more than {k:g} SD from the mean of their participant x session x "
                f"condition cell removed")
    return (f"RTs more than {k:g} x 1.4826 x MAD from the median of their participant x "
            f"session x condition cell removed")
