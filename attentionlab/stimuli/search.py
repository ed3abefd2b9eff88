"""Visual search: parameters, data columns, the design and the trial list (pure).

Feature, conjunction and spatial-configuration search (Treisman & Gelade,
1980; Wolfe, 1998): is a target among the items, or not? Each block holds
one search type; within a block every set size appears equally often with
the target present and absent. The displays themselves (positions, kinds)
come from :mod:`attentionlab.stimuli.search_layout`.

The task contract's definition (core/contracts.py): :func:`make_plan`,
:func:`plan_facts`, :func:`score`.

>>> plan = make_plan(SearchParams(), "P01", seed=1)
>>> len(plan["test"]), sorted({t.search_type for t in plan["test"]})
(288, ['conjunction', 'feature', 'spatial'])
"""

import itertools
import random
import zlib
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param
from attentionlab.stimuli.search_layout import (SEARCH_TYPES, Grid, Item, encode_items,
                                                is_target, make_display)

TASK = "search"
BLOCK_ORDERS = ("counterbalanced", "random")

COLUMNS: tuple[Column, ...] = (
    Column("search_type", "str",
           "feature (red bar among green bars), conjunction (red vertical among red "
           "horizontal and green vertical bars) or spatial (a T among rotated Ls)"),
    Column("set_size", "int", "number of items in the display, target included"),
    Column("target_present", "bool01", "1 when the target is in the display, else 0"),
    Column("target_x", "float",
           "target centre, x in 'height' units (screen heights from the centre, right "
           "positive); empty when absent"),
    Column("target_y", "float",
           "target centre, y in 'height' units (up positive); empty when absent"),
    Column("target_kind", "str", "the target's kind code (RV, or T0/T90/T180/T270); "
           "empty when absent"),
    Column("items", "str",
           "every item as x:y:kind, separated by ';' (positions in 'height' units, "
           "3 decimals; kind codes in docs/tasks/search.md)"),
    Column("present_key", "str", "the key meaning 'target present' in this session"),
    Column("correct_key", "str", "the key for the right answer on this trial"),
    Column("answered_present", "bool01",
           "1 when the 'present' key was pressed, 0 for the 'absent' key; empty when none"),
)


