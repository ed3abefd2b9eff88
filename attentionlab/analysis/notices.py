"""Plain-language notices: what an analysis could not compute, and why.

A pilot with one participant, or a session where a condition has no
trials, is analysed as far as it goes; the numbers that need more are left
empty, and a notice says so in words (printed by ``attentionlab analyze``
and shown under "Notes" near the top of the report). The task modules'
``notices(result)`` (registry contract) build theirs with these helpers.

>>> import pandas as pd
>>> p = pd.DataFrame({"participant": ["P1", "P2"], "session": ["1", "1"],
...                   "interference_ms": [70.0, None]})
>>> test = pd.DataFrame({"participant": ["P1", "P1", "P2"],
...                      "congruency": ["congruent", "incongruent", "congruent"]})
>>> print(*missing_effects(p, test, "congruency",
...       {"interference_ms": ("Interference", ("incongruent", "congruent"))}))
Interference: 1 of 2 participant x session(s) have no usable incongruent or congruent trials and are left out of it ('P2' session '1').
"""

import pandas as pd

from attentionlab.analysis.problems import quote


def included_people(result) -> int:
    """Participants in the group statistics (after ``--min-accuracy``)."""
    participants = result.participants
    if len(result.excluded):
        merged = participants.merge(result.excluded[["participant", "session"]],
                                    how="left", indicator=True)
        participants = merged[merged["_merge"] == "left_only"]
    return participants["participant"].nunique()


def one_participant(result, what: str) -> list:
    """``["Only 1 participant: WHAT."]`` when the group statistics have a
    single participant (none: ``[]``, the report says it)."""
    if included_people(result) != 1:
        return []
    return [f"Only 1 participant: {what}."]


def absent_levels(test: pd.DataFrame, factor: str, levels) -> list:
    """The ``levels`` of ``factor`` with no trial in ``test``, in order."""
    present = set(test[factor]) if factor in test else set()
    return [level for level in levels if level not in present]


def missing_effects(participants: pd.DataFrame, test: pd.DataFrame, factor: str,
                    effects: dict, limit: int = 5) -> list:
    """Notices for participants.csv effects that are empty.

    ``effects``: column -> (words, the ``factor`` levels it needs). Empty for
    everyone: "WORDS not computed: no X trials" (or "no usable X trials"
    when the trials exist but none was left, e.g. all errors); empty for
    some: how many participant x sessions are left out of it, and which."""
    lines = []
    for column, (words, needs) in effects.items():
        if column not in participants:
            continue
        empty = participants[column].isna()
        if not empty.any():
            continue
        absent = absent_levels(test, factor, needs)
        if empty.all():
            why = (f"no {' or '.join(map(str, absent))} trials" if absent else
                   f"no usable {' or '.join(map(str, needs))} trials (all removed by the "
                   f"cleaning, or errors)")
            lines.append(f"{words} not computed: {why}.")
            continue
        units = participants.loc[empty, ["participant", "session"]]
        named = ", ".join(f"{quote(p)} session {quote(s)}"
                          for p, s in units.head(limit).itertuples(index=False))
        more = f" and {len(units) - limit} more" if len(units) > limit else ""
        lines.append(f"{words}: {len(units)} of {len(participants)} participant x session(s) "
                     f"have no usable {' or '.join(map(str, needs))} trials and are left out "
                     f"of it ({named}{more}).")
    return lines
