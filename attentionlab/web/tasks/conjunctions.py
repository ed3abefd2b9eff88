"""Illusory conjunctions in the browser: what the page draws for one planned
trial, the participant's words, and the browser's report checked and made an
:class:`~attentionlab.core.outcome.Outcome` (``stimuli.conjunctions.score``
scores the digits and each letter report, as for a lab session).

The display (two black digits, three coloured letters on a light patch) is
shown for whole frames on requestAnimationFrame, then the pattern mask
(the definition's ``mask_fragments``, drawn from the trial's seed). A
200-ms display is 12 frames at 60 Hz; the page reports the frames it showed
and the rAF-measured time from the display's frame to the mask's. The digits
are typed with the number keys (on a touch screen: a keypad of ten
buttons), then three cells of the letter x colour grid are clicked (tapped).

The exposure staircase (``staircase=true``) needs the previous trial's score
before the next trial is drawn; the browser version shows ``display_ms``
(fixed, the demo's setting) and refuses the staircase (:func:`check`).

>>> from attentionlab.web.tasks import demo_params
>>> from attentionlab.stimuli import conjunctions
>>> params = demo_params("conjunctions")
>>> trial = conjunctions.make_plan(params, "S1234", 1)["test"][0]
>>> d = display(trial, params)
>>> [item["text"] for item in d["items"]][1:4] == list(trial.letters), len(d["mask"])
(True, 150)
"""

from attentionlab.classroom.conjunctions import TEXTBOOK
from attentionlab.core.errors import UsageError
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import conjunctions as task
from attentionlab.stimuli.conjunctions_text import TEXT
from attentionlab.web.tasks import common

TASK = "conjunctions"
DEMO_SETS = TEXTBOOK.demo_sets
INPUTS = ("keys", "touch")
ONCE = False
DETAIL_FIELDS = {
    "exposure_frames": int,          # frames the display was on the page
    "exposure_ms": float,            # those frames x the measured frame interval
    "exposure_measured_ms": float,   # rAF time of the mask's frame - the display's
    **{f"report{i}_{part}": str for i in range(1, task.N_LETTERS + 1)
       for part in ("letter", "colour")},
}
MAX_EXPOSURE_FRAMES = 10_000


def check(params: task.ConjunctionsParams) -> None:
    """The browser shows a fixed display duration (UsageError for the staircase)."""
    if params.staircase:
        raise UsageError("conjunctions in the browser shows display_ms as it is; "
                         "staircase=true is only available in the lab")


def display(trial: task.ConjunctionsTrial, params: task.ConjunctionsParams) -> dict:
    """Everything the page needs for ``trial`` (JSON-able; sizes in screen
    heights, colours as CSS): the five items left to right, the patch, the
    mask's fragments, the report grid's letters and colours, the durations."""
    colours = [task.DIGIT_RGB255, *(task.PALETTE_RGB255[c] for c in trial.colours),
               task.DIGIT_RGB255]
    texts = [str(trial.digit_left), *trial.letters, str(trial.digit_right)]
    width, height = task.patch_size(params)
    return {
        "items": [{"text": t, "x": x, "y": y, "rgb": common.css_rgb(c)}
                  for t, (x, y), c in zip(texts, task.item_positions(params), colours)],
        "item_height": params.item_height,
        "patch": {"w": width, "h": height, "rgb": common.css_rgb(task.PATCH_RGB255)},
        "mask": [{**{k: round(f[k], 5) for k in ("x", "y", "ori", "length", "width")},
                  "rgb": common.css_rgb(task.colour_rgb255(f["colour"]))}
                 for f in task.mask_fragments(params, trial.mask_seed)],
        "grid": {"letters": list(trial.letter_choices),
                 "colours": [{"name": c, "rgb": common.css_rgb(task.PALETTE_RGB255[c])}
                             for c in trial.colour_choices]},
        "fixation_ms": params.fixation_ms, "display_ms": params.display_ms,
        "mask_ms": params.mask_ms, "iti_ms": params.iti_ms,
        # Practice feedback shows what was shown beside what was reported.
        "feedback": ({"ms": params.feedback_ms, "digits": [trial.digit_left, trial.digit_right],
                      "letters": list(trial.letters), "colours": list(trial.colours)}
                     if trial.phase == "practice" else None),
    }