@dataclass(frozen=True)
class SearchParams:
    """Every visual-search parameter, with its default. Durations in ms,
    sizes in 'height' units (fractions of the screen height)."""

    trials: int = param(288, "number of test trials (rounded up to a balanced design)",
                        min=1, max=5000)
    search_types: tuple[str, ...] = param(
        SEARCH_TYPES, "search types included, one per block (comma-separated)",
        choices=SEARCH_TYPES)
    set_sizes: tuple[int, ...] = param((4, 8, 16, 32), "numbers of items in a display",
                                       min=1, max=200)
    blocks_per_type: int = param(2, "test blocks of each search type", min=1, max=20)
    block_order: str = param(
        "counterbalanced", "order of the search types' blocks: 'counterbalanced' (by "
        "participant label, see docs/tasks/search.md), 'random', or the types in order, "
        "e.g. spatial,feature,conjunction")
    practice_trials: int = param(8, "practice trials (with feedback) per search type",
                                 min=0, max=200)
    keys: tuple[str, ...] = param(("f", "j"), "the two response keys, left then right")
    key_mapping: str = param(
        "auto", "which key means 'present': 'auto' counterbalances by participant label; "
        "'present_first' or 'present_second' fixes it to the first or second key",
        choices=("auto", "present_first", "present_second"))
    fixation_ms: int = param(500, "fixation cross before the display", unit="ms", min=0,
                             max=5000)
    deadline_ms: int = param(4000, "display stays until a response or this deadline",
                             unit="ms", min=100, max=20000)
    iti_ms: int = param(800, "blank inter-trial interval after the response", unit="ms",
                        min=0, max=10000)
    feedback_ms: int = param(1000, "duration of practice feedback", unit="ms", min=100,
                             max=5000)
    field_width: float = param(1.0, "width of the search field (fits 4:3 and 5:4 screens)",
                               unit="height", min=0.2, max=1.25)
    field_height: float = param(0.8, "height of the search field", unit="height", min=0.2,
                                max=0.95)
    grid_columns: int = param(8, "columns of the placement grid", min=1, max=40)
    grid_rows: int = param(6, "rows of the placement grid", min=1, max=40)
    item_size: float = param(0.06, "length of a bar, and of each stroke of a T or L",
                             unit="height", min=0.01, max=0.3)
    jitter: float = param(0.02, "largest displacement of an item from its cell centre, "
                          "in x and in y", unit="height", min=0, max=0.2)
    item_size_deg: float = param(
        1.8, "item_size in degrees of visual angle, drawn instead of item_size when the "
        "monitor is calibrated (--monitor or a study's [monitor])", unit="deg", min=0.1,
        max=20)

    def grid(self) -> Grid:
        return Grid(self.field_width, self.field_height, self.grid_columns, self.grid_rows,
                    self.item_size, self.jitter)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        if len(set(self.search_types)) != len(self.search_types):
            raise UsageError("search_types lists a search type twice")
        if len(set(self.set_sizes)) != len(self.set_sizes):
            raise UsageError("set_sizes lists a set size twice")
        if len(self.keys) != 2 or len(set(self.keys)) != 2:
            raise UsageError(f"keys must be two different keys, got {','.join(self.keys)}")
        if "space" in self.keys or "escape" in self.keys:
            raise UsageError("keys cannot include space (continues text screens) or escape "
                             "(ends the session)")
        grid = self.grid()
        if max(self.set_sizes) > grid.capacity:
            raise UsageError(
                f"set size {max(self.set_sizes)} does not fit the grid of "
                f"{self.grid_columns} x {self.grid_rows} = {grid.capacity} cells; "
                f"use more grid_columns/grid_rows or smaller set_sizes")
        if grid.clearance() <= 0:
            raise UsageError(
                f"items could overlap: item_size + 2 x jitter = "
                f"{self.item_size + 2 * self.jitter:g} must be less than a cell "
                f"({grid.cell_width:g} x {grid.cell_height:g}); make item_size or jitter "
                f"smaller, the field larger, or the grid coarser")
        if self.block_order not in BLOCK_ORDERS:
            order = [s.strip() for s in self.block_order.split(",")]
            if sorted(order) != sorted(self.search_types):
                raise UsageError(
                    f"block_order must be counterbalanced, random, or the search types "
                    f"{','.join(self.search_types)} in some order, got {self.block_order!r}")


@dataclass(frozen=True)
class Design:
    """One participant's counterbalancing: the key for each answer and the
    search type of each test block (practice follows the first pass)."""

    keys: dict  # {"present": key, "absent": key}
    block_types: tuple  # search type of test block 1, 2, ...


@dataclass(frozen=True)
class SearchTrial:
    """One trial: its factors, its display and the correct answer."""

    block: int
    phase: str  # practice | test
    search_type: str
    set_size: int
    target_present: bool
    items: tuple  # of Item
    correct_key: str
    present_key: str

    @property
    def target(self) -> Item | None:
        """The target item, or None on a target-absent trial."""
        return next((i for i in self.items if is_target(i, self.search_type)), None)

    def row(self) -> dict:
        """The trial's own data columns."""
        target = self.target
        return {"block": self.block, "phase": self.phase, "search_type": self.search_type,
                "set_size": self.set_size, "target_present": int(self.target_present),
                "target_x": target.x if target else None,
                "target_y": target.y if target else None,
                "target_kind": target.kind if target else "",
                "items": encode_items(self.items), "present_key": self.present_key,
                "correct_key": self.correct_key}


def participant_number(participant: str) -> int:
    """The number used for counterbalancing: the digits of the label
    (``P07`` -> 7), or the label's CRC-32 when it has no digits."""
    digits = "".join(ch for ch in participant if ch.isdigit())
    return int(digits) if digits else zlib.crc32(participant.encode())


def counterbalance_groups(params: SearchParams) -> int:
    """How many counterbalancing groups these settings have: 2 key mappings
    (``key_mapping='auto'``) times the orders of the search types
    (``block_order='counterbalanced'``), each factor 1 when fixed.

    >>> counterbalance_groups(SearchParams()), counterbalance_groups(SearchParams(block_order="random"))
    (12, 2)
    """
    return _key_groups(params) * _order_groups(params)


def _key_groups(params: SearchParams) -> int:
    return 2 if params.key_mapping not in ("present_first", "present_second") else 1


