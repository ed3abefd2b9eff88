"""Inattentional blindness in the browser (once per student): what the page
draws for one planned trial, the participant's words, and the browser's
report checked and made an :class:`~attentionlab.core.outcome.Outcome`
(``stimuli.inattention.score`` says what the answers mean).

The cross (with the unexpected object on each phase's last trial) is shown
for whole frames on requestAnimationFrame (200 ms: 12 frames at 60 Hz), then
the block mask; then the questions: which arm was longer (the arm keys; on
a touch screen two buttons standing for them), "did you see anything else?"
(the yes/no keys or two buttons), and on object trials the recognition
display (click or tap a shape). ``ONCE``: the server refuses a second run,
because the object is not unexpected the second time.

>>> from attentionlab.web.tasks import demo_params
>>> from attentionlab.stimuli import inattention
>>> params = demo_params("inattention")
>>> trials = inattention.make_plan(params, "S1234", 1)["test"]
>>> d = display(trials[2], params)
>>> d["object"]["shape"] == trials[2].object_shape, d["ask_arm"], d["ask_notice"]
(True, True, 'critical')
"""

import numpy as np

from attentionlab.classroom.inattention import TEXTBOOK
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import inattention as task
from attentionlab.stimuli.inattention_text import TEXTS
from attentionlab.web.tasks import common

TASK = "inattention"
DEMO_SETS = TEXTBOOK.demo_sets
INPUTS = ("keys", "touch")
ONCE = True
DETAIL_FIELDS = {"arm_key": str, "notice_key": str, "notice_rt_ms": float,
                 "recognition_choice": str, "recognition_rt_ms": float}
ROW_SPACING = 0.17        # the desktop's distance between the recognition shapes
MASK_BLOCKS = 24          # the desktop's mask: 24 x 24 black and white blocks, seed 7
MASK_SEED = 7
RECOGNITION_MIN_SIZE = 0.06


def _shape(name: str, size: float) -> dict:
    """A shape for the page: its name and polygon vertices (None: a circle)."""
    vertices = task.shape_vertices(name, size)
    return {"shape": name, "size": size,
            "vertices": None if vertices is None else [[round(x, 5), round(y, 5)]
                                                      for x, y in vertices]}


def _mask(params) -> dict:
    """The desktop's mask: the same seeded block pattern over the region
    where the cross and the object can appear."""
    blocks = np.random.default_rng(MASK_SEED).integers(0, 2, (MASK_BLOCKS, MASK_BLOCKS))
    side = min(1.0, 2 * params.offset + 1.2 * params.cross_size)
    return {"side": side, "rows": ["".join(str(int(v)) for v in row) for row in blocks]}


def display(trial: task.InattentionTrial, params: task.InattentionParams) -> dict:
    """Everything the page needs for ``trial`` (JSON-able; sizes in screen
    heights, y up): the cross, the object (object trials), the mask, the
    durations, which questions come and the recognition shapes."""
    long_ = params.cross_size
    out = {
        "longer_arm": trial.longer_arm, "cross_x": trial.cross_x, "cross_y": trial.cross_y,
        "long": long_, "short": long_ * (1 - params.arm_difference),
        "thick": max(0.004, long_ * 0.02),
        "object": None, "colour": params.object_colour, "mask": _mask(params),
        "fixation_ms": params.fixation_ms, "cross_ms": params.cross_ms,
        "mask_ms": params.mask_ms, "iti_ms": params.iti_ms,
        "click_timeout_ms": params.click_timeout_ms,
        "ask_arm": trial.attention != "full",
        "ask_notice": ("full" if trial.attention == "full" else
                       "critical" if trial.critical else None),
        "arm_keys": list(params.arm_keys), "yes_no_keys": list(params.yes_no_keys),
        "recognition": None,
        # The phase's own instructions come before its first trial (texts' breaks).
        "phase_start": trial.block if trial.trial_in_phase == 1 and trial.block > 1 else None,
    }
    if trial.critical:
        out["object"] = {**_shape(trial.object_shape, params.object_size),
                         "x": trial.object_x, "y": trial.object_y}
        options = trial.recognition_options
        size = max(params.object_size, RECOGNITION_MIN_SIZE)
        out["recognition"] = [{**_shape(name, size),
                               "x": (i - (len(options) - 1) / 2) * ROW_SPACING}
                              for i, name in enumerate(options)]
    return out


