"""Inattentional blindness in the classroom: did the student miss the unexpected
shape? (about 75% do; Mack & Rock, 1998).

The task's :class:`~attentionlab.classroom.textbook.Textbook` entry (classroom
contract, :mod:`attentionlab.core.contracts`): ``values`` reads the task's
participants.csv (and test trials) from its analysis.

>>> TEXTBOOK.format(0.75)
'75%'
"""

import numpy as np
import pandas as pd

from attentionlab.classroom.textbook import Textbook


def _values(participants, test):
    out = participants[["participant", "session", "location"]].copy()
    noticed = participants["noticed_inattention"].astype(float)
    out["value"] = 1 - noticed
    out["showed"] = out["value"]
    out["identified"] = participants["identified_inattention"].astype(float)
    return out


def _sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "Your answer about the critical trial is missing."
    where = ("beside where you were looking" if row.get("location") == "parafovea"
             else "right where you were looking")
    if v == 1:
        return f"On one trial an extra shape appeared, {where}, and you did not notice it."
    return f"On one trial an extra shape appeared, {where}, and you noticed it."


def _note(students):
    beside = int((students.get("location", pd.Series(dtype=str)) == "parafovea").sum())
    if not beside:
        return ""
    return (f"{beside} of {len(students)} students saw the shape beside the centre "
            f"(location=parafovea), where about 25% miss it; the published 75% is for a "
            f"shape at the centre of gaze.")


def _details(row):
    if row.get("location", "fixation") == "parafovea":
        return ["The shape appeared beside the centre (parafovea) in your session."]
    return []


TEXTBOOK = Textbook(
    task="inattention",
    title="Inattentional blindness",
    menu_text="Judge which arm of a cross is longer (works once)",
    minutes="about 2 min",
    measure_text="did not notice an unexpected shape on the critical trial",
    unit="", kind="proportion", decimals=0,
    published=(0.75, 0.75),
    published_text="about 75% did not notice a shape that appeared where they were "
                   "looking (about 25% when it appeared beside the centre)",
    source="Mack & Rock (1998)",
    explanation=(
        "While judging the cross, an extra shape flashed up once, in plain view and "
        "often exactly where you were looking. Most people simply do not see it: "
        "without attention, even an object at the centre of gaze may never reach "
        "awareness. The same people nearly all see it once they expect something. "
        "Mack and Rock (1998) called this inattentional blindness; it is why a driver "
        "looking at the road can miss a cyclist, and why the famous gorilla walks "
        "unnoticed through a basketball game (Simons & Chabris, 1999)."),
    showed_rule="answered 'no' to 'did you see anything else?' on the first "
                "(unexpected) critical trial",
    values=_values, sentence=_sentence,
    details=_details, class_note=_note,
    outcome_words=("did not notice", "noticed"),
    demo_sets=(),
    caveat="It works only once per person: a second run is no longer unexpected, so "
           "the class report counts each student's first session.",
    references=(
        "Mack, A., & Rock, I. (1998). Inattentional blindness. Cambridge, MA: MIT "
        "Press.",
        "Simons, D. J., & Chabris, C. F. (1999). Gorillas in our midst: Sustained "
        "inattentional blindness for dynamic events. Perception, 28, 1059-1074."),
)
