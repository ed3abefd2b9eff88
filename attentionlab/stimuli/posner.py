"""Posner cueing (covert orienting): parameters, data columns, trial plan, scoring (pure).

Fixation cross between two boxes; a cue, either **endogenous** (a central
arrow pointing to a box, or a double arrow: neutral) or **exogenous** (one
box brightens briefly, or both: neutral), the cue type fixed per block; after
the cue-target SOA a dot in one box, to be detected with one key press
(simple RT). Catch trials have no dot: not pressing is correct. Posner
(1980); the design and its defaults: docs/tasks/posner.md.

>>> plan = make_plan(PosnerParams(), "P1", 7)
>>> len(plan["test"]), sorted({t.validity for t in plan["test"]})
(428, ['catch', 'invalid', 'neutral', 'valid'])
>>> block_cue_types(PosnerParams(), "P1")
['exogenous', 'endogenous', 'endogenous', 'exogenous']
"""

import random
import zlib
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param

TASK = "posner"
CUE_TYPES = ("endogenous", "exogenous")
VALIDITIES = ("valid", "invalid", "neutral")  # target trials; catch trials: 'catch'
SIDES = ("left", "right")
# Blocks follow the order A B B A (repeated), A being the participant's first
# cue type: a linear practice or fatigue trend weighs on both types equally.
ABBA = (0, 1, 1, 0)

COLUMNS: tuple[Column, ...] = (
    Column("cue_type", "str", "endogenous (central arrow) or exogenous (a box brightens); "
                              "fixed within a block"),
    Column("cue", "str", "the side the cue points to: left|right, or neutral (double arrow, "
                         "both boxes)"),
    Column("validity", "str", "valid (dot in the cued box), invalid (in the other box), "
                              "neutral (neutral cue) or catch (no dot)"),
    Column("target_side", "str", "the box the dot appears in: left|right; none on catch "
                                 "trials"),
    Column("soa_ms", "int", "cue-target SOA: cue onset to dot onset (catch trials: to when "
                            "the dot would have appeared), ms"),
    Column("foreperiod_ms", "int", "fixation with the empty boxes before the cue, ms"),
    Column("correct_key", "str", "the key to press; empty on catch trials (no press is "
                                 "correct)"),
    Column("false_alarm", "bool01", "catch trials: 1 a key was pressed, 0 none; empty on "
                                    "trials with a dot"),
)


@dataclass(frozen=True)
class PosnerParams:
    """Every Posner cueing parameter, with its default. Durations in ms,
    sizes as fractions of the screen height."""

    trials: int = param(428, "number of test trials, catch trials included (rounded up to "
                        "whole balanced units per block)", min=1, max=5000)
    blocks: int = param(4, "number of test blocks (one cue type each, order A B B A), with "
                        "a self-paced break between them", min=1, max=40)
    practice_trials: int = param(12, "practice trials with feedback (first half with the "
                                 "first block's cue type, second half the other)",
                                 min=0, max=200)
    cue_types: tuple[str, ...] = param(
        CUE_TYPES, "cue types used, one per block (comma-separated)", choices=CUE_TYPES)
    cue_order: str = param(
        "auto", "which cue type comes first: 'auto' counterbalances by participant label "
        "(see docs/tasks/posner.md), or endogenous or exogenous",
        choices=("auto", *CUE_TYPES))
    soas: tuple[int, ...] = param((100, 300, 600, 1000),
                                  "cue-target SOAs (onset to onset), each equally often",
                                  unit="ms", min=0, max=5000)
    validity_weights: tuple[int, ...] = param(
        (4, 1, 1), "relative numbers of valid, invalid and neutral trials per SOA and side "
        "(4,1,1: 80% of cued trials valid, 1 in 6 neutral)", min=0, max=20)
    catch_percent: float = param(10.0, "share of test trials without a dot (rounded per "
                                 "block)", unit="%", min=0, max=50)
    key: str = param("space", "the key pressed on seeing the dot")
    fixation_ms: int = param(800, "shortest fixation with the empty boxes before the cue",
                             unit="ms", min=0, max=5000)
    fixation_jitter_ms: int = param(400, "a random 0..this is added to each fixation "
                                    "(the cue cannot be anticipated)", unit="ms", min=0,
                                    max=5000)
    cue_ms: int = param(100, "how long the cue is shown (arrow or brightening); at most the "
                        "shortest SOA", unit="ms", min=16, max=2000)
    deadline_ms: int = param(1500, "the dot stays until a press or this deadline; catch "
                             "trials wait as long", unit="ms", min=200, max=10000)
    iti_ms: int = param(600, "blank inter-trial interval", unit="ms", min=0, max=10000)
    feedback_ms: int = param(800, "duration of practice feedback", unit="ms", min=100,
                             max=5000)
    box_offset: float = param(0.3, "horizontal distance from the cross to each box's "
                              "centre, fraction of screen height", min=0.1, max=0.6)
    box_size: float = param(0.12, "side of each box, fraction of screen height", min=0.03,
                            max=0.3)
    target_size: float = param(0.04, "diameter of the dot, fraction of screen height",
                               min=0.01, max=0.2)
    arrow_length: float = param(0.09, "length of the central arrow cue, fraction of screen "
                                "height", min=0.02, max=0.3)
    box_offset_deg: float = param(
        9.0, "box_offset (eccentricity of each box's centre) in degrees of visual angle, "
        "drawn instead when the monitor is calibrated", unit="deg", min=1, max=40)
    box_size_deg: float = param(3.6, "box_size in degrees, drawn instead when the monitor "
                                "is calibrated", unit="deg", min=0.3, max=20)
    target_size_deg: float = param(1.2, "target_size (dot diameter) in degrees, drawn "
                                   "instead when the monitor is calibrated", unit="deg",
                                   min=0.1, max=10)
    arrow_length_deg: float = param(2.7, "arrow_length in degrees, drawn instead when the "
                                    "monitor is calibrated", unit="deg", min=0.3, max=20)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        if len(self.validity_weights) != 3:
            raise UsageError(f"validity_weights needs three numbers (valid,invalid,neutral), "
                             f"got {len(self.validity_weights)}")
        if self.validity_weights[0] < 1:
            raise UsageError("validity_weights: the valid weight must be at least 1")
        if not self.soas:
            raise UsageError("soas needs at least one SOA")
        if len(set(self.soas)) != len(self.soas):
            raise UsageError("soas lists an SOA twice")
        if len(set(self.cue_types)) != len(self.cue_types) or not self.cue_types:
            raise UsageError("cue_types: give endogenous, exogenous or both, each once")
        if self.cue_order != "auto" and self.cue_order not in self.cue_types:
            raise UsageError(f"cue_order={self.cue_order} is not among cue_types "
                             f"({','.join(self.cue_types)})")
        if self.cue_ms > min(self.soas):
            raise UsageError(f"cue_ms ({self.cue_ms}) is longer than the shortest SOA "
                             f"({min(self.soas)} ms): the dot would come during the cue")


