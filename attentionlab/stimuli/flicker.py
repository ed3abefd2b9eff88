"""Flicker task (change blindness; Rensink, O'Regan & Clark, 1997): parameters,
data columns, which image pairs a participant sees, the trial plan, and the
scoring of a press and a click (``score``: did the click hit the change?) (pure).

An image A and its changed version A' alternate (A, blank, A', blank, ...)
until the participant presses a key or the timeout; then they click where
the change was. In the no-blank control the images alternate directly and
the change pops out.

>>> import random
>>> p = FlickerParams(trials=6, pair_set="generated", practice_trials=0)
>>> practice, test = select_pairs(p, group=0)
>>> trials = make_trials(p, random.Random(1), test, phase="test", group=0)
>>> len(trials), sorted({t.blank_condition for t in trials})
(6, ['blank', 'no_blank'])

Run ``python -m attentionlab.stimuli.flicker --export DIR`` to write every
built-in pair as PNG files with a changes.csv (the format of ``pair_dir``).
"""

import math
import random
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param
from attentionlab.stimuli.flicker_pairs import ImagePair, distance_to_region

TASK = "flicker"
BLANK_CONDITIONS = ("blank", "no_blank")
PAIR_SETS = ("mixed", "photos", "generated", "folder")
PRACTICE_SCENE_START = 100  # practice scenes are numbered apart from test scenes

COLUMNS: tuple[Column, ...] = (
    Column("pair", "str", "name of the image pair (e.g. coffee_crema, scene03)"),
    Column("pair_source", "str", "photo (scikit-image photograph), generated (scene) or user"),
    Column("change_kind", "str", "removed|colour|moved: what differs between A and A'"),
    Column("interest", "str", "central|marginal: interest of the changed object"),
    Column("blank_condition", "str",
           "blank (A, blank, A', blank, ...) or no_blank (A, A', ... the control)"),
    Column("change_region_px", "str",
           "the change region in image pixels: 'x0 y0 x1 y1', two boxes joined by ';' "
           "for a moved object (old place;new place)"),
    Column("image_width_px", "int", "width of the images in pixels"),
    Column("image_height_px", "int", "height of the images in pixels"),
    Column("detection_time_ms", "float",
           "ms from the first onset of A to the key press; on a timeout the time watched "
           "until the timeout (censored: see timed_out)"),
    Column("alternations", "int",
           "cycles (A, blank, A', blank; or A, A' without blank) begun up to the key "
           "press, as Rensink et al. (1997) counted them; all cycles begun on a timeout"),
    Column("timed_out", "bool01", "1 when no key was pressed before timeout_ms (censored)"),
    Column("click_x", "float", "click position, screen 'height' units (0 = centre, right +)"),
    Column("click_y", "float", "click position, screen 'height' units (0 = centre, up +)"),
    Column("click_image_x_px", "float", "click position in image pixels from the left edge"),
    Column("click_image_y_px", "float", "click position in image pixels from the top edge"),
    Column("click_distance_px", "float",
           "distance of the click from the change region, image pixels (0 inside)"),
    Column("click_rt_ms", "float", "ms from the click screen's onset to the click"),
    Column("localized", "bool01",
           "1 if the click fell in the change region (plus click_tolerance), 0 if not or "
           "no click; empty on a timeout"),
    Column("false_alarm", "bool01",
           "1 if the key was pressed but the click missed the change (a false report of "
           "the change); empty on a timeout"),
    Column("frames_per_image", "int", "planned frames for each showing of A or A'"),
    Column("frames_per_blank", "int", "planned frames for each blank (0 in no_blank)"),
    Column("image_phases", "int", "image phases (A or A') begun during the trial"),
    Column("blank_phases", "int", "blank phases begun during the trial"),
    Column("image_frames_min", "int",
           "fewest frames shown in a completed image phase (equals frames_per_image when exact)"),
    Column("image_frames_max", "int", "most frames shown in a completed image phase"),
    Column("blank_frames_min", "int", "fewest frames shown in a completed blank phase"),
    Column("blank_frames_max", "int", "most frames shown in a completed blank phase"),
    Column("image_phase_ms_max", "float",
           "longest completed image phase measured from flip times, ms"),
    Column("blank_phase_ms_max", "float",
           "longest completed blank phase measured from flip times, ms"),
    Column("phase_timing_deviations", "int",
           "completed phases whose flip-measured duration was off the plan by more than "
           "half a frame (0 when the timing was exact)"),
)


