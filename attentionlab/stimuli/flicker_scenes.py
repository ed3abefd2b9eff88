"""Procedurally generated flicker scenes: coloured objects on a room-like
background, made in memory from a seed (the same seed gives the same pixels).

Each scene has one large object near the centre and 8-11 small objects
spread out, none overlapping (so removing or moving one reveals plain
background and changes nothing else). Interest is decided by a stated rule:

* **central**: the change is made to the large object nearest the centre
  (about 3x the size of the others; the object a viewer names first);
* **marginal**: the change is made to the small object farthest from the
  centre of the image.

Scene ``i`` gets kind ``KINDS[i % 3]`` and interest
``INTERESTS[(i // 3) % 2]``, so any 6 consecutive scenes hold every kind x
interest combination once.

>>> pair = make_scene(0)
>>> pair.kind, pair.interest, pair.size
('removed', 'central', (640, 480))
"""

import functools

import numpy as np

from attentionlab.stimuli.flicker_pairs import INTERESTS, KINDS, ImagePair

WIDTH, HEIGHT = 640, 480
# Distinct, well-saturated colours (RGB); a colour change picks one far away in the list.
PALETTE = ((220, 50, 47), (38, 139, 210), (133, 153, 0), (181, 137, 0), (211, 54, 130),
           (42, 161, 152), (108, 113, 196), (203, 75, 22), (240, 240, 235), (40, 40, 40))
SHAPES = ("disk", "square", "triangle", "diamond", "cross")
CENTRAL_RULE = "the large object nearest the centre (rule for generated scenes)"
MARGINAL_RULE = "the small object farthest from the centre (rule for generated scenes)"


def _background(rng):
    """A wall (upper part) and a floor (lower part) with faint texture."""
    yy = np.linspace(0.0, 1.0, HEIGHT)[:, None]
    horizon = int(HEIGHT * rng.uniform(0.45, 0.6))
    wall = np.array([150, 160, 175]) * (0.85 + 0.15 * yy)
    floor = np.array([120, 100, 80]) * (0.8 + 0.2 * yy)
    img = np.where((np.arange(HEIGHT) < horizon)[:, None, None], wall[:, None, :],
                   floor[:, None, :]) * np.ones((1, WIDTH, 1))
    img = img + rng.normal(0.0, 4.0, (HEIGHT, WIDTH, 1))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def shape_mask(shape: str, cx: float, cy: float, size: float) -> np.ndarray:
    """Boolean mask (HEIGHT x WIDTH) of a shape of ``size`` pixels across, centred at (cx, cy)."""
    r = size / 2.0
    # Work in the shape's bounding window only (a full-frame grid per shape is slow).
    x0, x1 = max(0, int(cx - r) - 1), min(WIDTH, int(cx + r) + 2)
    y0, y1 = max(0, int(cy - r) - 1), min(HEIGHT, int(cy + r) + 2)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    dx, dy = xx - cx, yy - cy
    if shape == "disk":
        local = dx * dx + dy * dy <= r * r
    elif shape == "square":
        local = (np.abs(dx) <= r * 0.9) & (np.abs(dy) <= r * 0.9)
    elif shape == "diamond":
        local = np.abs(dx) + np.abs(dy) <= r
    elif shape == "cross":
        local = ((np.abs(dx) <= r) & (np.abs(dy) <= r * 0.33)) | (
            (np.abs(dy) <= r) & (np.abs(dx) <= r * 0.33))
    elif shape == "triangle":  # pointing up, base at the bottom
        local = (dy <= r) & (dy >= -r) & (np.abs(dx) <= (dy + r) / 2.0)
    else:
        raise ValueError(f"unknown shape {shape!r}")
    mask = np.zeros((HEIGHT, WIDTH), bool)
    mask[y0:y1, x0:x1] = local
    return mask


def _draw(img, obj):
    shape, cx, cy, size, colour = obj
    mask = shape_mask(shape, cx, cy, size)
    from scipy.ndimage import binary_erosion

    img[mask] = (30, 30, 30)  # a dark outline, so each object reads as a thing
    img[binary_erosion(mask, iterations=2)] = colour


def _box(obj, pad=3):
    _, cx, cy, size, _ = obj
    r = size / 2.0 + pad
    return (max(0, int(np.floor(cx - r))), max(0, int(np.floor(cy - r))),
            min(WIDTH, int(np.ceil(cx + r)) + 1), min(HEIGHT, int(np.ceil(cy + r)) + 1))


def _free(objs, cx, cy, size, gap=14):
    return all(np.hypot(cx - o[1], cy - o[2]) > (size + o[3]) / 2.0 + gap for o in objs)


