"""Image pairs for the flicker task: the pair record, the three kinds of
change, and users' own pairs from a folder (pure: numpy and scikit-image).

A pair is image A, the changed image A' and where the change is: one or two
boxes in A's pixels (``(x0, y0, x1, y1)``, origin top-left, x1/y1
exclusive). A moved object has two boxes: where it was and where it went.
Every edit writes only the pixels of its mask, so outside the change
region A and A' are identical (tests check this for every built-in pair).

>>> import numpy as np
>>> img = np.zeros((40, 60, 3), np.uint8); img[10:20, 10:20] = 200
>>> mask = np.zeros((40, 60), bool); mask[8:22, 8:22] = True
>>> out = remove(img, mask)
>>> bool((out[~mask] == img[~mask]).all()), int(out[15, 15, 0]) < 50
(True, True)
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attentionlab.core.errors import UsageError

KINDS = ("removed", "colour", "moved")
INTERESTS = ("central", "marginal")
SOURCES = ("photo", "generated", "user")
CHANGES_FILE = "changes.csv"
CHANGES_HEADER = ("name", "region", "kind", "interest")


@dataclass(frozen=True)
class ImagePair:
    """One flicker stimulus: A, the changed A', the change region and its factors.

    ``region`` holds one or two boxes ``(x0, y0, x1, y1)`` in pixels of A;
    ``interest_rule`` says, in words, why the change counts as central or
    marginal (shown in docs and the sidecar).
    """

    name: str
    source: str  # photo | generated | user
    kind: str  # removed | colour | moved
    interest: str  # central | marginal
    region: tuple
    image_a: np.ndarray  # (height, width, 3) uint8
    image_b: np.ndarray
    interest_rule: str = ""
    licence: str = ""

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.image_a.shape[1]), int(self.image_a.shape[0])

    def region_text(self) -> str:
        """The region as written in changes.csv and the data: ``x0 y0 x1 y1;...``."""
        return ";".join(" ".join(str(int(v)) for v in box) for box in self.region)


# -- the three edits -----------------------------------------------------------
def remove(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Remove what is under ``mask`` by biharmonic inpainting from its
    surround (scikit-image); pixels outside the mask are left exactly as they were."""
    from skimage.restoration import inpaint_biharmonic

    filled = inpaint_biharmonic(image.astype(float) / 255.0, mask, channel_axis=-1)
    out = image.copy()
    out[mask] = np.clip(np.round(filled[mask] * 255.0), 0, 255).astype(np.uint8)
    return out


def recolour(image: np.ndarray, mask: np.ndarray, hue_shift: float = 0.5,
             tint: tuple | None = None, tint_weight: float = 0.6,
             feather_px: float = 0.0) -> np.ndarray:
    """Change the colour under ``mask``: rotate the hue by ``hue_shift`` (a
    fraction of the colour circle, 0.5 = opposite colour), or, for greyish
    areas where a hue means nothing, blend towards ``tint`` (RGB 0-255).

    ``feather_px`` fades the change in over that many pixels inside the
    mask's edge, so a recoloured area has no hard seam (the change still
    stays inside the mask).
    """
    from scipy.ndimage import distance_transform_edt
    from skimage.color import hsv2rgb, rgb2hsv

    if tint is not None:
        target = np.broadcast_to(np.asarray(tint, float), image.shape)
        weight = np.full(mask.shape, tint_weight)
    else:
        hsv = rgb2hsv(image)
        hsv[..., 0] = (hsv[..., 0] + hue_shift) % 1.0
        target = hsv2rgb(hsv) * 255.0
        weight = np.ones(mask.shape)
    if feather_px > 0:
        weight = weight * np.clip(distance_transform_edt(mask) / feather_px, 0.0, 1.0)
    weight = np.where(mask, weight, 0.0)[..., None]
    mixed = (1 - weight) * image.astype(float) + weight * target
    out = image.copy()
    out[mask] = np.clip(np.round(mixed[mask]), 0, 255).astype(np.uint8)
    return out