@dataclass(frozen=True)
class FlickerParams:
    """Every flicker parameter, with its default. Durations in ms."""

    trials: int = param(16, "number of test trials (image pairs); 'mixed' shows each "
                        "photograph once and fills up with generated scenes", min=1, max=200)
    blocks: int = param(2, "number of test blocks, with a self-paced break between them",
                        min=1, max=20)
    practice_trials: int = param(2, "practice trials (generated scenes; the change is shown "
                                 "afterwards)", min=0, max=10)
    pair_set: str = param("mixed", "which image pairs: mixed (photographs + generated "
                          "scenes), photos, generated, or folder (your own, see pair_dir)",
                          choices=PAIR_SETS)
    pair_dir: str = param("", "folder with NAME_a.png, NAME_b.png and changes.csv "
                          "(needs pair_set=folder)")
    scene_seed: int = param(1, "seed of the generated scenes: the same for every participant, "
                            "so everyone sees the same scenes", min=0, max=2**31 - 1)
    no_blank_share: float = param(0.25, "share of test trials in the no-blank control "
                                  "(rotated across participants)", min=0.0, max=1.0)
    image_ms: int = param(240, "each showing of A or A'", unit="ms", min=10, max=5000)
    blank_ms: int = param(80, "blank between the images (blank condition)", unit="ms",
                          min=10, max=5000)
    timeout_ms: int = param(60000, "the flicker stops here if no key was pressed (censored)",
                            unit="ms", min=1000, max=600000)
    detect_key: str = param("space", "key to press on seeing the change")
    click_timeout_ms: int = param(30000, "time allowed for the click", unit="ms", min=1000,
                                  max=600000)
    click_tolerance: float = param(0.05, "a click counts as on the change within this "
                                   "distance of its region, fraction of the image height",
                                   min=0.0, max=0.5)
    image_height: float = param(0.8, "displayed image height, fraction of the screen height",
                                min=0.2, max=1.0)
    grey: float = param(0.5, "luminance of the blank and of the screen around the images, "
                        "0 black .. 1 white", min=0.0, max=1.0)
    fixation_ms: int = param(800, "fixation cross before the first image", unit="ms",
                             min=0, max=5000)
    iti_ms: int = param(1000, "blank interval after each trial", unit="ms", min=0, max=10000)
    feedback_ms: int = param(2500, "practice: the change region is shown this long",
                             unit="ms", min=100, max=10000)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        if self.pair_set == "folder" and not self.pair_dir:
            raise UsageError("pair_set=folder needs pair_dir=FOLDER (with NAME_a.png, "
                             "NAME_b.png and changes.csv)")
        if self.pair_dir and self.pair_set != "folder":
            raise UsageError(f"pair_dir is set but pair_set is {self.pair_set!r}; "
                             f"add --set pair_set=folder")
        if self.detect_key in ("", "escape"):
            raise UsageError("detect_key must be a key other than escape (e.g. space)")


@dataclass(frozen=True)
class FlickerTrial:
    """One trial: the pair, its factors and the change region (image pixels).
    ``tolerance_px`` (not a column) is how far from the region a click may
    land and still count as on the change: ``click_tolerance`` x the image
    height, in image pixels (:func:`score` uses it)."""

    block: int
    phase: str  # practice | test
    pair: str
    pair_source: str
    change_kind: str
    interest: str
    blank_condition: str
    region: tuple
    image_width_px: int
    image_height_px: int
    tolerance_px: float

    def row(self) -> dict:
        """The trial's own data columns."""
        region = ";".join(" ".join(str(int(v)) for v in box) for box in self.region)
        return {"block": self.block, "phase": self.phase, "pair": self.pair,
                "pair_source": self.pair_source, "change_kind": self.change_kind,
                "interest": self.interest, "blank_condition": self.blank_condition,
                "change_region_px": region, "image_width_px": self.image_width_px,
                "image_height_px": self.image_height_px}


