"""Flicker pairs made from the photographs that ship inside scikit-image.

The photographs are read from the installed ``skimage.data`` package (they
are inside the wheel: no download, works offline) and changed here, in
memory, at session start (well under a second for all of them). Nothing is
cached on disk; ``python -m attentionlab.stimuli.flicker --export DIR``
writes them out for viewing.

Each photograph has two prepared changes, one of central and one of
marginal interest. A participant sees each photograph once, with one of its
changes (rotated across participants, see :func:`photo_pairs`).

How interest was decided (by the developer, by hand; no naming study was
run): **central** = a change to the main subject of the photograph, the
thing a viewer would name first when describing it (the astronaut's mission
patch on her chest, the coffee, the cat's eyes, the rocket's nose), in the middle
third of the image; **marginal** = a change to a background detail that a
description of the scene would leave out (stars of the flag, the dark
corner of the table, the blurred background beside the cat, the top of a
lightning mast beside the rocket), away from the centre. This follows the spirit of
Rensink, O'Regan & Clark (1997), who called interest central when the
changed object was mentioned in most observers' brief descriptions of the
scene; our assignment is an informed guess, not such a measurement.

>>> pairs = photo_pairs(group=0)
>>> sorted(p.name for p in pairs)[:2]
['astronaut_patch', 'chelsea_eyes']
"""

import functools
from dataclasses import dataclass

import numpy as np

from attentionlab.stimuli.flicker_pairs import ImagePair, mask_box, recolour, remove

# Licence of each photograph, from scikit-image's own documentation of skimage.data.
LICENCES = {
    "astronaut": "public domain (NASA; 'No known copyright restrictions')",
    "coffee": "CC0 (photographer Rachel Michetti; courtesy of Pikolo Espresso Bar)",
    "chelsea": "CC0 (photographer Stefan van der Walt)",
    "rocket": "public domain (SpaceX launch photo of DSCOVR on Falcon 9)",
}


@dataclass(frozen=True)
class PhotoChange:
    """A prepared change: which photograph, what kind, its interest and why."""

    photo: str
    name: str
    kind: str
    interest: str
    why: str


CHANGES = (
    PhotoChange("astronaut", "astronaut_patch", "colour", "central",
                "the round mission patch on the astronaut's chest (the main subject)"),
    PhotoChange("astronaut", "astronaut_stars", "removed", "marginal",
                "white stars of the flag in the top-left corner (background)"),
    PhotoChange("coffee", "coffee_crema", "colour", "central",
                "the coffee in the cup (the main subject, image centre)"),
    PhotoChange("coffee", "coffee_corner", "colour", "marginal",
                "the dark strip of table in the top-left corner (background)"),
    PhotoChange("chelsea", "chelsea_eyes", "colour", "central",
                "the cat's eyes (the main subject's most looked-at feature)"),
    PhotoChange("chelsea", "chelsea_background", "colour", "marginal",
                "the blurred pale background right of the cat's cheek (background)"),
    PhotoChange("rocket", "rocket_nose", "colour", "central",
                "the rocket's white nose cone (the main subject, image centre)"),
    PhotoChange("rocket", "rocket_mast", "removed", "marginal",
                "the top of the lightning mast right of the rocket (background structure)"),
)
PHOTOS = tuple(dict.fromkeys(c.photo for c in CHANGES))


def _load(photo: str) -> np.ndarray:
    import skimage.data

    return np.ascontiguousarray(getattr(skimage.data, photo)()[..., :3])


def _hsv(image):
    from skimage.color import rgb2hsv

    return rgb2hsv(image)


