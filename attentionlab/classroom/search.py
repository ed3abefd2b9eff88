"""Visual search in the classroom: the student's conjunction-search slope beside
the published 10-30 ms per item (and their own feature-search slope).

The task's :class:`~attentionlab.classroom.textbook.Textbook` entry (classroom
contract, :mod:`attentionlab.core.contracts`): ``values`` reads the task's
participants.csv (and test trials) from its analysis.

>>> TEXTBOOK.published_label()
'10-30 ms per item'
"""

import numpy as np
import pandas as pd

from attentionlab.classroom.textbook import Textbook, showed_when


def _values(participants, test):
    """Per participant x session: the target-present conjunction slope (and
    the feature slope). Every student gets a row, with NaN when a slope could
    not be fitted (pivot_table alone drops a student whose slopes are all NaN,
    and the class report then counted them nowhere)."""
    keys = ["participant", "session"]
    present = participants[participants["target_present"].astype(float) == 1]
    wide = present.pivot_table(index=keys, columns="search_type",
                               values="slope_ms_per_item", aggfunc="first")
    wide = wide.reindex(columns=["feature", "conjunction"])
    slopes = pd.DataFrame({"feature_slope": wide["feature"], "value": wide["conjunction"]})
    out = participants[keys].drop_duplicates().reset_index(drop=True)
    out = out.merge(slopes.reset_index(), on=keys, how="left")
    both = out["value"].notna() & out["feature_slope"].notna()
    out["showed"] = showed_when(out["value"] > out["feature_slope"], both)
    return out


def _sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "There were not enough correct answers to work out your search slopes."
    return (f"In conjunction search each extra item cost you {v:.1f} ms; in feature "
            f"search {_per_item(row['feature_slope'])}.")


def _per_item(value):
    if not np.isfinite(value):
        return "there was no value"
    return f"{value:.1f} ms per item"


def _details(row):
    return ["Slopes from the trials with the target present: the extra time per extra "
            "item on screen."]


TEXTBOOK = Textbook(
    task="search",
    title="Visual search: pop-out and conjunctions",
    menu_text="Find a red upright bar among other bars",
    minutes="about 3 min",
    measure_text="conjunction search slope: the extra time each extra item on screen "
                 "costs when the target shares its colour with some items and its "
                 "orientation with others (target present)",
    unit="ms per item", kind="mean", decimals=1,
    published=(10.0, 30.0),
    published_text="10-30 ms per item for conjunction search, close to 0 for "
                   "feature (pop-out) search",
    source="Treisman & Gelade (1980); Wolfe (1998)",
    explanation=(
        "Some things pop out: a red bar among green ones is found at once, however "
        "many bars there are (feature search). A red upright bar among red lying bars "
        "and green upright bars shares each of its features with some of the others, "
        "so the items have to be checked with attention, a few at a time, and every "
        "extra item adds time (conjunction search). Treisman and Gelade (1980) took "
        "this difference as evidence that attention is needed to bind features "
        "together. The slope, the extra time per extra item, measures how hard a search "
        "is."),
    showed_rule="the conjunction-search slope is steeper than the feature-search slope "
                "(trials with the target present, correct answers only)",
    values=_values, sentence=_sentence, details=_details,
    value_label="conjunction search", contrast="feature_slope",
    contrast_label="feature search (pop-out)",
    demo_sets=("search_types=feature,conjunction", "set_sizes=4,12,24",
               "blocks_per_type=1", "trials=48", "practice_trials=4"),
    caveat="With colours as distinct as these, conjunction search is often faster than "
           "in the classic studies (Wolfe, Cave & Franzel, 1989): expect slopes at the "
           "low end of the range.",
    references=(
        "Treisman, A. M., & Gelade, G. (1980). A feature-integration theory of "
        "attention. Cognitive Psychology, 12, 97-136.",
        "Wolfe, J. M. (1998). What can 1 million trials tell us about visual search? "
        "Psychological Science, 9, 33-39.",
        "Wolfe, J. M., Cave, K. R., & Franzel, S. L. (1989). Guided search: An "
        "alternative to the feature integration model for visual search. Journal of "
        "Experimental Psychology: Human Perception and Performance, 15, 419-433."),
)
