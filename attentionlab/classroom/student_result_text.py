"""A student's result in words: one copy for the desktop demo's results screen
and the browser classroom's (``attentionlab classroom serve``, /api/finish).

>>> from attentionlab.classroom.textbook import TEXTBOOK
>>> verdict(TEXTBOOK["stroop"], {"value": 72.0, "showed": 1.0})
('You showed the effect.', 'showed')
>>> short_explanation(TEXTBOOK["stroop"]).count(". ") <= 1
True
"""

import math

# How a verdict is shown: the desktop screen picks a colour, the browser a CSS class.
SHOWED, NOT_SHOWED, UNDECIDED, PROPORTION, NONE = (
    "showed", "not_showed", "undecided", "proportion", "none")


def verdict(entry, row) -> tuple[str, str]:
    """One line: did this student show the effect (in the entry's terms)?
    Returns ``(text, kind)``, ``kind`` one of the constants above."""
    showed = row.get("showed")
    if entry.kind == "proportion":
        value = row.get("value")
        if value is None or not math.isfinite(value):
            return "", NONE
        share = entry.published[0] if value == 1 else 1 - entry.published[0]
        return f"Like about {share:.0%} of people in the published studies.", PROPORTION
    if showed is None or not math.isfinite(showed):
        return "Your answers were not enough to tell whether you showed the effect.", UNDECIDED
    if showed == 1:
        return "You showed the effect.", SHOWED
    return ("Not this time: a short demo gives one person noisy numbers. The class "
            "average shows the effect much more clearly.", NOT_SHOWED)


def short_explanation(entry) -> str:
    """The first two sentences of the textbook paragraph (a results screen is small)."""
    sentences = entry.explanation.split(". ")
    return ". ".join(sentences[:2]).rstrip(".") + "."
