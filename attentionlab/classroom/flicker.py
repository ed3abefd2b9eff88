"""Change blindness (flicker) in the classroom: the student's median time to find
a central change with the blank flash beside the published 4.7 s.

The task's :class:`~attentionlab.classroom.textbook.Textbook` entry (classroom
contract, :mod:`attentionlab.core.contracts`): ``values`` reads the task's
participants.csv (and test trials) from its analysis.

>>> TEXTBOOK.format(4.72)
'4.7 s'
"""

import numpy as np

from attentionlab.classroom.textbook import Textbook, seconds_text, showed_when


def _values(participants, test):
    out = participants[["participant", "session"]].copy()
    out["value"] = participants["median_central_ms"].astype(float) / 1000
    out["no_blank_s"] = participants["median_no_blank_ms"].astype(float) / 1000
    central = test[(test["blank_condition"] == "blank") & (test["interest"] == "central")]
    counts = central.groupby(["participant", "session"]).size()
    n_central = [counts.get((p, s), 0) for p, s in zip(out["participant"], out["session"])]
    # A median that is not reached (most central changes never found) still
    # shows the effect; no central trials at all cannot show anything.
    blank = out["value"].where(out["value"].notna() | (np.array(n_central) == 0), np.inf)
    decided = blank.notna() & out["no_blank_s"].notna()
    out["showed"] = showed_when(blank > out["no_blank_s"], decided)
    out["not_reached"] = np.isinf(blank)
    return out


def _sentence(row):
    if row.get("not_reached", False):
        return ("You found fewer than half of the central changes before the time ran out: "
                "with the flashes, they were very hard to see.")
    v = row["value"]
    if not np.isfinite(v):
        return "There were no central changes with the flashes to time."
    return f"With the flashes, you needed {v:.1f} s (median) to find a change to a central object."


def _details(row):
    return [f"Without the flashes the same kind of change took you "
            f"{seconds_text(row['no_blank_s'])}."]


TEXTBOOK = Textbook(
    task="flicker",
    title="Change blindness",
    menu_text="Find the change in a flickering picture",
    minutes="about 2-4 min",
    measure_text="time to find a change to a central object while the two pictures "
                 "alternate with a blank flash between them (median)",
    unit="s", kind="mean", decimals=1,
    published=(4.7, 4.7),
    published_text="about 4.7 s (about 7 alternations) for central changes, about 11 s "
                   "for marginal ones; without the flash about 1 alternation",
    source="Rensink, O'Regan & Clark (1997)",
    explanation=(
        "A picture and a changed copy alternate with a short blank between them. The "
        "change is large and repeats every two thirds of a second, yet it takes "
        "seconds to find. Without the blank it jumps out at once: the change makes a "
        "flicker of motion that draws attention to it. The blank hides that signal, so "
        "we have to search the picture with attention, object by object, and we only "
        "see the change when attention lands on it. We keep far less of what we see "
        "than it seems. Changes to the main object of a scene are found sooner than "
        "changes to background details."),
    showed_rule="central changes took longer to find with the blank than changes "
                "without it (Kaplan-Meier medians; a median not reached because most "
                "central changes were never found counts as longer)",
    values=_values, sentence=_sentence, details=_details,
    value_label="with the flash", contrast="no_blank_s",
    contrast_label="without the flash",
    demo_sets=("trials=8", "blocks=1", "practice_trials=1", "timeout_ms=30000"),
    caveat="Our pictures are not Rensink's, and the demo stops a picture after 30 s: "
           "compare the pattern more than the exact seconds.",
    references=(
        "Rensink, R. A., O'Regan, J. K., & Clark, J. J. (1997). To see or not to see: "
        "The need for attention to perceive changes in scenes. Psychological Science, 8, "
        "368-373.",),
)
