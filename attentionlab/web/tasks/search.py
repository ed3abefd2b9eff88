"""Visual search in the browser: what a trial shows, the student's texts,
and the check of what the browser reports (the web-task contract,
attentionlab/web/tasks/__init__.py; presented by static/tasks/search.js).

The items are the plan's own (``stimuli/search.make_plan``: centre in
'height' units from the screen centre, y up, and kind code); search.js
scales the search field to the viewport. Answers: the session's two keys,
or on a touch screen two buttons standing in the keys' places (left button =
left key), so the response recorded is the key the button stands for and
``stimuli/search.score`` judges it unchanged; the sidecar's
``response_device`` says which was used.

>>> from attentionlab.web.tasks import demo_params
>>> from attentionlab.stimuli.search import make_plan
>>> p = demo_params("search")
>>> trial = make_plan(p, "S0002", 3)["test"][0]
>>> d = display(trial, p)
>>> len(d["items"]) == trial.set_size, [b["answer"] for b in d["buttons"]]
(True, ['present', 'absent'])
"""

from attentionlab.classroom.search import TEXTBOOK
from attentionlab.core.outcome import Outcome
from attentionlab.stimuli.search import SearchParams, SearchTrial, score
from attentionlab.stimuli.search_text import TEXT
from attentionlab.web.tasks import common

TASK = "search"
DEMO_SETS = TEXTBOOK.demo_sets
INPUTS = ("keys", "touch")
ONCE = False
DETAIL_FIELDS: dict = {}  # the key (or the button's key) says it all

# The desktop's colours and shapes (experiments/search.py), repeated here because the
# web layer may not import the PsychoPy presenter; tests/web check they agree.
ITEM_RGB255 = {"red": (235, 45, 45), "green": (40, 185, 60), "white": (235, 235, 235)}
FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70), "too_slow": (240, 200, 40)}
BAR_WIDTH = 0.25    # bar thickness as a fraction of its length
STROKE_WIDTH = 0.2  # stroke of a T or L, fraction of item_size

# The desktop's words with taps for key presses (touch); {present}/{absent} are the
# buttons' words there.
TOUCH_TEXT = {
    "welcome": (
        "In this task you will see screens full of small shapes.\n\n"
        "On each screen, one special shape - the TARGET - may be there or not. "
        "Decide as quickly as you can whether it is there:\n\n"
        "tap THERE if the target IS there,\n"
        "tap NOT THERE if the target is NOT there.\n\n"
        "Before each block you will be shown which shape is the target in that block. "
        "Keep your thumbs near the two buttons, and look at the "
        "cross in the middle before each screen.\n\n"
        "Answer as fast as you can while making as few mistakes as possible.\n\n"
        "Tap Continue."),
    "practice": ("First a short practice of each kind of search. After each answer you "
                 "will see whether it was right.\n\nTap Continue to start the practice."),
    "test": ("Practice is over. Now the real task begins; there is no more feedback.\n\n"
             "Tap THERE if the target is there, NOT THERE if it is not.\n\n"
             "Tap Continue."),
    "break": ("Block {block} of {n_blocks} done. Take a short break.\n\n"
              "Tap Continue when you are ready to continue."),
    "block_body": ("\n\nThe target is shown on the left above, the other shapes on the "
                   "right.\n\nTap Continue to start."),
    "legend_present": "THERE",
    "legend_absent": "NOT THERE",
}


def _keys(trial: SearchTrial, params: SearchParams) -> dict:
    """{'present': key, 'absent': key} of this participant (from the trial)."""
    absent = next(k for k in params.keys if k != trial.present_key)
    return {"present": trial.present_key, "absent": absent}


def display(trial: SearchTrial, params: SearchParams) -> dict:
    """What search.js draws: the items (x, y in 'height' units from the centre,
    y up; kind, shape, clockwise rotation in degrees, CSS colour), the search
    field and item size ('height' units), the answers left to right (key,
    'present'/'absent'), the trial's durations (ms) and, in practice, the
    feedback for each answer (:func:`_feedback`)."""
    meaning = {key: answer for answer, key in _keys(trial, params).items()}
    return {
        "search_type": trial.search_type, "set_size": trial.set_size,
        "target_present": bool(trial.target_present),
        "items": [{"x": i.x, "y": i.y, "kind": i.kind, "shape": i.shape,
                   "rotation": i.rotation, "rgb": common.css_rgb(ITEM_RGB255[i.colour])}
                  for i in trial.items],
        "field_width": params.field_width, "field_height": params.field_height,
        "item_size": params.item_size, "bar_width": BAR_WIDTH, "stroke_width": STROKE_WIDTH,
        "buttons": [{"key": key, "answer": meaning[key]} for key in params.keys],
        "fixation_ms": params.fixation_ms, "deadline_ms": params.deadline_ms,
        "iti_ms": params.iti_ms, "feedback_ms": params.feedback_ms,
        "feedback": _feedback(trial, params) if trial.phase == "practice" else None,
    }


def _feedback(trial: SearchTrial, params: SearchParams) -> dict:
    """The desktop's practice feedback for each key (a button reports its key)
    and for no answer: ``{answer: {"kind", "text"}}``, judged by the
    definition's own ``score``."""
    out = {"none": {"kind": "too_slow",
                    "text": TEXT["too_slow"].format(deadline_s=params.deadline_ms / 1000)}}
    wrong = TEXT["wrong_present" if trial.target_present else "wrong_absent"]
    for key in params.keys:
        correct = score(trial, Outcome(0.0, key, 1.0))["correct"]
        out[key] = ({"kind": "correct", "text": TEXT["correct"]} if correct
                    else {"kind": "wrong", "text": wrong})
    return out


def texts(params: SearchParams, input: str) -> dict:
    """The participant's texts: the desktop task's (keys, with ``{present}``,
    ``{absent}``, ``{left}``, ``{right}`` and ``{keys}`` left for search.js
    to fill from the run's keys, which the plan decides) or the same words
    for taps (touch). Also the block screens' words, the example labels,
    the feedback and the colours of the desktop."""
    touch = input == "touch"
    own = {**TEXT, **TOUCH_TEXT} if touch else TEXT
    names = ("practice", "test", "break", "block_practice", "block_test", "block_body",
             "what_feature", "what_conjunction", "what_spatial", "label_target",
             "label_others", "legend_present", "legend_absent", "key_present",
             "key_absent", "correct", "wrong_present", "wrong_absent")
    out = {name: own[name] for name in names}
    out["too_slow"] = TEXT["too_slow"].format(deadline_s=params.deadline_ms / 1000)
    out["instructions"] = [own["welcome"]]
    out["feedback_rgb"] = {k: common.css_rgb(v) for k, v in FEEDBACK_RGB255.items()}
    out["continue"] = "Continue"
    return out


def outcome(trial: SearchTrial, payload: dict, input: str, params: SearchParams) -> Outcome:
    """The browser's report as an :class:`Outcome`: one of the session's two
    keys (a button reports the key it stands for), an RT within the deadline;
    ValueError with a plain sentence otherwise."""
    common.check_input(TASK, INPUTS, input)
    onset, rt = common.timing(payload, params.deadline_ms)
    response = common.response(payload, rt, tuple(params.keys))
    common.details(payload, DETAIL_FIELDS)
    return Outcome(onset_s=onset, response=response, rt_ms=rt)