def participant_group(participant: str) -> int:
    """The participant's counterbalancing number: the digits of the label
    (``P07`` -> 7; the CRC-32 of the label if it has none), as for Stroop.
    It rotates which change of each photograph is shown and which pairs are
    in the no-blank control."""
    from attentionlab.stimuli.stroop import counterbalance_index

    return counterbalance_index(participant, 2**31)


def counterbalance_groups(params: FlickerParams) -> int:
    """How many different sessions the counterbalancing number can give:
    the least common multiple of each shown photograph's number of changes
    and (with a no-blank control) the period of :func:`no_blank_positions`
    as it shifts over the test pairs (4 for 4 positions among 16 pairs). A
    label's number gives the same session as that number modulo this
    (:func:`label_group`).

    >>> few = FlickerParams(trials=3, pair_set="photos", no_blank_share=0.0)
    >>> counterbalance_groups(FlickerParams()), counterbalance_groups(few)
    (4, 2)
    """
    from attentionlab.stimuli import flicker_photos

    n = params.trials
    periods = []
    if params.pair_set in ("photos", "mixed"):
        photos = flicker_photos.PHOTOS[:n]
        periods += [sum(c.photo == p for c in flicker_photos.CHANGES) for p in photos]
        n_test = len(photos) if params.pair_set == "photos" else n
    elif params.pair_set == "generated":
        n_test = n
    else:
        n_test = len(select_pairs(params)[1])
    if n_test:
        positions = no_blank_positions(n_test, params.no_blank_share)
        periods.append(next(p for p in range(1, n_test + 1) if n_test % p == 0 and
                            {(i + p) % n_test for i in positions} == positions))
    return math.lcm(1, *periods)


def label_group(params: FlickerParams, participant: str) -> int:
    """The group the label rule gives: the label's number modulo
    :func:`counterbalance_groups` (the same pairs and no-blank positions)."""
    return participant_group(participant) % counterbalance_groups(params)


def select_pairs(params: FlickerParams, group: int = 0):
    """The image pairs of a session: ``(practice_pairs, test_pairs)``.

    ``group`` (the participant's counterbalancing number) picks which of
    each photograph's changes is shown. Practice always uses generated
    scenes of its own. Raises UsageError for a bad pair folder.
    """
    from attentionlab.stimuli import flicker_photos, flicker_scenes
    from attentionlab.stimuli.flicker_pairs import load_pair_folder

    n = params.trials
    if params.pair_set == "folder":
        test = load_pair_folder(params.pair_dir)[:n]
    elif params.pair_set == "photos":
        test = flicker_photos.photo_pairs(group)[:n]
    elif params.pair_set == "generated":
        test = flicker_scenes.generated_pairs(n, params.scene_seed)
    else:
        photos = flicker_photos.photo_pairs(group)[:n]
        test = photos + flicker_scenes.generated_pairs(n - len(photos), params.scene_seed)
    practice = flicker_scenes.generated_pairs(params.practice_trials, params.scene_seed,
                                              start=PRACTICE_SCENE_START, prefix="practice")
    return practice, test


def no_blank_positions(n: int, share: float, group: int = 0) -> set:
    """Which of ``n`` pairs (in a fixed order) are shown without the blank:
    ``round(share * n)`` positions spread evenly, shifted by ``group`` so
    that over participants every pair is seen in both conditions.

    >>> sorted(no_blank_positions(8, 0.25, group=0)), sorted(no_blank_positions(8, 0.25, 1))
    ([0, 4], [1, 5])
    """
    k = round(share * n)
    if k == 0:
        return set()
    return {(math.floor(j * n / k) + group) % n for j in range(k)}


