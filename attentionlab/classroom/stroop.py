"""The Stroop effect in the classroom: the student's interference beside the published 65 ms.

The task's :class:`~attentionlab.classroom.textbook.Textbook` entry (classroom
contract, :mod:`attentionlab.core.contracts`): ``values`` reads the task's
participants.csv (and test trials) from its analysis.

>>> TEXTBOOK.source
'von Bastian, Souza & Gade (2016)'
>>> TEXTBOOK.format(72.4)
'72 ms'
"""

import numpy as np

from attentionlab.classroom.textbook import Textbook, ms_text, showed_when


def _values(participants, test):
    out = participants[["participant", "session", "rt_congruent_ms", "rt_incongruent_ms"]].copy()
    out["value"] = participants["interference_ms"].astype(float)
    out["showed"] = showed_when(out["value"] > 0, out["value"].notna())
    return out


def _sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "There were not enough correct answers to work out your Stroop effect."
    if v > 0:
        return (f"You took {v:.0f} ms longer to name the ink when the word named "
                f"another colour.")
    return (f"You were {abs(v):.0f} ms faster when the word named another colour: the "
            f"opposite of the usual effect.")


def _details(row):
    return [f"Your mean times: {ms_text(row['rt_congruent_ms'])} when word and ink matched, "
            f"{ms_text(row['rt_incongruent_ms'])} when they did not."]


TEXTBOOK = Textbook(
    task="stroop",
    title="The Stroop effect",
    menu_text="Name the ink colour of colour words",
    minutes="about 3 min",
    measure_text="Stroop interference: how much slower the ink colour is named when "
                 "the word names another colour than when it names the ink",
    unit="ms", kind="mean", decimals=0,
    published=(65.0, 65.0),
    published_text="65 ms with key presses (typically 60-90 ms)",
    source="von Bastian, Souza & Gade (2016)",
    explanation=(
        "Reading is so practised that it happens by itself, even when you try to "
        "ignore the word. When the word names a different colour from its ink (RED "
        "printed in blue), the word's meaning competes with the colour you have to "
        "name, so answering takes longer and goes wrong more often. Stroop described "
        "this in 1935, and it is one of the most often repeated results in psychology: "
        "attention cannot simply switch off a well-learned process."),
    showed_rule="interference above 0 ms: slower on average when the word named "
                "another colour than when it named the ink (correct answers only, "
                "answers faster than 200 ms left out)",
    values=_values, sentence=_sentence, details=_details,
    value_label="interference",
    demo_sets=("trials=48", "blocks=1", "practice_trials=6",
               "conditions=congruent,incongruent", "condition_weights=1,1"),
    references=(
        "Stroop, J. R. (1935). Studies of interference in serial verbal reactions. "
        "Journal of Experimental Psychology, 18, 643-662.",
        "von Bastian, C. C., Souza, A. S., & Gade, M. (2016). No evidence for bilingual "
        "cognitive advantages: A test of four hypotheses. Journal of Experimental "
        "Psychology: General, 145, 246-258.",
        "MacLeod, C. M. (1991). Half a century of research on the Stroop effect. "
        "Psychological Bulletin, 109, 163-203."),
)
