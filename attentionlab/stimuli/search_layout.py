"""Visual-search displays as data: which item goes where (pure, no window).

A display is a tuple of :class:`Item` (centre ``x``, ``y`` in 'height' units,
origin at the screen centre, y up; and a ``kind`` code). Items sit on a
jittered grid: the search field is cut into ``columns`` x ``rows`` cells,
each item takes a different cell chosen at random and is displaced from the
cell centre by up to ``jitter`` in x and in y. Every item fits in a square of
side ``item_size`` (bars and letters are rotated by multiples of 90 degrees
only), so when ``item_size + 2 * jitter`` is less than a cell's width and
height no two items can touch and every item stays inside the field.

Kind codes (also written to the data file, see docs/tasks/search.md):

========  ===============================================
``RV``    red vertical bar
``GV``    green vertical bar
``RH``    red horizontal bar
``T0``    T (bar on top, stem down), rotated 0/90/180/270
``L0``    L (stem up on the left, foot to the right), rotated likewise
========  ===============================================

Rotations are clockwise, in degrees (as PsychoPy's ``ori``): ``T90``, ``L270``.

>>> import random
>>> g = Grid(width=1.0, height=0.8, columns=8, rows=6, item_size=0.06, jitter=0.02)
>>> items = make_display("conjunction", 8, True, random.Random(3), g)
>>> len(items), sum(i.kind == "RV" for i in items)
(8, 1)
"""

import random
from dataclasses import dataclass

SEARCH_TYPES = ("feature", "conjunction", "spatial")
ROTATIONS = (0, 90, 180, 270)
POSITION_DECIMALS = 3  # positions are rounded once, so the drawn and the recorded agree


@dataclass(frozen=True)
class Item:
    """One item of a search display: centre in 'height' units and its kind code."""

    x: float
    y: float
    kind: str

    @property
    def shape(self) -> str:
        """``bar``, ``T`` or ``L``."""
        return self.kind[0] if self.kind[0] in "TL" else "bar"

    @property
    def rotation(self) -> int:
        """Clockwise rotation in degrees (bars: 0 vertical, 90 horizontal)."""
        if self.shape == "bar":
            return 90 if self.kind[1] == "H" else 0
        return int(self.kind[1:])

    @property
    def colour(self) -> str:
        """``red``, ``green`` or ``white`` (the T and L items)."""
        return {"R": "red", "G": "green"}.get(self.kind[0], "white")

    def code(self) -> str:
        """The item as written in the ``items`` column: ``x:y:kind``."""
        return f"{self.x:.{POSITION_DECIMALS}f}:{self.y:.{POSITION_DECIMALS}f}:{self.kind}"


@dataclass(frozen=True)
class Grid:
    """The search field and its cells, in 'height' units (centred on the screen)."""

    width: float
    height: float
    columns: int
    rows: int
    item_size: float
    jitter: float

    @property
    def cell_width(self) -> float:
        return self.width / self.columns

    @property
    def cell_height(self) -> float:
        return self.height / self.rows

    @property
    def capacity(self) -> int:
        return self.columns * self.rows

    def clearance(self) -> float:
        """The smallest possible gap between two items' squares (negative:
        items could overlap)."""
        return min(self.cell_width, self.cell_height) - self.item_size - 2 * self.jitter

    def cell_centre(self, index: int) -> tuple[float, float]:
        """Centre of cell ``index`` (row-major, from the top-left cell)."""
        row, col = divmod(index, self.columns)
        x = -self.width / 2 + (col + 0.5) * self.cell_width
        y = self.height / 2 - (row + 0.5) * self.cell_height
        return x, y


def target_kind(search_type: str, rng: random.Random) -> str:
    """The target's kind code: a red vertical bar, or a T in a random rotation."""
    if search_type == "spatial":
        return f"T{rng.choice(ROTATIONS)}"
    return "RV"


def distractor_kinds(search_type: str, n: int, rng: random.Random) -> list[str]:
    """``n`` distractor kind codes.

    Feature: green vertical bars (the target differs by colour alone).
    Conjunction: red horizontal and green vertical bars, half each (an odd
    count gives the extra item to either kind at random), so the target
    shares its colour with one half and its orientation with the other.
    Spatial: Ls in random rotations (same two bars as the T, arranged
    differently).
    """
    if search_type == "feature":
        return ["GV"] * n
    if search_type == "conjunction":
        half, odd = divmod(n, 2)
        kinds = ["RH"] * half + ["GV"] * half
        if odd:
            kinds.append(rng.choice(("RH", "GV")))
        return kinds
    if search_type == "spatial":
        return [f"L{rng.choice(ROTATIONS)}" for _ in range(n)]
    raise ValueError(f"unknown search type {search_type!r}; allowed: {', '.join(SEARCH_TYPES)}")


def make_display(search_type: str, set_size: int, target_present: bool,
                 rng: random.Random, grid: Grid) -> tuple[Item, ...]:
    """The items of one display, listed in grid order (top-left first).

    ``set_size`` items in all; with the target present one of them is the
    target (so there are ``set_size - 1`` distractors).
    """
    if not 1 <= set_size <= grid.capacity:
        raise ValueError(f"set size {set_size} does not fit the grid of {grid.capacity} cells")
    kinds = distractor_kinds(search_type, set_size - int(target_present), rng)
    if target_present:
        kinds.append(target_kind(search_type, rng))
    rng.shuffle(kinds)
    cells = sorted(rng.sample(range(grid.capacity), set_size))
    items = []
    for cell, kind in zip(cells, kinds):
        cx, cy = grid.cell_centre(cell)
        x = cx + rng.uniform(-grid.jitter, grid.jitter)
        y = cy + rng.uniform(-grid.jitter, grid.jitter)
        items.append(Item(round(x, POSITION_DECIMALS), round(y, POSITION_DECIMALS), kind))
    return tuple(items)


def is_target(item: Item, search_type: str) -> bool:
    """Whether ``item`` is the target of a ``search_type`` display."""
    return item.kind.startswith("T") if search_type == "spatial" else item.kind == "RV"


def encode_items(items) -> str:
    """The ``items`` column: ``x:y:kind`` per item, separated by ``;``.

    >>> encode_items([Item(0.1, -0.25, "GV"), Item(-0.3, 0.2, "RV")])
    '0.100:-0.250:GV;-0.300:0.200:RV'
    """
    return ";".join(item.code() for item in items)


def decode_items(text: str) -> tuple[Item, ...]:
    """Items back from the ``items`` column (for analysis and checks).

    >>> decode_items("0.100:-0.250:GV")
    (Item(x=0.1, y=-0.25, kind='GV'),)
    """
    if not text:
        return ()
    out = []
    for part in text.split(";"):
        x, y, kind = part.split(":")
        out.append(Item(float(x), float(y), kind))
    return tuple(out)