def texts(params: task.InattentionParams, input: str) -> dict:
    """The desktop's words (stimuli/inattention_text.py) with the keys filled
    in; on a touch screen the keys are buttons with the same letters, so the
    words stay ("Press SPACE" becomes "Tap")."""
    keys = {"h": params.arm_keys[0].upper(), "v": params.arm_keys[1].upper(),
            "y": params.yes_no_keys[0].upper(), "n": params.yes_no_keys[1].upper()}
    pages = {"instructions": [TEXTS["welcome"].format(**keys)],
             "test": TEXTS["test"], "thanks": TEXTS["thanks"],
             # Each later phase has its own words (inattention.js shows breaks[block - 2]
             # before the phase's first trial); no generic "break" screen.
             "breaks": [TEXTS["break_1"], TEXTS["break_2"]],
             "arm": TEXTS["arm"].format(**keys),
             "notice_critical": TEXTS["notice_critical"].format(**keys),
             "notice_full": TEXTS["notice_full"].format(**keys),
             "recognition": TEXTS["recognition"], "keys": keys}
    if input == "touch":
        pages = {name: ([t.replace("Press SPACE to", "Tap to") for t in value]
                        if isinstance(value, list) else
                        value.replace("Press SPACE to", "Tap to").replace("Click it", "Tap it")
                        if isinstance(value, str) else value)
                 for name, value in pages.items()}
    return pages


def outcome(trial: task.InattentionTrial, payload: dict, input: str,
            params: task.InattentionParams) -> Outcome:
    """The browser's answers as an Outcome; ValueError (a plain sentence) when
    they do not fit the trial: the arm key exactly when the arm was asked,
    the yes/no key exactly when "anything else?" was asked, a shape of the
    recognition display (or none, after its timeout) on object trials.
    ``response``/``rt_ms`` are the first question's answer (the arm; in the
    full phase the yes/no), as on the desktop."""
    common.check_input(TASK, INPUTS, input)
    onset, rt = common.timing(payload, None)
    details = common.details(_without_nulls(payload), DETAIL_FIELDS)
    details = {name: details.get(name) for name in DETAIL_FIELDS}
    ask_arm = trial.attention != "full"
    ask_notice = bool(trial.critical) or trial.attention == "full"
    arm, notice = details["arm_key"] or "", details["notice_key"] or ""
    if ask_arm != bool(arm) or (arm and arm not in params.arm_keys):
        raise ValueError(f"arm_key must be one of {','.join(params.arm_keys)} on trials "
                         f"that ask for the arm, and empty otherwise")
    if ask_notice != bool(notice) or (notice and notice not in params.yes_no_keys):
        raise ValueError(f"notice_key must be one of {','.join(params.yes_no_keys)} on "
                         f"trials that ask about anything else, and empty otherwise")
    if bool(notice) != (details["notice_rt_ms"] is not None):
        raise ValueError("notice_rt_ms must be given exactly with notice_key")
    choice = details["recognition_choice"] or ""
    if trial.critical:
        if choice and choice not in trial.recognition_options:
            raise ValueError(f"recognition_choice must be one of "
                             f"{','.join(trial.recognition_options)}")
        if bool(choice) != (details["recognition_rt_ms"] is not None):
            raise ValueError("recognition_rt_ms must be given exactly with a shape")
        if choice and details["recognition_rt_ms"] > params.click_timeout_ms + 100:
            raise ValueError("recognition_rt_ms is past the click timeout")
    elif choice or details["recognition_rt_ms"] is not None:
        raise ValueError("only trials with the object have a recognition display")
    first = arm if ask_arm else notice
    response = common.response(payload, rt, (first,))  # the first question's key
    if not ask_arm and rt != details["notice_rt_ms"]:
        raise ValueError("in the full phase rt_ms is the yes/no answer's time")
    for name in ("notice_rt_ms", "recognition_rt_ms"):
        if details[name] is not None and details[name] < 0:
            raise ValueError(f"{name} must not be negative")
    details.update(arm_key=arm, notice_key=notice, recognition_choice=choice)
    return Outcome(onset_s=onset, response=response, rt_ms=rt, details=details)


def _without_nulls(payload: dict) -> dict:
    """The payload with null details left out (null: not measured, e.g. no
    click; the server's validation allows it for every detail)."""
    details = payload.get("details") or {}
    return {**payload, "details": {k: v for k, v in details.items() if v is not None}}