def _place_small(rng, objs, n, avoid=(), max_dist=None):
    """Add small objects at free places (clear of ``avoid`` too, and closer to
    the centre than ``max_dist``) until there are ``n``."""
    tries = 0
    while len(objs) < n and tries < 5000:
        tries += 1
        size = rng.uniform(34, 52)
        cx = rng.uniform(size, WIDTH - size)
        cy = rng.uniform(size, HEIGHT - size)
        if max_dist is not None and np.hypot(cx - WIDTH / 2, cy - HEIGHT / 2) >= max_dist - 10:
            continue
        if _free(objs, cx, cy, size) and _free(avoid, cx, cy, size):
            objs.append((str(rng.choice(SHAPES)), cx, cy, size,
                         PALETTE[int(rng.integers(len(PALETTE)))]))
    return objs


@functools.lru_cache(maxsize=256)
def make_scene(index: int, seed: int = 1, kind: str | None = None,
               interest: str | None = None, name: str | None = None) -> ImagePair:
    """Generated scene number ``index`` (0-based) with its change (made once
    per process and shared, so the arrays are read-only).

    ``kind``/``interest`` default to the balanced rotation described above.
    The changed object (and, for a move, its destination) is placed first,
    then the other objects around it.
    """
    kind = kind or KINDS[index % len(KINDS)]
    interest = interest or INTERESTS[(index // len(KINDS)) % len(INTERESTS)]
    rng = np.random.default_rng([seed, index, 0x5CE])
    background = _background(rng)
    big = rng.uniform(120, 150)
    central = (str(rng.choice(SHAPES)), WIDTH / 2 + rng.uniform(-50, 50),
               HEIGHT / 2 + rng.uniform(-40, 40), big, PALETTE[int(rng.integers(8))])
    objs, max_dist = [central], None
    if interest == "central":
        obj = central
    else:
        obj = _edge_object(rng, objs)
        objs.append(obj)
        max_dist = np.hypot(obj[1] - WIDTH / 2, obj[2] - HEIGHT / 2)
    if kind == "removed":
        new = None
    elif kind == "colour":
        i = PALETTE.index(obj[4])
        new = obj[:4] + (PALETTE[(i + len(PALETTE) // 2) % len(PALETTE)],)
    else:
        new = _moved(rng, obj, [o for o in objs if o is not obj], interest)
    objs = _place_small(rng, objs, int(rng.integers(9, 13)),
                        avoid=[new] if kind == "moved" else [], max_dist=max_dist)
    others = [o for o in objs if o is not obj]
    img_a, img_b = background.copy(), background.copy()
    for o in others:
        _draw(img_a, o)
        _draw(img_b, o)
    _draw(img_a, obj)
    if new is not None:
        _draw(img_b, new)
    region = (_box(obj),) if kind != "moved" else (_box(obj), _box(new))
    img_a.flags.writeable = img_b.flags.writeable = False
    return ImagePair(name or f"scene{index + 1:02d}", "generated", kind, interest, region,
                     img_a, img_b,
                     interest_rule=CENTRAL_RULE if interest == "central" else MARGINAL_RULE,
                     licence="generated by attentionlab (no third-party content)")


def _edge_object(rng, objs):
    """A small object near the edge of the image (at least 230 px from the centre)."""
    while True:
        size = rng.uniform(34, 52)
        cx = rng.uniform(size, WIDTH - size)
        cy = rng.uniform(size, HEIGHT - size)
        if np.hypot(cx - WIDTH / 2, cy - HEIGHT / 2) >= 230 and _free(objs, cx, cy, size):
            return (str(rng.choice(SHAPES)), cx, cy, size,
                    PALETTE[int(rng.integers(len(PALETTE)))])


def _moved(rng, obj, others, interest):
    """Where the object goes: a free place 0.5-0.8 sizes away for the large
    central object, 1.2-2.5 sizes away and still near the edge for a marginal one."""
    shape, cx, cy, size, colour = obj
    low, high = (0.5, 0.8) if interest == "central" else (1.2, 2.5)
    for _ in range(5000):
        angle = rng.uniform(0, 2 * np.pi)
        dist = size * rng.uniform(low, high)
        nx, ny = cx + dist * np.cos(angle), cy + dist * np.sin(angle)
        if not (size / 2 + 4 < nx < WIDTH - size / 2 - 4 and size / 2 + 4 < ny < HEIGHT - size / 2 - 4):
            continue
        if interest == "marginal" and np.hypot(nx - WIDTH / 2, ny - HEIGHT / 2) < 230:
            continue
        if _free(others, nx, ny, size):
            return (shape, nx, ny, size, colour)
    raise RuntimeError("no free place to move the object to")


def generated_pairs(n: int, seed: int = 1, start: int = 0, prefix: str = "scene") -> list:
    """``n`` generated scenes, numbered from ``start``."""
    return [make_scene(i, seed, name=f"{prefix}{i + 1:02d}") for i in range(start, start + n)]