def make_trials(params: FlickerParams, rng: random.Random, pairs: list[ImagePair],
                phase: str = "test", group: int = 0) -> list[FlickerTrial]:
    """The trial list for ``pairs``: test pairs get their blank condition
    (:func:`no_blank_positions` over the pairs sorted by interest, kind and
    name, so the control is spread over the conditions), are shuffled and
    split into ``params.blocks`` blocks; practice is one block, all with blank."""
    if not pairs:
        return []
    if phase == "practice":
        order, n_blocks, no_blank = list(pairs), 1, set()
    else:
        order = sorted(pairs, key=lambda p: (p.interest, p.kind, p.name))
        no_blank = no_blank_positions(len(order), params.no_blank_share, group)
        n_blocks = min(params.blocks, len(order))
    conditions = ["no_blank" if i in no_blank else "blank" for i in range(len(order))]
    items = list(zip(order, conditions))
    rng.shuffle(items)
    trials = []
    for i, (pair, condition) in enumerate(items):
        block = 1 + i * n_blocks // len(items)
        width, height = pair.size
        trials.append(FlickerTrial(block, phase, pair.name, pair.source, pair.kind,
                                   pair.interest, condition, pair.region, width, height,
                                   params.click_tolerance * height))
    return trials


def make_plan(params: FlickerParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The session's trials: the participant's pairs (:func:`select_pairs`
    for their counterbalancing group), practice then test shuffled by one
    ``random.Random(seed)``. The presenter, its autopilot and the data-only
    simulation all call this; the presenter takes the pairs' images from
    :func:`select_pairs` (made once per process, so asking twice is cheap).

    >>> plan = make_plan(FlickerParams(trials=4, pair_set="generated"), "P2", 5)
    >>> [len(plan["practice"]), len(plan["test"])], plan["test"][0].tolerance_px
    ([2, 4], 24.0)
    """
    if group is None:
        group = participant_group(participant)
    else:
        check_group(group, counterbalance_groups(params))
    practice_pairs, test_pairs = select_pairs(params, group)
    rng = random.Random(seed)
    return {"practice": make_trials(params, rng, practice_pairs, "practice", group),
            "test": make_trials(params, rng, test_pairs, "test", group)}


def plan_facts(params: FlickerParams, participant: str, group: int | None = None) -> dict:
    """Sidecar facts about the plan: the counterbalancing group (the label's
    number, or the allocated ``group``).

    >>> plan_facts(FlickerParams(), "P07")
    {'counterbalance_group': 7}
    """
    if group is None:
        return {"counterbalance_group": participant_group(participant)}
    check_group(group, counterbalance_groups(params))
    return {"counterbalance_group": group}


# Raw facts of a trial, passed on from ``outcome.details`` as they are: how
# long the change was watched, the phases shown and their timing, where and
# when the click was.
RAW_COLUMNS = ("detection_time_ms", "alternations", "click_x", "click_y",
               "click_image_x_px", "click_image_y_px", "click_rt_ms", "frames_per_image",
               "frames_per_blank", "image_phases", "blank_phases", "image_frames_min",
               "image_frames_max", "blank_frames_min", "blank_frames_max",
               "image_phase_ms_max", "blank_phase_ms_max", "phase_timing_deviations")


def score(trial: FlickerTrial, outcome) -> dict:
    """The response columns of a trial from its
    :class:`~attentionlab.core.outcome.Outcome`. No key press
    (``outcome.rt_ms`` None) is a timeout: ``timed_out`` 1, ``correct`` 0,
    ``localized`` and ``false_alarm`` empty. After a press, the click
    (``details`` ``click_image_x_px``/``click_image_y_px``, image pixels;
    none if the click timed out) counts as on the change (``localized``,
    ``correct``) within ``trial.tolerance_px`` of a box of the change region;
    otherwise it is a false alarm. The raw facts (:data:`RAW_COLUMNS`) are
    passed on from ``details``.

    >>> from attentionlab.core.outcome import Outcome
    >>> t = make_plan(FlickerParams(trials=1, pair_set="generated"), "P1", 1)["test"][0]
    >>> x0, y0, x1, y1 = t.region[0]
    >>> hit = score(t, Outcome(3.0, "space", 2400.0, {"click_image_x_px": (x0 + x1) / 2,
    ...                                                "click_image_y_px": (y0 + y1) / 2}))
    >>> hit["correct"], hit["localized"], hit["false_alarm"], hit["click_distance_px"]
    (1, 1, 0, 0.0)
    >>> none = score(t, Outcome(3.0, "", None))
    >>> none["timed_out"], none["correct"], none["localized"]
    (1, 0, None)
    """
    details = outcome.details
    record = {name: details.get(name) for name in RAW_COLUMNS}
    x_px, y_px = details.get("click_image_x_px"), details.get("click_image_y_px")
    if not outcome.answered:
        distance = localized = false_alarm = None
    elif x_px is None or y_px is None:  # pressed, but no click before click_timeout_ms
        distance, localized, false_alarm = None, 0, 1
    else:
        distance = distance_to_region(trial.region, x_px, y_px)
        localized = int(distance <= trial.tolerance_px)
        false_alarm = 1 - localized
    record.update(timed_out=int(not outcome.answered), click_distance_px=distance,
                  localized=localized, false_alarm=false_alarm, correct=localized or 0)
    return record


def phase_plan(frames_image: int, frames_blank: int, blank: bool) -> list[tuple[str, int]]:
    """One cycle of the display as (what, frames): A, blank, A', blank, or
    A, A' without the blank. The presenter repeats it until a key or the timeout.

    >>> phase_plan(14, 5, True)
    [('a', 14), ('blank', 5), ('b', 14), ('blank', 5)]
    >>> phase_plan(14, 5, False)
    [('a', 14), ('b', 14)]
    """
    if blank:
        return [("a", frames_image), ("blank", frames_blank), ("b", frames_image),
                ("blank", frames_blank)]
    return [("a", frames_image), ("b", frames_image)]


def display_size(image_size: tuple[int, int], image_height: float) -> tuple[float, float]:
    """(width, height) of the displayed image in screen 'height' units."""
    w, h = image_size
    return image_height * w / h, image_height


def image_to_screen(x_px: float, y_px: float, image_size, image_height: float):
    """An image pixel position as a screen position ('height' units, image centred).

    >>> image_to_screen(320, 240, (640, 480), 0.8)
    (0.0, 0.0)
    """
    w, h = image_size
    dw, dh = display_size(image_size, image_height)
    return (x_px / w - 0.5) * dw, (0.5 - y_px / h) * dh


def screen_to_image(x: float, y: float, image_size, image_height: float):
    """A screen position ('height' units) as image pixels (may fall outside the image).

    >>> screen_to_image(0.0, 0.4, (640, 480), 0.8)
    (320.0, 0.0)
    """
    w, h = image_size
    dw, dh = display_size(image_size, image_height)
    return (x / dw + 0.5) * w, (0.5 - y / dh) * h


def _main(argv=None) -> int:
    import argparse

    from attentionlab.stimuli import flicker_photos, flicker_scenes
    from attentionlab.stimuli.flicker_pairs import export_pairs

    parser = argparse.ArgumentParser(prog="python -m attentionlab.stimuli.flicker",
                                     description="Write the built-in flicker pairs as PNG "
                                     "files with a changes.csv, to look at them.")
    parser.add_argument("--export", required=True, metavar="DIR", help="folder to write")
    parser.add_argument("--scenes", type=int, default=12, help="generated scenes (default 12)")
    args = parser.parse_args(argv)
    pairs = flicker_photos.all_photo_pairs() + flicker_scenes.generated_pairs(args.scenes)
    try:
        table = export_pairs(pairs, args.export)
    except FileExistsError:
        print(f"{args.export} already holds a changes.csv; choose an empty folder")
        return 2
    print(f"Wrote {len(pairs)} pairs and {table}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())


# The contract's name for this task's parameters (core/contracts.py).
PARAMS = FlickerParams
