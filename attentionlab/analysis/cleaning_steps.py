"""Cleaning as a published pipeline did it: declared steps, run in the declared order.

The default cleaning (:mod:`~attentionlab.analysis.cleaning`) is one fixed
sequence. Published analyses differ in ways that change the numbers by several
ms: the first trials of each block dropped, trials after an error dropped, a
one-sided cut at the participant's mean + K SD over all conditions (sometimes
computed before errors are removed), strict or inclusive RT bounds, blocks or
participants below an accuracy excluded. A mapping's ``[[clean]]`` tables
declare such a pipeline; each table is one step::

    [[clean]]
    step = "drop_first"          # the first n trials of each block
    n = 4
    [[clean]]
    step = "drop_after_error"    # trials that follow an error in the same block
    [[clean]]
    step = "sd_cut"              # mean +/- k SD of the trials kept so far
    k = 2.5
    tail = "upper"               # "upper", "lower" or "both" (default)
    over = "participant"         # cells: "participant" (all conditions together)
                                 # or "condition" (participant x condition, default)
    [[clean]]
    step = "remove_errors"
    [[clean]]
    step = "rt_bounds"
    min = 200
    max = 2000
    inclusive = false            # strict bounds (default true: a bound value is kept)
    [[clean]]
    step = "min_block_accuracy"  # blocks with accuracy below p (all their trials)
    p = 0.8
    exclude_from = 2             # optional: a participant with this many such
                                 # blocks or more is excluded altogether
    [[clean]]
    step = "min_accuracy"        # participants below p over all test trials
    p = 0.8
    [[clean]]
    step = "exclude_participants"
    ids = ["12", "45"]
    reason = "did not follow the instructions (authors' exclusion)"

Trial-level steps decide which trials enter the RT means, as the default
cleaning does (accuracy is computed on all trials); "first n" and "after an
error" count trials in the order of the file, whatever earlier steps removed.
Participant-level steps leave participants out of the group statistics, each
with its reason. Trials without an RT never enter a mean (the last line of the
cleaning table counts them).

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1", "block": "1",
...                   "congruency": "congruent", "rt_ms": [500., 510, 520, 900],
...                   "correct": [1, 0, 1, 1]})
>>> steps = parse_steps([{"step": "drop_first", "n": 1}, {"step": "drop_after_error"}],
...                     "example")
>>> result, excluded = clean_published(d, steps)
>>> result.used.tolist(), [(s.name, s.n_removed) for s in result.steps]
([False, True, False, True], [('drop_first', 1), ('drop_after_error', 1), ('no_rt', 0)])
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attentionlab.analysis.cleaning import CleaningResult, Step
from attentionlab.analysis.trials import UNIT
from attentionlab.core.errors import UsageError

# step name -> {parameter: (type check, default; None = required)}
_NUMBER = (int, float)
STEPS = {
    "drop_first": {"n": (int, None), "per": (str, "block")},
    "drop_after_error": {"per": (str, "block")},
    "remove_errors": {},
    "rt_bounds": {"min": (_NUMBER, "none"), "max": (_NUMBER, "none"),
                  "inclusive": (bool, True)},
    "sd_cut": {"k": (_NUMBER, None), "tail": (str, "both"), "over": (str, "condition")},
    "min_block_accuracy": {"p": (_NUMBER, None), "per": (str, "block"),
                           "exclude_from": (int, "none")},
    "min_accuracy": {"p": (_NUMBER, None)},
    "exclude_participants": {"ids": (list, None), "reason": (str, None)},
}
CHOICES = {"tail": ("upper", "lower", "both"), "over": ("participant", "condition")}
EXCLUDED_COLUMNS = ["participant", "session", "accuracy", "reason"]


@dataclass(frozen=True)
class PublishedStep:
    """One declared step: its name and its parameters (defaults filled in)."""

    name: str
    params: tuple  # (key, value) pairs

    def get(self, key):
        return dict(self.params)[key]


def parse_steps(tables, where: str) -> tuple:
    """:class:`PublishedStep` objects from a list of ``[[clean]]`` tables.

    :class:`UsageError` names the step and says what is allowed.
    """
    if not isinstance(tables, list):
        raise UsageError(f"{where}: clean must be a list of tables ([[clean]])")
    steps = []
    for number, table in enumerate(tables, start=1):
        at = f"{where}: [[clean]] number {number}"
        if not isinstance(table, dict) or table.get("step") not in STEPS:
            raise UsageError(f"{at}: step must be one of {', '.join(STEPS)}; "
                             f"got {table.get('step') if isinstance(table, dict) else table!r}")
        name, allowed = table["step"], STEPS[table["step"]]
        params = {}
        for key, value in table.items():
            if key == "step":
                continue
            if key not in allowed:
                raise UsageError(f"{at} ({name}): unknown key {key!r}; allowed: "
                                 f"{', '.join(allowed) or 'none'}")
            kind = allowed[key][0]
            if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
                raise UsageError(f"{at} ({name}): {key} must be "
                                 f"{'a number' if kind is _NUMBER else kind.__name__}, "
                                 f"got {value!r}")
            if key in CHOICES and value not in CHOICES[key]:
                raise UsageError(f"{at} ({name}): {key} must be one of "
                                 f"{', '.join(CHOICES[key])}, got {value!r}")
            params[key] = value
        for key, (_, default) in allowed.items():
            if key not in params:
                if default is None:
                    raise UsageError(f"{at} ({name}) needs {key}")
                params[key] = None if default == "none" else default
        _check_values(name, params, at)
        steps.append(PublishedStep(name, tuple(params.items())))
    return tuple(steps)


def _check_values(name, params, at):
    if name == "min_block_accuracy" and params["exclude_from"] is not None \
            and params["exclude_from"] < 1:
        raise UsageError(f"{at} (min_block_accuracy): exclude_from must be at least 1 "
                         f"(a number of blocks), got {params['exclude_from']}")
    if name == "drop_first" and params["n"] < 1:
        raise UsageError(f"{at} (drop_first): n must be at least 1, got {params['n']}")
    if name == "sd_cut" and not params["k"] > 0:
        raise UsageError(f"{at} (sd_cut): k must be > 0, got {params['k']}")
    if name in ("min_accuracy", "min_block_accuracy") and not 0 <= params["p"] <= 1:
        raise UsageError(f"{at} ({name}): p must be a proportion, got {params['p']}")
    if name == "rt_bounds" and params["min"] is None and params["max"] is None:
        raise UsageError(f"{at} (rt_bounds) needs min, max or both")
    if name == "exclude_participants" and not params["ids"]:
        raise UsageError(f"{at} (exclude_participants): ids must list participants")


def clean_published(data: pd.DataFrame, steps, condition="congruency",
                    within=UNIT):
    """Run declared steps in order: the :class:`CleaningResult` (trials used in
    the RT means, one :class:`Step` per declared step plus ``no_rt``) and the
    participant x sessions excluded (``participant, session, accuracy, reason``)."""
    conditions = (condition,) if isinstance(condition, str) else tuple(condition)
    rt = pd.to_numeric(data["rt_ms"], errors="coerce").to_numpy(dtype=float)
    correct = pd.to_numeric(data["correct"], errors="coerce").to_numpy(dtype=float)
    keep = np.ones(len(data), dtype=bool)
    done, excluded = [], []
    for step in steps:
        remove, text, gone = _remove(step, data, rt, correct, keep, list(within), conditions)
        removed = keep & remove
        done.append(Step(step.name, text, int(removed.sum())))
        keep &= ~remove
        excluded += gone
    removed = keep & np.isnan(rt)
    done.append(Step("no_rt", "trials without a response time cannot enter a mean",
                     int(removed.sum())))
    keep &= ~removed
    table = pd.DataFrame(excluded, columns=EXCLUDED_COLUMNS).drop_duplicates(
        ["participant", "session"])
    return CleaningResult(pd.Series(keep, index=data.index, name="used"), len(data),
                          done, declared=True), table


def _remove(step, data, rt, correct, keep, within, conditions):
    """Boolean mask of trials the step removes, its description, excluded rows."""
    name = step.name
    if name == "remove_errors":
        return correct == 0, "error trials removed", []
    if name == "rt_bounds":
        return _bounds(step, rt)
    if name in ("drop_first", "drop_after_error", "min_block_accuracy"):
        per = step.get("per")
        if per not in data:
            raise UsageError(f"cleaning step {name} works per {per!r}, but the data have "
                             f"no {per} column (map it in [columns])")
        groups = [data[c].to_numpy() for c in (*within, per)]
        if name == "drop_first":
            n = step.get("n")
            position = data.groupby(groups, sort=False).cumcount().to_numpy()
            return position < n, f"first {n} trial(s) of each {per} removed", []
        if name == "drop_after_error":
            previous = pd.Series(correct, index=data.index).groupby(groups, sort=False).shift(1)
            return (previous == 0).to_numpy(), f"trials following an error in the same {per} " \
                                               f"removed", []
        return _low_blocks(step, data, correct, within, groups)
    if name == "sd_cut":
        return _sd_cut(step, data, rt, keep, within, conditions)
    return _participants(step, data, correct, within)


def _low_blocks(step, data, correct, within, groups):
    """Trials of blocks whose accuracy (all their trials) is below p; with
    ``exclude_from``, the participants with that many such blocks or more are
    excluded (Rey-Mermet et al., 2018: a low block is dropped, two or more
    drop the participant's task)."""
    per, p, exclude_from = step.get("per"), step.get("p"), step.get("exclude_from")
    accuracy = pd.Series(correct, index=data.index).groupby(groups, sort=False) \
        .transform("mean").to_numpy()
    low = accuracy < p
    per_unit = data[low].groupby(list(within), sort=False)[per].nunique()
    text = f"{per}s with accuracy below {p:g} removed ({int(per_unit.sum())} {per}(s))"
    if exclude_from is None:
        return low, text, []
    gone = per_unit[per_unit >= exclude_from]
    overall = pd.Series(correct, index=data.index).groupby(
        [data[c] for c in within], sort=False).mean()
    rows = [(*key, overall[key], f"{count} {per}s with accuracy below {p:g}")
            for key, count in gone.items()]
    return low, (f"{text}; participants with {exclude_from} or more such {per}s "
                 f"excluded ({len(rows)})"), rows


def _bounds(step, rt):
    low, high, inclusive = step.get("min"), step.get("max"), step.get("inclusive")
    outside = np.zeros(len(rt), dtype=bool)
    with np.errstate(invalid="ignore"):
        if low is not None:
            outside |= rt < low if inclusive else rt <= low
        if high is not None:
            outside |= rt > high if inclusive else rt >= high
    kind = "inclusive: a bound value is kept" if inclusive else "strict: a bound value is removed"
    limits = " and ".join(t for t in (f"below {low:g} ms" if low is not None else "",
                                      f"above {high:g} ms" if high is not None else "") if t)
    return outside, f"RTs {limits} removed ({kind})", []


def _sd_cut(step, data, rt, keep, within, conditions):
    """Kept trials beyond mean +/- k SD of their cell (mean and SD of the trials
    kept so far, once, not iterated)."""
    k, tail, over = step.get("k"), step.get("tail"), step.get("over")
    keys = within + (list(conditions) if over == "condition" else [])
    usable = keep & ~np.isnan(rt)
    cells = pd.DataFrame({key: data[key].to_numpy()[usable] for key in keys})
    cells["rt"] = rt[usable]
    grouped = cells.groupby(keys, sort=False, observed=True, dropna=False)["rt"]
    deviation = ((cells["rt"] - grouped.transform("mean"))
                 / grouped.transform("std")).to_numpy()
    far = {"upper": deviation > k, "lower": deviation < -k,
           "both": np.abs(deviation) > k}[tail]
    out = np.zeros(len(rt), dtype=bool)
    out[np.flatnonzero(usable)[np.nan_to_num(far, nan=0).astype(bool)]] = True
    side = {"upper": "above the mean + ", "lower": "below the mean - ",
            "both": "beyond the mean +/- "}[tail]
    cell = ("participant x session, all conditions together" if over == "participant"
            else "participant x session x condition")
    return out, f"RTs {side}{k:g} SD of their {cell} (trials kept so far) removed", []


# Steps that leave whole participants out of the group statistics rather than
# removing trials: the report names them with what they excluded, not "0 trials".
PARTICIPANT_STEPS = ("min_accuracy", "exclude_participants")


def _participants(step, data, correct, within):
    """Participant-level steps: nothing removed trial by trial; excluded rows."""
    accuracy = pd.Series(correct, index=data.index).groupby(
        [data[c] for c in within], sort=False).mean()
    if step.name == "min_accuracy":
        p = step.get("p")
        low = accuracy[accuracy < p]
        rows = [(*key, value, f"accuracy below {p:g}") for key, value in low.items()]
        return np.zeros(len(data), dtype=bool), \
            f"participants with accuracy below {p:g} excluded ({len(rows)})", rows
    ids = {str(i).strip() for i in step.get("ids")}
    reason = step.get("reason")
    rows = [(*key, value, reason) for key, value in accuracy.items() if str(key[0]) in ids]
    missing = sorted(ids - {str(key[0]) for key in accuracy.index})
    text = f"participants excluded: {', '.join(sorted(ids))} ({reason})"
    if missing:
        text += f"; not in the data: {', '.join(missing)}"
    return np.zeros(len(data), dtype=bool), text, rows