def _disk(shape, cx, cy, r):
    yy, xx = np.mgrid[:shape[0], :shape[1]]
    return (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r


def _box(shape, x0, y0, x1, y1):
    m = np.zeros(shape[:2], bool)
    m[y0:y1, x0:x1] = True
    return m


def _grow(mask, pixels):
    from scipy.ndimage import binary_dilation

    return binary_dilation(mask, iterations=pixels)


def _edit(change: PhotoChange, image: np.ndarray):
    """Apply one prepared change; return (changed image, region boxes)."""
    shape = image.shape[:2]
    hsv = _hsv(image)
    name = change.name
    if name == "astronaut_patch":
        mask = _disk(shape, 172, 386, 37) & (hsv[..., 1] > 0.25)
        return recolour(image, mask, hue_shift=0.45), (mask_box(_disk(shape, 172, 386, 37)),)
    if name == "astronaut_stars":
        # The two whole stars on the flag's blue field (not the cut ones at the edge).
        mask = _disk(shape, 37, 15, 13) | _disk(shape, 38, 63, 13)
        return remove(image, mask), (mask_box(mask),)
    if name == "coffee_crema":
        yy, xx = np.mgrid[:shape[0], :shape[1]]
        mask = ((xx - 287) / 78.0) ** 2 + ((yy - 147) / 44.0) ** 2 <= 1.0
        return recolour(image, mask, hue_shift=0.5, feather_px=5), (mask_box(mask),)
    if name == "coffee_corner":
        mask = _box(shape, 0, 0, 160, 90) & (hsv[..., 2] < 0.2)
        return (recolour(image, mask, tint=(40, 70, 160), tint_weight=0.7, feather_px=6),
                (mask_box(mask),))
    if name == "chelsea_eyes":
        iris = _disk(shape, 170, 112, 34) | _disk(shape, 318, 135, 30)
        # Green-yellow iris pixels only (the fur around them is orange-brown).
        mask = iris & (hsv[..., 1] > 0.3) & (hsv[..., 2] > 0.3)
        mask &= (hsv[..., 0] > 0.095) & (hsv[..., 0] < 0.35)
        boxes = (mask_box(_disk(shape, 170, 112, 34)), mask_box(_disk(shape, 318, 135, 30)))
        return recolour(image, mask, hue_shift=0.42, feather_px=2), boxes
    if name == "chelsea_background":
        mask = _box(shape, 372, 150, 451, 300) & (hsv[..., 2] > 0.55) & (hsv[..., 1] < 0.3)
        return (recolour(image, mask, tint=(90, 130, 220), tint_weight=0.5, feather_px=12),
                (mask_box(mask),))
    if name == "rocket_nose":
        # The grey-white cone (the sky around it is saturated blue).
        mask = _box(shape, 309, 125, 336, 178) & (hsv[..., 2] > 0.18) & (hsv[..., 1] < 0.4)
        return (recolour(image, mask, tint=(235, 120, 40), tint_weight=0.6, feather_px=1.5),
                (mask_box(mask),))
    if name == "rocket_mast":
        mask = _box(shape, 440, 119, 454, 192)
        return remove(image, mask), (mask_box(mask),)
    raise KeyError(name)


@functools.lru_cache(maxsize=None)
def make_photo_pair(change: PhotoChange) -> ImagePair:
    """The image pair of one prepared change (made once per process; the
    arrays are read-only because they are shared)."""
    image = _load(change.photo)
    changed, region = _edit(change, image)
    image.flags.writeable = changed.flags.writeable = False
    return ImagePair(change.name, "photo", change.kind, change.interest, tuple(region),
                     image, changed, interest_rule=change.why,
                     licence=f"skimage.data.{change.photo}: {LICENCES[change.photo]}")


def photo_pairs(group: int = 0, photos=PHOTOS) -> list[ImagePair]:
    """One pair per photograph: the photograph's ``(group + i) % n``-th change,
    ``i`` its position in :data:`PHOTOS`, so consecutive participant groups
    see each photograph's central and marginal change in turn and within a
    participant half the photographs change centrally."""
    pairs = []
    for i, photo in enumerate(photos):
        options = [c for c in CHANGES if c.photo == photo]
        pairs.append(make_photo_pair(options[(group + i) % len(options)]))
    return pairs


def all_photo_pairs() -> list[ImagePair]:
    """Every prepared change (for tests and ``--export``)."""
    return [make_photo_pair(c) for c in CHANGES]
