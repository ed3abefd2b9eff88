"""Change blindness (flicker) in the browser: what the page draws for one planned
trial, the participant's words, and the browser's report checked and made an
:class:`~attentionlab.core.outcome.Outcome` (``stimuli.flicker.score`` says
whether the click hit the change, as for a lab session).

The images are the task's own pairs (``stimuli.flicker.select_pairs``:
photographs edited in memory, generated scenes, or a pair folder), served as
PNG by ``web/task_assets.py`` under ``/api/assets/flicker/<k>/<a|b>.png``:
``k`` is the pair's place in :func:`catalogue` (a closed list made from the
class's parameters), so no part of a request is a name or a path, and the
URL does not give the change away.

The procedure is the desktop's: A, blank, A', blank ... (or A, A' in the
no-blank control) on requestAnimationFrame, in whole frames at the measured
refresh rate, until the detect key (keys; on a touch screen a tap anywhere)
or the timeout; then a click (tap) on the place of the change. The page
reports the press, the phases it showed with their frame counts and
rAF-measured durations, and the click in image pixels and in screen-height
units.

>>> from attentionlab.web.tasks import demo_params
>>> from attentionlab.stimuli import flicker
>>> params = demo_params("flicker")
>>> trial = flicker.make_plan(params, "S1234", 1)["test"][0]
>>> d = display(trial, params)
>>> d["image_a"].startswith("/api/assets/flicker/"), d["feedback"]
(True, None)
"""

import functools

from attentionlab.classroom.flicker import TEXTBOOK
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import flicker
from attentionlab.stimuli.flicker_text import TEXTS
from attentionlab.web.tasks import common

TASK = "flicker"
DEMO_SETS = TEXTBOOK.demo_sets
INPUTS = ("keys", "touch")
ONCE = False
TOUCH_RESPONSE = "touch"
ASSET_PREFIX = "/api/assets/flicker"
DETAIL_FIELDS = {
    "detection_time_ms": float,   # time watched (the press, or the timeout), ms from A's onset
    "alternations": int,
    "click_x": float, "click_y": float,                     # screen 'height' units
    "click_image_x_px": float, "click_image_y_px": float,   # image pixels
    "click_rt_ms": float,
    "frames_per_image": int, "frames_per_blank": int,
    "image_phases": int, "blank_phases": int,
    "image_frames_min": int, "image_frames_max": int,
    "blank_frames_min": int, "blank_frames_max": int,
    "image_phase_ms_max": float, "blank_phase_ms_max": float,
    "phase_timing_deviations": int,
}
# The page ends the flicker at the timeout (in frames, or in time when frames
# were lost); the frame that ends it, or a press in it, may come a little later
# (a busy browser can miss several frames): this much past the timeout is
# still a true report.
TIMEOUT_SLACK_MS = 1000.0
MAX_FRAMES = 100_000  # no phase count or frame count is larger in a 10-minute trial


def pairs_key(params):
    """The parameters that decide which pairs exist (the catalogue's cache key)."""
    return (params.pair_set, params.pair_dir, params.trials, params.scene_seed,
            params.practice_trials)


@functools.lru_cache(maxsize=8)
def catalogue_of_key(key) -> dict:
    pair_set, pair_dir, trials, scene_seed, practice = key
    params = flicker.FlickerParams(pair_set=pair_set, pair_dir=pair_dir, trials=trials,
                                   scene_seed=scene_seed, practice_trials=practice)
    pairs = {}
    # Every counterbalancing group's pairs: the catalogue is the same for the
    # whole class, whichever change of a photograph a student sees.
    for group in range(flicker.counterbalance_groups(params)):
        practice_pairs, test_pairs = flicker.select_pairs(params, group)
        for pair in practice_pairs + test_pairs:
            pairs.setdefault(pair.name, pair)
    return pairs


def catalogue(params: flicker.FlickerParams) -> dict:
    """Every image pair a student of this class can see, ``{name: ImagePair}``
    in a fixed order (made once per parameter set; the photographs are
    edited in memory in well under a second)."""
    return catalogue_of_key(pairs_key(params))


def pair_index(params, name: str) -> int:
    """The place of pair ``name`` in :func:`catalogue` (the ``k`` of its URL)."""
    return list(catalogue(params)).index(name)


def check(params: flicker.FlickerParams) -> None:
    """Make the class's pictures now (UsageError for a bad ``pair_dir``), so a
    mistake stops ``classroom serve`` before students come, and the first
    student does not wait for the photographs to be edited."""
    catalogue(params)


def display(trial: flicker.FlickerTrial, params: flicker.FlickerParams) -> dict:
    """Everything the page needs for ``trial`` (JSON-able): the two image
    URLs and the image size, the condition, the durations (ms, shown as
    whole frames), the display's size and grey; on practice trials the change
    region and the tolerance, for the feedback that shows where the change was."""
    k = pair_index(params, trial.pair)
    out = {
        "image_a": f"{ASSET_PREFIX}/{k}/a.png", "image_b": f"{ASSET_PREFIX}/{k}/b.png",
        "width_px": trial.image_width_px, "height_px": trial.image_height_px,
        "blank": trial.blank_condition == "blank", "image_ms": params.image_ms,
        "blank_ms": params.blank_ms, "fixation_ms": params.fixation_ms,
        "timeout_ms": params.timeout_ms, "click_timeout_ms": params.click_timeout_ms,
        "image_height": params.image_height, "grey": params.grey,
        "detect_key": params.detect_key, "iti_ms": params.iti_ms, "feedback": None,
    }
    if trial.phase == "practice":
        # Only practice shows where the change was (the test trials do not
        # send it: a look at the page's data must not give the change away).
        out["feedback"] = {"region": [list(box) for box in trial.region],
                           "tolerance_px": trial.tolerance_px, "ms": params.feedback_ms}
    return out