PARAMS = PosnerParams

# Sizes declared in degrees -> the screen-unit parameter drawn without a
# calibrated monitor (experiments/monitor_geometry.py, docs/study.md).
DEGREE_SIZES = {"box_offset_deg": "box_offset", "box_size_deg": "box_size",
                "target_size_deg": "target_size", "arrow_length_deg": "arrow_length"}


@dataclass(frozen=True)
class PosnerTrial:
    """One trial's factors and its correct answer."""

    block: int
    phase: str  # practice | test
    cue_type: str
    cue: str  # left | right | neutral
    validity: str  # valid | invalid | neutral | catch
    target_side: str  # left | right | none
    soa_ms: int
    foreperiod_ms: int
    correct_key: str

    @property
    def catch(self) -> bool:
        return self.validity == "catch"

    def row(self) -> dict:
        """The trial's own data columns."""
        return {"block": self.block, "phase": self.phase, "cue_type": self.cue_type,
                "cue": self.cue, "validity": self.validity, "target_side": self.target_side,
                "soa_ms": self.soa_ms, "foreperiod_ms": self.foreperiod_ms,
                "correct_key": self.correct_key}


def counterbalance_index(participant: str, n: int) -> int:
    """The participant's counterbalancing group, 0..n-1: the digits in the
    label (``P07`` -> 7), else the label's CRC-32, modulo ``n``.

    >>> counterbalance_index("P07", 2), counterbalance_index("P10", 2)
    (1, 0)
    """
    digits = "".join(ch for ch in participant if ch.isdigit())
    number = int(digits) if digits else zlib.crc32(participant.encode())
    return number % n


def counterbalance_groups(params: PosnerParams) -> int:
    """2 (which cue type comes first) with ``cue_order='auto'`` and both cue
    types, else 1."""
    return 2 if params.cue_order == "auto" and len(params.cue_types) == 2 else 1


def label_group(params: PosnerParams, participant: str) -> int:
    """The group the label rule gives (:func:`counterbalance_index`)."""
    return counterbalance_index(participant, counterbalance_groups(params))


def first_cue_type(params: PosnerParams, participant: str, group: int | None = None) -> str:
    """The cue type of the first test block: ``cue_order``, or with 'auto'
    the participant's group (even label number: endogenous first, odd:
    exogenous first; an allocated ``group`` 0 or 1 instead of the label's
    number) when both types are used."""
    if len(params.cue_types) == 1:
        return params.cue_types[0]
    if params.cue_order != "auto":
        return params.cue_order
    return CUE_TYPES[counterbalance_index(participant, 2) if group is None else group]


def block_cue_types(params: PosnerParams, participant: str,
                    group: int | None = None) -> list[str]:
    """The cue type of each test block: A B B A A B B A ... with A the first
    cue type (:func:`first_cue_type`)."""
    first = first_cue_type(params, participant, group)
    order = [first, *[c for c in params.cue_types if c != first]]
    if len(order) == 1:
        return [first] * params.blocks
    return [order[ABBA[i % 4]] for i in range(params.blocks)]


