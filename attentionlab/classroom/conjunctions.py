"""Illusory conjunctions in the classroom: the student's share of trials with an
illusory conjunction beside the published 18%.

The task's :class:`~attentionlab.classroom.textbook.Textbook` entry (classroom
contract, :mod:`attentionlab.core.contracts`): ``values`` reads the task's
participants.csv (and test trials) from its analysis.

>>> TEXTBOOK.format(18.2)
'18% of trials'
"""

import numpy as np

from attentionlab.classroom.textbook import Textbook, percent_text, showed_when


def _values(participants, test):
    out = participants[["participant", "session", "conjunction_rate", "feature_rate"]].copy()
    out["value"] = participants["conjunction_trial_rate"].astype(float) * 100
    out["feature_trials"] = participants["feature_trial_rate"].astype(float) * 100
    corrected = participants["conjunction_corrected"].astype(float)
    out["showed"] = showed_when(corrected > 0, corrected.notna())
    return out


def _sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "No trial had both digits right, so your letter reports could not be scored."
    return (f"On {v:.0f}% of your trials you saw a letter in the colour of another letter "
            f"(an illusory conjunction).")


def _details(row):
    return [f"Per letter reported: {percent_text(row['conjunction_rate'])} in another shown "
            f"letter's colour, {percent_text(row['feature_rate'])} in a colour that was not "
            f"there."]


TEXTBOOK = Textbook(
    task="conjunctions",
    title="Illusory conjunctions",
    menu_text="Report flashed digits and coloured letters",
    minutes="about 3-4 min",
    measure_text="illusory conjunctions: the share of trials on which a letter was "
                 "reported in the colour of another letter of the display",
    unit="% of trials", kind="mean", decimals=0,
    published=(18.0, 18.0),
    published_text="about 18% of trials",
    source="Treisman & Schmidt (1982)",
    explanation=(
        "The row of coloured letters flashed for a fifth of a second while attention "
        "was busy with the two digits. The colours and the letters were both seen, but "
        "without attention on each letter they were not joined up correctly: people "
        "report a letter in the colour of another letter (an illusory conjunction) "
        "far more often than a colour that was not there at all. Treisman and Schmidt "
        "(1982) found illusory conjunctions on about 18% of trials. This supports "
        "feature-integration theory: colour and shape are registered separately, and "
        "attention is the glue that binds them into objects."),
    showed_rule="more illusory conjunctions than guessing explains: the conjunction "
                "rate per report is above the rate guessing predicts from the feature "
                "errors (with 5 colours: more conjunctions than feature errors); "
                "trials with the digits right only",
    values=_values, sentence=_sentence,
    details=_details,
    value_label="illusory conjunctions", contrast="feature_trials",
    contrast_label="feature errors (a colour not shown)",
    demo_sets=("trials=16", "blocks=1", "practice_trials=2"),
    references=(
        "Treisman, A., & Schmidt, H. (1982). Illusory conjunctions in the perception of "
        "objects. Cognitive Psychology, 14, 107-141.",),
)