def _order_groups(params: SearchParams) -> int:
    if params.block_order != "counterbalanced":
        return 1
    return len(list(itertools.permutations(params.search_types)))


def label_group(params: SearchParams, participant: str) -> int:
    """The group the label rule gives: key mapping ``number % 2`` plus 2 x
    the order ``(number // 2) % orders`` (each 0 when that factor is fixed).

    >>> label_group(SearchParams(), "P3"), label_group(SearchParams(), "P14")
    (3, 2)
    """
    n = participant_number(participant)
    keys = n % 2 if _key_groups(params) == 2 else 0
    order = (n // 2) % _order_groups(params)
    return keys + _key_groups(params) * order


def _number(params: SearchParams, participant: str, group: int | None) -> int:
    """The number the rules below use: the label's, or for an allocated
    ``group`` a number with that group's key mapping and order."""
    if group is None:
        return participant_number(participant)
    check_group(group, counterbalance_groups(params))
    return group % _key_groups(params) + 2 * (group // _key_groups(params))


def answer_keys(params: SearchParams, participant: str, group: int | None = None) -> dict:
    """``{'present': key, 'absent': key}``.

    Rule for ``key_mapping='auto'``: an even participant number gives
    'present' to the first key (default ``f``), an odd number to the second
    (``j``).

    >>> answer_keys(SearchParams(), "P02"), answer_keys(SearchParams(), "P03")
    ({'present': 'f', 'absent': 'j'}, {'present': 'j', 'absent': 'f'})
    """
    first, second = params.keys
    if params.key_mapping == "present_first":
        present_first = True
    elif params.key_mapping == "present_second":
        present_first = False
    else:
        present_first = _number(params, participant, group) % 2 == 0
    return ({"present": first, "absent": second} if present_first
            else {"present": second, "absent": first})


def first_pass_order(params: SearchParams, participant: str, rng: random.Random,
                     group: int | None = None) -> list:
    """The order of the search types in the first pass of blocks.

    ``counterbalanced``: the participant number divided by 2 (rounded down;
    the remainder already chose the keys) modulo the number of orders picks
    one of the orders of ``search_types`` (in ``itertools.permutations``
    order), so keys and block order are crossed: 12 consecutive numbers see
    every combination of 2 key mappings x 6 orders of three types.
    """
    types = list(params.search_types)
    if params.block_order == "random":
        rng.shuffle(types)
        return types
    if params.block_order == "counterbalanced":
        orders = list(itertools.permutations(types))
        return list(orders[(_number(params, participant, group) // 2) % len(orders)])
    return [s.strip() for s in params.block_order.split(",")]


def design(params: SearchParams, participant: str, rng: random.Random,
           group: int | None = None) -> Design:
    """Keys and block order for this participant (``rng`` only for 'random'),
    or for an allocated ``group`` (:func:`counterbalance_groups`; None: the
    label rule).

    Passes after the first alternate reversed and forward (ABC CBA ABC ...),
    so each type's average position in the session is the same; with
    ``block_order=random`` each further pass is shuffled anew (never starting
    with the type that just ended).
    """
    previous = first_pass_order(params, participant, rng, group)
    types = list(previous)
    for _ in range(1, params.blocks_per_type):
        if params.block_order == "random":
            nxt = previous[:]
            rng.shuffle(nxt)
            if len(nxt) > 1 and nxt[0] == previous[-1]:
                nxt.append(nxt.pop(0))
        else:
            nxt = previous[::-1]
        types.extend(nxt)
        previous = nxt
    return Design(answer_keys(params, participant, group), tuple(types))


def balanced_trial_count(params: SearchParams, n_trials: int) -> int:
    """Round ``n_trials`` up so that each block holds every set size equally
    often with the target present and absent."""
    unit = len(params.search_types) * params.blocks_per_type * len(params.set_sizes) * 2
    return -(-n_trials // unit) * unit


def make_trials(params: SearchParams, rng: random.Random, n_trials: int | None = None,
                phase: str = "test", design: Design | None = None) -> list[SearchTrial]:
    """The trial list of a phase, block by block, shuffled within blocks.

    Test: ``params.trials`` (rounded up by :func:`balanced_trial_count`) split
    over the blocks of ``design.block_types``. Practice: one block of
    ``practice_trials`` per search type, in the first-pass order, balanced
    over set size x presence as far as the number allows.
    """
    design = design or Design({"present": params.keys[0], "absent": params.keys[1]},
                              tuple(params.search_types) * params.blocks_per_type)
    cells = [(size, present) for size in params.set_sizes for present in (True, False)]
    if phase == "practice":
        if params.practice_trials == 0:
            return []
        block_types = design.block_types[:len(params.search_types)]
        per_block = params.practice_trials
    else:
        total = balanced_trial_count(params, n_trials or params.trials)
        block_types = design.block_types
        per_block = total // len(block_types)
    grid = params.grid()
    trials = []
    for block, search_type in enumerate(block_types, start=1):
        full, rest = divmod(per_block, len(cells))
        chosen = cells * full + rng.sample(cells, rest)
        rng.shuffle(chosen)
        for size, present in chosen:
            items = make_display(search_type, size, present, rng, grid)
            key = design.keys["present" if present else "absent"]
            trials.append(SearchTrial(block, phase, search_type, size, present, items, key,
                                      design.keys["present"]))
    return trials


def make_plan(params: SearchParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The session's trials from one ``random.Random(seed)``: the
    participant's :func:`design` (keys, block order), then practice, then
    test (the real session, its autopilot and data-only simulation all call
    this).

    >>> plan = make_plan(SearchParams(trials=24, blocks_per_type=1), "P3", 2)
    >>> len(plan["practice"]), len(plan["test"]), plan["test"][0].present_key
    (24, 24, 'j')
    """
    check_group(group, counterbalance_groups(params))
    rng = random.Random(seed)
    plan = design(params, participant, rng, group)
    return {"practice": make_trials(params, rng, phase="practice", design=plan),
            "test": make_trials(params, rng, phase="test", design=plan)}


def plan_facts(params: SearchParams, participant: str, seed: int | None = None,
               group: int | None = None) -> dict:
    """The sidecar's ``counterbalance``: participant number, keys, the test
    blocks' search types and the rule. With ``block_order=random`` the order
    depends on the session's seed, so ``seed`` must be given (the design is
    the first thing :func:`make_plan` draws, so it is the same order).

    >>> plan_facts(SearchParams(), "P3")["counterbalance"]["keys"]
    {'present': 'j', 'absent': 'f'}
    """
    if params.block_order == "random" and seed is None:
        raise ValueError("block_order=random: the block order depends on the seed; "
                         "pass seed=")
    check_group(group, counterbalance_groups(params))
    plan = design(params, participant, random.Random(seed), group)
    allocated = {} if group is None else {
        "group": group, "rule": "allocated group g: keys g mod 2, block order "
                                "g // 2 (when both are counterbalanced)"}
    return {"counterbalance": {
        "participant_number": participant_number(participant),
        "keys": plan.keys, "block_types": list(plan.block_types),
        "block_order": params.block_order,
        "rule": "keys: participant number mod 2; block order (counterbalanced): "
                "(number // 2) mod (number of orders) picks one order of the search "
                "types (see docs/tasks/search.md)", **allocated}}


def score(trial: SearchTrial, outcome) -> dict:
    """The response columns: ``correct`` (the key pressed is the trial's
    ``correct_key``) and ``answered_present`` (it is the 'present' key);
    0 and empty without a response.

    >>> from attentionlab.core.outcome import Outcome
    >>> t = make_plan(SearchParams(trials=24, blocks_per_type=1), "P3", 2)["test"][0]
    >>> score(t, Outcome(4.0, t.present_key, 810.0))["answered_present"]
    1
    >>> score(t, Outcome(4.0))
    {'correct': 0, 'answered_present': None}
    """
    if outcome.rt_ms is None:
        return {"correct": 0, "answered_present": None}
    return {"correct": int(outcome.response == trial.correct_key),
            "answered_present": int(outcome.response == trial.present_key)}


# The contract's name for this task's parameters (core/contracts.py).
PARAMS = SearchParams

# Sizes declared in degrees -> the screen-unit parameter drawn without a
# calibrated monitor (experiments/monitor_geometry.py, docs/study.md).
DEGREE_SIZES = {"item_size_deg": "item_size"}
