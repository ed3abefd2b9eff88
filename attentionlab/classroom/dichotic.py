"""Dichotic listening in the classroom: did the student hear their own name in
the ignored ear? (about a third do; Moray, 1959; Wood & Cowan, 1995).

The task's :class:`~attentionlab.classroom.textbook.Textbook` entry (classroom
contract, :mod:`attentionlab.core.contracts`): ``values`` reads the task's
participants.csv (and test trials) from its analysis.

>>> TEXTBOOK.published_label()
'33%'
"""

import numpy as np
import pandas as pd

from attentionlab.classroom.textbook import Textbook


def _values(participants, test):
    from attentionlab.analysis.dichotic import detections

    rows = detections(test)
    named = rows[rows["manipulation"] == "name"]
    order = (pd.to_numeric(named["message"], errors="coerce") if "message" in named
             else pd.Series(np.arange(len(named)), index=named.index))
    first = (named.assign(_order=order).sort_values("_order")
             .groupby(["participant", "session"], sort=False)["detected"].first())
    out = participants[["participant", "session", "detected_voice",
                        "detected_language"]].copy()
    out["value"] = [first.get((p, s), np.nan) for p, s in
                    zip(out["participant"], out["session"])]
    out["value"] = out["value"].astype(float)
    out["showed"] = out["value"]
    return out


def _sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "Your session had no message with your name in the ignored ear."
    if v == 1:
        return "Your own name in the ear you were ignoring got through: you noticed it."
    return "Your own name was said in the ear you were ignoring, and you did not notice it."


def _yes_no(value) -> str:
    if not np.isfinite(value):
        return "not tested"
    return "noticed" if value >= 0.5 else "not noticed"


def _details(row):
    return [f"Change of voice in the ignored ear: {_yes_no(row['detected_voice'])}; "
            f"change of language: {_yes_no(row['detected_language'])}."]


TEXTBOOK = Textbook(
    task="dichotic",
    title="Dichotic listening: the cocktail party",
    menu_text="Follow one voice with two in your ears (headphones)",
    minutes="about 4 min",
    measure_text="heard their own name in the ear they were ignoring (first message "
                 "with the name)",
    unit="", kind="proportion", decimals=0,
    published=(0.33, 0.33),
    published_text="about a third of listeners hear their own name",
    source="Moray (1959); Wood & Cowan (1995)",
    explanation=(
        "With a different message in each ear and the task of following one of them, "
        "very little of the other gets through: a change from English to German in "
        "the ignored ear goes unnoticed, while a change from a man's to a woman's "
        "voice, or a tone, is noticed (Cherry, 1953). Yet some meaning does get "
        "through: about a third of people notice their own name in the ignored ear "
        "(Moray, 1959; Wood & Cowan, 1995: 35%). Attention filters by physical "
        "features, but the filter is leaky for things that matter to us."),
    showed_rule="reported something unusual in the ignored ear after the first message "
                "that contained their own name",
    values=_values, sentence=_sentence, details=_details,
    outcome_words=("heard their name", "did not hear it"),
    demo_sets=("trials=3", "manipulations=voice,language,name", "practice_trials=0",
               "record_voice=false"),
    references=(
        "Cherry, E. C. (1953). Some experiments on the recognition of speech, with one "
        "and with two ears. Journal of the Acoustical Society of America, 25, 975-979.",
        "Moray, N. (1959). Attention in dichotic listening: Affective cues and the "
        "influence of instructions. Quarterly Journal of Experimental Psychology, 11, "
        "56-60.",
        "Wood, N., & Cowan, N. (1995). The cocktail party phenomenon revisited: How "
        "frequent are attention shifts to one's name in an irrelevant auditory channel? "
        "Journal of Experimental Psychology: Learning, Memory, and Cognition, 21, "
        "255-260."),
)
