"""Posner cueing in the browser: what the page draws for one planned trial, the
participant's words, and the browser's report of a trial checked and made an
:class:`~attentionlab.core.outcome.Outcome` (the definition's ``score``
judges it, as for a lab session).

The page (static/tasks/posner.js) draws the cross, the two boxes, the cue and
the dot in an SVG in screen-height units (the desktop's ``box_offset``,
``box_size``, ``target_size``, ``arrow_length``: a browser has no calibrated
monitor, so the ``*_deg`` sizes are not used) and shows each part for whole
frames on requestAnimationFrame. One key (``key``, default space) or, on a
touch screen, a tap anywhere; recorded as the key's name or ``touch``.

>>> from attentionlab.web.tasks import demo_params
>>> from attentionlab.stimuli import posner
>>> params = demo_params("posner")
>>> trial = posner.make_plan(params, "S1234", 1)["test"][0]
>>> sorted(display(trial, params))[:4]
['arrow_length', 'box_offset', 'box_size', 'catch']
"""

from attentionlab.classroom.posner import TEXTBOOK
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import posner, posner_text
from attentionlab.web.tasks import common

TASK = "posner"
DEMO_SETS = TEXTBOOK.demo_sets
INPUTS = ("keys", "touch")
ONCE = False
DETAIL_FIELDS: dict = {}  # one press and its time: nothing else to report
TOUCH_RESPONSE = "touch"  # the response column of a tap (the response device is in the sidecar)
FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70),
                   "too_slow": (240, 200, 40)}  # the desktop's colours
# A press may be stamped in the frame that ends the dot's display: allow a
# little over the deadline for the frame in which the page noticed it.
DEADLINE_SLACK_MS = 100.0


def display(trial: posner.PosnerTrial, params: posner.PosnerParams) -> dict:
    """Everything the page needs to draw ``trial`` (JSON-able): the plan's
    timing in ms (shown as whole frames), the cue and the dot, the sizes as
    fractions of the screen height, and for practice trials the feedback for
    each possible answer (from the definition's ``score``: the page never
    judges an answer itself)."""
    out = {
        "cue_type": trial.cue_type, "cue": trial.cue, "target_side": trial.target_side,
        "catch": trial.catch, "foreperiod_ms": trial.foreperiod_ms, "cue_ms": params.cue_ms,
        "soa_ms": trial.soa_ms, "deadline_ms": params.deadline_ms, "key": params.key,
        "box_offset": params.box_offset, "box_size": params.box_size,
        "target_size": params.target_size, "arrow_length": params.arrow_length,
        "iti_ms": params.iti_ms, "feedback": None,
    }
    if trial.phase == "practice":
        out["feedback"] = {"pressed": _feedback(trial, params, pressed=True),
                           "none": _feedback(trial, params, pressed=False),
                           "ms": params.feedback_ms}
    return out


def _feedback(trial, params, pressed: bool) -> dict:
    """The desktop's practice feedback for a press (or none): its kind
    (colour) and words; ``{rt}`` is left for the page to fill in."""
    scored = posner.score(trial, Outcome(0.0, params.key if pressed else "",
                                         1.0 if pressed else None))
    key = params.key.upper()
    if trial.catch:
        kind = "correct" if scored["correct"] else "wrong"
        text = posner_text.TEXT["catch_ok" if scored["correct"] else "catch_pressed"]
    elif scored["correct"]:
        kind, text = "correct", posner_text.TEXT["correct"].replace("{rt:.0f}", "{rt}")
    else:
        kind, text = "too_slow", posner_text.TEXT["too_slow"].format(key=key)
    return {"kind": kind, "text": text}


def texts(params: posner.PosnerParams, input: str, participant: str = "") -> dict:
    """The participant's words, as on the desktop: the welcome page, the
    practice and test screens (with the cue lines of the plan), the break
    (``{block}``, ``{n_blocks}`` left for the page; ``breaks`` has each
    break's words in full, the next block's cue line included) and the end.
    On a touch screen "Press SPACE" becomes "Tap". ``participant`` matters
    only when both cue types are used (which comes first is counterbalanced);
    the demo uses arrows only."""
    block_types = posner.block_cue_types(params, participant)
    following = [block_types[min(b, len(block_types) - 1)] for b in range(1, params.blocks)]
    pages = {
        "instructions": [posner_text.welcome(params, block_types)],
        "practice": posner_text.screen_text(params, block_types, "practice"),
        "test": posner_text.screen_text(params, block_types, "test"),
        "break": posner_text.TEXT["break"].replace(
            "{next}", posner_text.cue_line(params, following[0] if following
                                           else block_types[0])),
        "breaks": [posner_text.screen_text(params, block_types, "break", block=b,
                                           n_blocks=params.blocks)
                   for b in range(1, params.blocks)],
        "thanks": posner_text.screen_text(params, block_types, "thanks"),
        "feedback_rgb": {k: common.css_rgb(v) for k, v in FEEDBACK_RGB255.items()},
    }
    return _for_input(pages, params, input)


def _for_input(pages, params, input):
    """On a touch screen the key is a tap: the desktop's words with the key
    name replaced (same sentences otherwise)."""
    if input != "touch":
        return pages
    key = params.key.upper()

    def touch(text):
        return (text.replace(f"Press {key} as fast as you can", "Tap the screen as fast as you can")
                .replace(f"press {key} as soon", "tap as soon")
                .replace("Press SPACE to", "Tap to")
                .replace("do not press", "do not tap"))

    return {name: [touch(t) for t in value] if isinstance(value, list)
            else touch(value) if isinstance(value, str) else value
            for name, value in pages.items()}


def outcome(trial: posner.PosnerTrial, payload: dict, input: str,
            params: posner.PosnerParams) -> Outcome:
    """The browser's report of ``trial`` as an Outcome; ValueError (a plain
    sentence) when it cannot be true: a response other than the key (or a
    tap on a touch screen), an RT without a response or the other way round,
    an RT past the deadline.

    >>> from attentionlab.web.tasks import demo_params
    >>> p = demo_params("posner")
    >>> t = posner.make_plan(p, "S1", 1)["test"][0]
    >>> outcome(t, {"onset_s": 3.2, "response": "space", "rt_ms": 341.5, "details": {}},
    ...         "keys", p).rt_ms
    341.5
    """
    common.check_input(TASK, INPUTS, input)
    onset, rt = common.timing(payload, params.deadline_ms + DEADLINE_SLACK_MS)
    response = common.response(payload, rt, (TOUCH_RESPONSE if input == "touch"
                                             else params.key,))
    common.details(payload, DETAIL_FIELDS)
    return Outcome(onset_s=onset, response=response, rt_ms=rt)