def move(image: np.ndarray, mask: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Move the object under ``mask`` by (``dx``, ``dy``) pixels: its old place
    is inpainted, its pixels are pasted at the new place."""
    h, w = mask.shape
    ys, xs = np.nonzero(mask)
    if (ys + dy).min() < 0 or (xs + dx).min() < 0 or (ys + dy).max() >= h or (xs + dx).max() >= w:
        raise ValueError("the moved object would leave the image")
    out = remove(image, mask)
    out[ys + dy, xs + dx] = image[ys, xs]
    return out


def mask_box(mask: np.ndarray) -> tuple[int, int, int, int]:
    """Bounding box ``(x0, y0, x1, y1)`` of a mask (x1, y1 exclusive)."""
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def changed_box(a: np.ndarray, b: np.ndarray):
    """Bounding box of the pixels that differ between two images (None if identical)."""
    diff = (a != b).any(axis=-1)
    return mask_box(diff) if diff.any() else None


def inside_region(region, x_px: float, y_px: float, tolerance_px: float = 0.0) -> bool:
    """True if image point (``x_px``, ``y_px``) is in a box of ``region``
    grown by ``tolerance_px`` on every side.

    >>> inside_region(((10, 10, 20, 20),), 22, 15, tolerance_px=3)
    True
    """
    return distance_to_region(region, x_px, y_px) <= tolerance_px


def distance_to_region(region, x_px: float, y_px: float) -> float:
    """Distance in pixels from a point to the nearest box of ``region`` (0 inside)."""
    best = float("inf")
    for x0, y0, x1, y1 in region:
        dx = max(x0 - x_px, 0.0, x_px - x1)
        dy = max(y0 - y_px, 0.0, y_px - y1)
        best = min(best, float(np.hypot(dx, dy)))
    return best


# -- users' own pairs ------------------------------------------------------------
def parse_region(text: str, where: str, size: tuple[int, int]) -> tuple:
    """``"x0 y0 x1 y1"`` boxes separated by ``;`` -> tuple of int boxes, checked
    against the image ``size`` (width, height). Raises UsageError saying where."""
    boxes = []
    for part in str(text).split(";"):
        if not part.strip():
            continue
        fields = part.replace(",", " ").split()
        try:
            box = tuple(int(round(float(v))) for v in fields)
        except ValueError:
            box = ()
        if len(box) != 4:
            raise UsageError(f"{where}: region {text!r} must be 'x0 y0 x1 y1' (pixels, "
                             f"origin top-left), several boxes separated by ';'")
        x0, y0, x1, y1 = box
        w, h = size
        if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
            raise UsageError(f"{where}: region box {part.strip()!r} is not inside the "
                             f"{w}x{h} image with x0 < x1 and y0 < y1")
        boxes.append(box)
    if not boxes:
        raise UsageError(f"{where}: the region is empty; give 'x0 y0 x1 y1' in pixels")
    return tuple(boxes)


def load_pair_folder(folder: str | Path) -> list[ImagePair]:
    """Users' pairs: ``NAME_a.png``, ``NAME_b.png`` and one row per pair in
    ``changes.csv`` (columns ``name,region,kind,interest``).

    Everything is checked before a session starts: missing files, images of
    different sizes, identical images, a region outside the image, unknown
    kinds or interests, and changed pixels outside the stated region (a
    region that misses the change would score correct clicks as wrong).
    """
    from PIL import Image

    folder = Path(folder)
    table = folder / CHANGES_FILE
    if not folder.is_dir():
        raise UsageError(f"pair_dir {str(folder)!r} is not a folder")
    if not table.is_file():
        raise UsageError(f"pair_dir {str(folder)!r} has no {CHANGES_FILE} (columns: "
                         f"{','.join(CHANGES_HEADER)}); see docs/tasks/flicker.md")
    with table.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CHANGES_HEADER if c not in (reader.fieldnames or [])]
        if missing:
            raise UsageError(f"{table}: missing column(s) {', '.join(missing)}; the header "
                             f"must be {','.join(CHANGES_HEADER)}")
        rows = list(reader)
    if not rows:
        raise UsageError(f"{table}: no pairs listed")
    pairs, seen = [], set()
    for line, row in enumerate(rows, start=2):
        where = f"{table}:{line}"
        name = (row["name"] or "").strip()
        if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
            raise UsageError(f"{where}: name {name!r} must be letters, digits, - or _")
        if name in seen:
            raise UsageError(f"{where}: pair {name!r} is listed twice")
        seen.add(name)
        kind, interest = (row["kind"] or "").strip(), (row["interest"] or "").strip()
        if kind not in KINDS:
            raise UsageError(f"{where}: kind {kind!r} is not allowed; allowed: {', '.join(KINDS)}")
        if interest not in INTERESTS:
            raise UsageError(f"{where}: interest {interest!r} is not allowed; allowed: "
                             f"{', '.join(INTERESTS)}")
        images = []
        for suffix in ("a", "b"):
            path = folder / f"{name}_{suffix}.png"
            if not path.is_file():
                raise UsageError(f"{where}: {path.name} is missing in {str(folder)!r}")
            try:
                with Image.open(path) as im:
                    images.append(np.asarray(im.convert("RGB")).copy())
            except OSError as exc:
                raise UsageError(f"{path}: not a readable PNG image ({exc})") from None
        a, b = images
        if a.shape != b.shape:
            raise UsageError(f"{where}: {name}_a.png is {a.shape[1]}x{a.shape[0]} but "
                             f"{name}_b.png is {b.shape[1]}x{b.shape[0]}; they must match")
        region = parse_region(row["region"], where, (a.shape[1], a.shape[0]))
        diff = (a != b).any(axis=-1)
        if not diff.any():
            raise UsageError(f"{where}: {name}_a.png and {name}_b.png are identical")
        ys, xs = np.nonzero(diff)
        inside = np.zeros_like(diff)
        for x0, y0, x1, y1 in region:
            inside[y0:y1, x0:x1] = True
        outside = int((diff & ~inside).sum())
        if outside:
            x0, y0, x1, y1 = mask_box(diff & ~inside)
            raise UsageError(f"{where}: {outside} changed pixels lie outside the region "
                             f"(e.g. within {x0} {y0} {x1} {y1}); enlarge the region")
        pairs.append(ImagePair(name, "user", kind, interest, region, a, b,
                               interest_rule="given by the user in changes.csv"))
    return pairs


def export_pairs(pairs: list[ImagePair], folder: str | Path) -> Path:
    """Write pairs as ``NAME_a.png``/``NAME_b.png`` plus ``changes.csv``: the
    folder format users give with ``pair_dir`` (so built-in pairs can be seen,
    and serve as a template). Refuses to overwrite an existing changes.csv."""
    from PIL import Image

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / CHANGES_FILE
    with table.open("x", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CHANGES_HEADER)
        for pair in pairs:
            Image.fromarray(pair.image_a).save(folder / f"{pair.name}_a.png")
            Image.fromarray(pair.image_b).save(folder / f"{pair.name}_b.png")
            writer.writerow([pair.name, pair.region_text(), pair.kind, pair.interest])
    return table
