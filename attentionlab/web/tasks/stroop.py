"""Stroop in the browser: what a trial shows, the student's texts, and the
check of what the browser reports (the web-task contract,
attentionlab/web/tasks/__init__.py; presented by static/tasks/stroop.js).

Keys as on the desktop (the same four keys and colour mapping, planned by
``stimuli/stroop.make_plan``). On a touch screen four coloured buttons stand
in a row in the keys' order (so the counterbalanced mapping also places the
buttons); the response recorded is the colour tapped and ``response_mode``
says ``touch`` (``stimuli/stroop.score``).

>>> from attentionlab.web.tasks import demo_params
>>> from attentionlab.stimuli.stroop import make_plan
>>> p = demo_params("stroop")
>>> trial = make_plan(p, "S0001", 3)["test"][0]
>>> sorted(display(trial, p))[:4]
['buttons', 'deadline_ms', 'feedback', 'feedback_ms']
>>> outcome(trial, {"onset_s": 2.0, "response": "red", "rt_ms": 600.0}, "touch", p).details
{'response_mode': 'touch'}
"""

from attentionlab.classroom.stroop import TEXTBOOK
from attentionlab.core.errors import UsageError
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli.stroop import TOUCH, StroopParams, StroopTrial, score
from attentionlab.stimuli.stroop_words import INK_COLOURS, INK_RGB255, TEXT
from attentionlab.web.tasks import common

TASK = "stroop"
DEMO_SETS = TEXTBOOK.demo_sets
INPUTS = ("keys", "touch")
ONCE = False
DETAIL_FIELDS: dict = {}  # a key or a colour says it all

FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70), "too_slow": (240, 200, 40)}

# The desktop's words (stroop_words.TEXT) with taps for key presses; English, as the
# classroom's result screens are.
TOUCH_TEXT = {
    "welcome": (
        "In this task you will see words printed in colour.\n\n"
        "Ignore what the word says. Tap the button for the COLOUR OF THE INK.\n\n"
        "Example: the word BLUE printed in red ink -> tap the red button.\n\n"
        "The four coloured buttons are at the bottom of the screen. Answer as quickly as "
        "you can while making as few mistakes as possible.\n\nTap Continue."),
    "practice": ("First a few practice trials. You will be told after each one "
                 "whether you were right.\n\nTap Continue to start the practice."),
    "test": ("Practice is over. Now the real task begins: there is no more "
             "feedback. Respond to the ink colour, quickly and accurately.\n\n"
             "Tap Continue to start."),
    "break": ("Block {block} of {n_blocks} done. Take a short break.\n\n"
              "Tap Continue when you are ready to continue."),
}


def check(params: StroopParams) -> None:
    """The browser has keys and buttons, no voice key (UsageError)."""
    if params.response != "keys":
        raise UsageError(f"stroop in the browser is answered with keys or buttons; "
                         f"response={params.response} is only available in the lab")


def _mapping(trial: StroopTrial, params: StroopParams) -> list:
    """(key, colour) left to right, as the keys are given (the trial's mapping)."""
    colours = dict(trial.key_colours)
    return [(key, colours[key]) for key in params.keys]


def display(trial: StroopTrial, params: StroopParams) -> dict:
    """What stroop.js draws: the word, its ink, the answers (keys and buttons,
    left to right), the trial's durations (ms) and, in practice, the feedback
    for each answer (:func:`_feedback`)."""
    names = TEXT[params.lang]["colour_names"]
    return {
        "word": trial.word, "ink": trial.ink, "ink_rgb": common.css_rgb(INK_RGB255[trial.ink]),
        "legend": trial.phase == "practice" or params.show_legend_in_test,
        "buttons": [{"key": key, "colour": colour, "label": names[colour],
                     "rgb": common.css_rgb(INK_RGB255[colour])}
                    for key, colour in _mapping(trial, params)],
        "fixation_ms": params.fixation_ms, "deadline_ms": params.deadline_ms,
        "iti_ms": params.iti_ms, "feedback_ms": params.feedback_ms,
        "word_height": params.word_height,
        "feedback": _feedback(trial, params) if trial.phase == "practice" else None,
    }


def _feedback(trial: StroopTrial, params: StroopParams) -> dict:
    """The desktop's practice feedback for every answer the trial offers (each
    key, each colour tapped) and for none: ``{answer: {"kind", "text"}}``,
    judged by the definition's own ``score`` (so the page never decides what
    is correct)."""
    table = TEXT[params.lang]
    ink = table["colour_names"][trial.ink].upper()
    out = {"none": {"kind": "too_slow", "text": table["too_slow"]}}
    answers = [(key, {}) for key in params.keys] + [(c, {"response_mode": TOUCH})
                                                    for c in INK_COLOURS]
    for answer, details in answers:
        scored = score(trial, Outcome(0.0, answer, 1.0, details=details))
        out[answer] = ({"kind": "correct", "text": table["correct"]} if scored["correct"]
                       else {"kind": "wrong", "text": table["wrong"].format(ink=ink)})
    return out


def texts(params: StroopParams, input: str) -> dict:
    """The participant's texts: the desktop task's (keys) or the same words
    for taps (touch). ``{legend}`` in the instructions stays for stroop.js to
    fill from the run's buttons (the mapping is the participant's, planned
    with the trials); ``wrong`` keeps ``{ink}``, ``break`` ``{block}`` and
    ``{n_blocks}``."""
    table = TEXT[params.lang]
    own = TOUCH_TEXT if input == TOUCH else table
    return {
        "instructions": [own["welcome"]],
        "practice": own["practice"], "test": own["test"], "break": own["break"],
        "correct": table["correct"], "wrong": table["wrong"], "too_slow": table["too_slow"],
        "colour_names": dict(table["colour_names"]),
        "feedback_rgb": {k: common.css_rgb(v) for k, v in FEEDBACK_RGB255.items()},
        "continue": "Continue",
    }


def outcome(trial: StroopTrial, payload: dict, input: str, params: StroopParams) -> Outcome:
    """The browser's report as an :class:`Outcome`: a key of the session
    (keys) or an ink colour (touch), an RT within the deadline; ValueError
    with a plain sentence otherwise."""
    common.check_input(TASK, INPUTS, input)
    onset, rt = common.timing(payload, params.deadline_ms)
    allowed = INK_COLOURS if input == TOUCH else tuple(params.keys)
    response = common.response(payload, rt, allowed)
    common.details(payload, DETAIL_FIELDS)
    details = {"response_mode": TOUCH} if input == TOUCH else {}
    return Outcome(onset_s=onset, response=response, rt_ms=rt, details=details)