def unit_cells(params: PosnerParams) -> list[tuple]:
    """One balanced unit of target trials: ``(cue, validity, target_side,
    soa_ms)`` for every SOA and target side, each validity in its weight."""
    cells = []
    for soa in params.soas:
        for side in SIDES:
            other = SIDES[1 - SIDES.index(side)]
            cues = {"valid": side, "invalid": other, "neutral": "neutral"}
            for validity, weight in zip(VALIDITIES, params.validity_weights):
                cells += [(cues[validity], validity, side, soa)] * weight
    return cells


def catch_count(n_targets: int, params: PosnerParams) -> int:
    """Catch trials beside ``n_targets`` target trials so that they are
    ``catch_percent`` of the trials (rounded half up).

    >>> catch_count(48, PosnerParams())
    5
    """
    p = params.catch_percent / 100
    return int(n_targets * p / (1 - p) + 0.5)


def units_per_block(params: PosnerParams, n_trials: int) -> int:
    """The fewest balanced units per block giving at least ``n_trials`` test trials."""
    unit = len(unit_cells(params))
    k = 1
    while params.blocks * (k * unit + catch_count(k * unit, params)) < n_trials:
        k += 1
    return k


def make_plan(params: PosnerParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The practice and test trials of one session (the ONE plan: presenter,
    autopilot and data-only simulation all call this).

    Each test block has one cue type and whole balanced units of target
    trials (:func:`unit_cells`); its catch trials take the cue and SOA of
    randomly drawn target cells (so the cue says nothing about whether a dot
    will come); the block is shuffled; each fixation gets its own jitter.
    """
    check_group(group, counterbalance_groups(params))
    rng = random.Random(seed)
    order = block_cue_types(params, participant, group)
    practice = []
    if params.practice_trials:
        types = list(dict.fromkeys(order))
        first = -(-params.practice_trials // len(types))
        counts = [first, params.practice_trials - first][:len(types)]
        for cue_type, n in zip(types, counts):
            n_catch = int(n * params.catch_percent / 100 + 0.5)
            practice += _block(params, rng, 1, "practice", cue_type, n - n_catch, n_catch)
    n_targets = units_per_block(params, params.trials) * len(unit_cells(params))
    test = []
    for block, cue_type in enumerate(order, start=1):
        test += _block(params, rng, block, "test", cue_type, n_targets,
                       catch_count(n_targets, params))
    return {"practice": practice, "test": test}


def _block(params, rng, block, phase, cue_type, n_targets, n_catch) -> list[PosnerTrial]:
    """One block of one cue type: whole units of target cells (a random
    sample of one unit for a remainder, e.g. in practice) and ``n_catch``
    catch trials, shuffled."""
    unit = unit_cells(params)
    full, rest = divmod(n_targets, len(unit))
    targets = unit * full + rng.sample(unit, rest)
    templates = targets or unit
    full_c, rest_c = divmod(n_catch, len(templates))
    catches = [(cue, "catch", "none", soa) for cue, _, _, soa in
               templates * full_c + rng.sample(templates, rest_c)]
    cells = targets + catches
    rng.shuffle(cells)
    trials = []
    for cue, validity, side, soa in cells:
        foreperiod = params.fixation_ms + rng.randint(0, params.fixation_jitter_ms)
        trials.append(PosnerTrial(block, phase, cue_type, cue, validity, side, int(soa),
                                  foreperiod, "" if validity == "catch" else params.key))
    return trials


def plan_facts(params: PosnerParams, participant: str, group: int | None = None) -> dict:
    """The sidecar's facts about the plan: the counterbalancing group and
    the cue type of each test block (``group``: as for :func:`make_plan`)."""
    check_group(group, counterbalance_groups(params))
    return {"counterbalance_group": counterbalance_index(participant, 2)
            if group is None else group,
            "block_cue_types": block_cue_types(params, participant, group),
            "cue_order_rule": ("auto: even label number (CRC-32 if no digits) starts "
                               "endogenous, odd exogenous; blocks A B B A"
                               if params.cue_order == "auto" and len(params.cue_types) == 2
                               else f"cue_order={params.cue_order}, cue_types="
                                    f"{','.join(params.cue_types)}")}


def score(trial: PosnerTrial, outcome) -> dict:
    """``correct`` (dot: pressed before the deadline; catch: no press) and
    ``false_alarm`` (catch trials only).

    >>> from attentionlab.core.outcome import Outcome
    >>> t = make_plan(PosnerParams(), "P1", 1)["test"][0]
    >>> score(t, Outcome(1.0, "space", 320.0))["correct"] == int(not t.catch)
    True
    """
    pressed = outcome.rt_ms is not None
    if trial.catch:
        return {"correct": int(not pressed), "false_alarm": int(pressed)}
    return {"correct": int(pressed), "false_alarm": None}