def texts(params: task.ConjunctionsParams, input: str) -> dict:
    """The desktop's words (stimuli/conjunctions_text.py); on a touch screen
    the digits are tapped on a keypad and the letters tapped."""
    pages = {"instructions": [TEXT["welcome"]], "practice": TEXT["practice"],
             "test": TEXT["test"], "break": TEXT["break"], "thanks": TEXT["thanks"],
             "digits_prompt": TEXT["digits_prompt"], "report_prompt": TEXT["report_prompt"],
             "shown": "What was shown", "reported": "What you reported"}
    if input != "touch":
        return pages

    def touch(text):
        return (text.replace("Type the two digits (number keys; Backspace corrects the first "
                             "digit).", "Tap the two digits on the keypad (the arrow key "
                             "corrects the first digit).")
                .replace("click each letter you saw", "tap each letter you saw")
                .replace("Each click counts", "Each tap counts")
                .replace("Type the two digits", "Tap the two digits")
                .replace("Click a letter", "Tap a letter").replace("Press SPACE to", "Tap to"))

    return {name: [touch(t) for t in value] if isinstance(value, list) else touch(value)
            for name, value in pages.items()}


def outcome(trial: task.ConjunctionsTrial, payload: dict, input: str,
            params: task.ConjunctionsParams) -> Outcome:
    """The browser's report as an Outcome; ValueError (a plain sentence) when
    it cannot be true: the response is the two digits typed (the first
    one's RT from the display's onset), the reports are three different
    letters of the grid, each in a colour of the grid, in click order."""
    check(params)
    common.check_input(TASK, INPUTS, input)
    onset, rt = common.timing(payload, None)
    typed = payload.get("response", "")
    if not (isinstance(typed, str) and len(typed) == 2 and typed.isdigit() and typed.isascii()):
        raise ValueError(f"response must be the two digits typed, got {typed!r}")
    if rt is None:
        raise ValueError("rt_ms must give the time of the first digit")
    details = common.details(_without_nulls(payload), DETAIL_FIELDS)
    reports = []
    for i in range(1, task.N_LETTERS + 1):
        letter, colour = details.pop(f"report{i}_letter", None), details.pop(
            f"report{i}_colour", None)
        if letter not in trial.letter_choices or colour not in trial.colour_choices:
            raise ValueError(f"report {i} must be a letter of {','.join(trial.letter_choices)} "
                             f"in a colour of {','.join(trial.colour_choices)}")
        reports.append((letter, colour))
    if len({letter for letter, _ in reports}) != len(reports):
        raise ValueError("each letter can be reported once")
    frames = details.get("exposure_frames")
    if frames is None or not 1 <= frames <= MAX_EXPOSURE_FRAMES:
        raise ValueError(f"exposure_frames must be a whole number from 1 to "
                         f"{MAX_EXPOSURE_FRAMES}")
    for name in ("exposure_ms", "exposure_measured_ms"):
        if details.get(name) is None or details[name] <= 0:
            raise ValueError(f"{name} must be a positive number of ms")
    return Outcome(onset_s=onset, response=typed, rt_ms=rt,
                   details={"requested_exposure_ms": float(params.display_ms), **details,
                            "reports": reports})


def _without_nulls(payload: dict) -> dict:
    """The payload with null details left out (null: not measured, e.g. no
    click; the server's validation allows it for every detail)."""
    details = payload.get("details") or {}
    return {**payload, "details": {k: v for k, v in details.items() if v is not None}}