def texts(params: flicker.FlickerParams, input: str) -> dict:
    """The desktop's words (stimuli/flicker_text.py); on a touch screen the
    key press is a tap and the click a tap (same sentences otherwise)."""
    key = params.detect_key.upper()
    n = params.practice_trials
    pages = {
        "instructions": [TEXTS["welcome"].format(key=key,
                                                 timeout=round(params.timeout_ms / 1000))],
        "practice": TEXTS["practice"].format(n=n, pictures="picture" if n == 1 else "pictures"),
        "test": TEXTS["test"].format(key=key),
        "break": TEXTS["break"], "thanks": TEXTS["thanks"],
        "click": TEXTS["click"], "feedback": TEXTS["feedback"], "timeout": TEXTS["timeout"],
        "missed": TEXTS["missed"],
    }
    if input != "touch":
        return pages

    def touch(text):
        return (text.replace(f"Press {key} as soon as you see what changes. Then click with "
                             f"the mouse on the place where the change is.",
                             "Tap the screen as soon as you see what changes. Then tap the "
                             "place where the change is.")
                .replace(f"Press {key} as soon as you see the change, then click on it.",
                         "Tap the screen as soon as you see the change, then tap on it.")
                .replace("Press SPACE to", "Tap to").replace("Click where", "Tap where"))

    return {name: [touch(t) for t in value] if isinstance(value, list) else touch(value)
            for name, value in pages.items()}


def outcome(trial: flicker.FlickerTrial, payload: dict, input: str,
            params: flicker.FlickerParams) -> Outcome:
    """The browser's report of ``trial`` as an Outcome; ValueError (a plain
    sentence) when it cannot be true. No press (``rt_ms`` null) is a timeout:
    then there is no click and the time watched is the timeout. After a
    press, ``detection_time_ms`` is the press's RT, and the click (if any)
    gives its position in image pixels and screen units and its time."""
    common.check_input(TASK, INPUTS, input)
    onset, rt = common.timing(payload, params.timeout_ms + TIMEOUT_SLACK_MS)
    allowed = (TOUCH_RESPONSE if input == "touch" else params.detect_key,)
    response = common.response(payload, rt, allowed)
    details = common.details(_without_nulls(payload), DETAIL_FIELDS)
    for name, kind in DETAIL_FIELDS.items():
        value = details.get(name)
        if kind is int and value is not None and not 0 <= value <= MAX_FRAMES:
            raise ValueError(f"details {name} must be between 0 and {MAX_FRAMES}")
        if name.endswith("_ms") and value is not None and value < 0:
            raise ValueError(f"details {name} must not be negative")
    if details.get("frames_per_image") in (None, 0):
        raise ValueError("details frames_per_image must be given (frames of each image)")
    blank = trial.blank_condition == "blank"
    if not blank and details.get("frames_per_blank"):
        raise ValueError("a no-blank trial has no blank frames (frames_per_blank must be 0)")
    click = [details.get(n) for n in ("click_image_x_px", "click_image_y_px", "click_x",
                                      "click_y", "click_rt_ms")]
    if rt is None:
        if any(v is not None for v in click):
            raise ValueError("a trial without a press (a timeout) has no click")
        # The time watched: at least the timeout (less a frame's rounding); it
        # may be longer when the browser lost frames, or paused the page (a
        # hidden tab): the row then says how long the flicker really ran.
        watched = details.get("detection_time_ms")
        if watched is None or watched < params.timeout_ms - TIMEOUT_SLACK_MS:
            raise ValueError(f"a trial without a press must have run to the timeout "
                             f"({params.timeout_ms} ms): detection_time_ms gives the time "
                             f"watched")
    else:
        details["detection_time_ms"] = rt  # the press, measured from A's first onset
        if any(v is None for v in click) and any(v is not None for v in click):
            raise ValueError("a click needs all of click_image_x_px, click_image_y_px, "
                             "click_x, click_y and click_rt_ms")
        if click[4] is not None and click[4] > params.click_timeout_ms + TIMEOUT_SLACK_MS:
            raise ValueError(f"click_rt_ms is past the click timeout "
                             f"({params.click_timeout_ms} ms)")
    if details.get("alternations") is None:
        raise ValueError("details alternations must be given")
    return Outcome(onset_s=onset, response=response, rt_ms=rt, details=details)


def _without_nulls(payload: dict) -> dict:
    """The payload with null details left out (null: not measured, e.g. no
    click; the server's validation allows it for every detail)."""
    details = payload.get("details") or {}
    return {**payload, "details": {k: v for k, v in details.items() if v is not None}}
