"""The classroom view of each task: the personal effect, the textbook value, the words.

``attentionlab demo`` shows a student their own effect beside the published
one; ``attentionlab class-report`` pools a class. Both take everything
task-specific from one :class:`Textbook` entry per task in :data:`TEXTBOOK`:

* which effect a student is shown, computed from the task's own analysis
  (participants.csv and the checked test trials of
  :func:`attentionlab.analysis.pipeline.run_analysis`), in plain words;
* the published value with its source (author, year);
* a paragraph a teacher can project;
* how "showed the effect" is decided for one student;
* the parameter overrides of the short demo (about 2-4 minutes).

Adding a task to the classroom is ONE entry in :data:`TEXTBOOK` (the task
must also have an analysis in ``attentionlab/analysis/registry.py``).

Two kinds of measure:

``"mean"``
    a number per student (ms, s, % of trials); the class gets the mean with
    a t-based 95% CI;
``"proportion"``
    a yes/no outcome per student (1/0: missed the unexpected object, heard
    their own name); the class gets the proportion with an exact
    (Clopper-Pearson) 95% CI.

>>> entry = TEXTBOOK["stroop"]
>>> entry.source
'von Bastian, Souza & Gade (2016)'
>>> entry.format(72.4)
'72 ms'
>>> TEXTBOOK["inattention"].format(0.75)
'75%'
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

KINDS = ("mean", "proportion")


@dataclass(frozen=True)
class Textbook:
    """One task's classroom entry (see the module docstring).

    ``values(participants, test)`` returns one row per participant x session
    with ``participant, session, value`` (in the display unit; 1/0 for a
    proportion), ``showed`` (1.0 showed the effect, 0.0 did not, NaN cannot
    tell) and any columns ``sentence`` and ``details`` use. ``published`` is
    ``(low, high)``: equal ends for a single published number, a range
    otherwise. ``demo_sets`` are ``--set NAME=VALUE`` items of
    ``attentionlab run`` for the short demo. ``contrast`` optionally names a
    column of ``values`` in the same unit that the effect is judged against
    (e.g. the feature-search slope), drawn beside the value in the figures
    and labelled ``contrast_label`` (the value: ``value_label``).
    ``class_note(students)`` may return a remark for the class page.
    ``outcome_words``: a yes/no outcome in words, for 1 and for 0.
    """

    task: str
    title: str
    menu_text: str
    minutes: str
    measure_text: str
    unit: str
    kind: str
    decimals: int
    published: tuple
    published_text: str
    source: str
    explanation: str
    showed_rule: str
    values: Callable
    sentence: Callable
    details: Callable = lambda row: []
    demo_sets: tuple = ()
    caveat: str = ""
    references: tuple = field(default_factory=tuple)
    value_label: str = ""
    contrast: str = ""
    contrast_label: str = ""
    class_note: Callable = lambda students: ""
    outcome_words: tuple = ("showed the effect", "did not show it")

    def number(self, value) -> str:
        """``value`` without its unit ('72', '18' for 18%, '75' for a proportion 0.75)."""
        if self.kind == "proportion":
            return f"{value * 100:.0f}"
        return f"{value:.{self.decimals}f}"

    def with_unit(self, number: str) -> str:
        """A formatted number with the unit ('72 ms', '18% of trials', '75%')."""
        if self.kind == "proportion":
            return f"{number}%"
        return f"{number}{'' if self.unit.startswith('%') else ' '}{self.unit}"

    def format(self, value) -> str:
        """``value`` in the display unit, as people read it ('72 ms', '18% of trials')."""
        if value is None or not np.isfinite(value):
            return "no value"
        return self.with_unit(self.number(value))

    def format_range(self, low, high) -> str:
        """Two values with the unit once ('62 to 103 ms')."""
        return self.with_unit(f"{self.number(low)} to {self.number(high)}")

    def published_label(self) -> str:
        """The published value or range, formatted ('65 ms', '10-30 ms per item')."""
        low, high = self.published
        if low == high:
            return self.format(low)
        whole = f"{low:g}-{high:g}" if self.kind == "mean" else \
            f"{low * 100:.0f}-{high * 100:.0f}"
        return self.with_unit(whole)


def _ms(value) -> str:
    return "no value" if not np.isfinite(value) else f"{value:.0f} ms"


def _s(value) -> str:
    return "not found within the time limit" if not np.isfinite(value) else f"{value:.1f} s"


def _pct(value) -> str:
    return "no value" if not np.isfinite(value) else f"{value * 100:.0f}%"


# -- Stroop ---------------------------------------------------------------------------------------
def _stroop_values(participants, test):
    out = participants[["participant", "session", "rt_congruent_ms", "rt_incongruent_ms"]].copy()
    out["value"] = participants["interference_ms"].astype(float)
    out["showed"] = np.where(out["value"].isna(), np.nan, (out["value"] > 0).astype(float))
    return out


def _stroop_sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "There were not enough correct answers to work out your Stroop effect."
    if v > 0:
        return (f"You took {v:.0f} ms longer to name the ink when the word named "
                f"another colour.")
    return (f"You were {abs(v):.0f} ms faster when the word named another colour: the "
            f"opposite of the usual effect.")


def _stroop_details(row):
    return [f"Your mean times: {_ms(row['rt_congruent_ms'])} when word and ink matched, "
            f"{_ms(row['rt_incongruent_ms'])} when they did not."]


# -- Visual search --------------------------------------------------------------------------------
def _search_values(participants, test):
    present = participants[participants["target_present"].astype(float) == 1]
    wide = present.pivot_table(index=["participant", "session"], columns="search_type",
                               values="slope_ms_per_item", aggfunc="first")
    wide = wide.reindex(columns=["feature", "conjunction"])
    out = pd.DataFrame({"feature_slope": wide["feature"], "value": wide["conjunction"]})
    out = out.reset_index()
    both = out["value"].notna() & out["feature_slope"].notna()
    out["showed"] = np.where(both, (out["value"] > out["feature_slope"]).astype(float),
                             np.nan)
    return out


def _search_sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "There were not enough correct answers to work out your search slopes."
    return (f"In conjunction search each extra item cost you {v:.1f} ms; in feature "
            f"search {_per_item(row['feature_slope'])}.")


def _per_item(value):
    if not np.isfinite(value):
        return "there was no value"
    return f"{value:.1f} ms per item"


def _search_details(row):
    return ["Slopes from the trials with the target present: the extra time per extra "
            "item on screen."]


# -- Illusory conjunctions ------------------------------------------------------------------------
def _conjunctions_values(participants, test):
    out = participants[["participant", "session", "conjunction_rate", "feature_rate"]].copy()
    out["value"] = participants["conjunction_trial_rate"].astype(float) * 100
    out["feature_trials"] = participants["feature_trial_rate"].astype(float) * 100
    corrected = participants["conjunction_corrected"].astype(float)
    out["showed"] = np.where(corrected.isna(), np.nan, (corrected > 0).astype(float))
    return out


def _conjunctions_sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "No trial had both digits right, so your letter reports could not be scored."
    return (f"On {v:.0f}% of your trials you saw a letter in the colour of another letter "
            f"(an illusory conjunction).")


def _conjunctions_details(row):
    return [f"Per letter reported: {_pct(row['conjunction_rate'])} in another shown "
            f"letter's colour, {_pct(row['feature_rate'])} in a colour that was not there."]


# -- Flicker (change blindness) -------------------------------------------------------------------
def _flicker_values(participants, test):
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
    out["showed"] = np.where(decided, (blank > out["no_blank_s"]).astype(float), np.nan)
    out["not_reached"] = np.isinf(blank)
    return out


def _flicker_sentence(row):
    if row.get("not_reached", False):
        return ("You found fewer than half of the central changes before the time ran out: "
                "with the flashes, they were very hard to see.")
    v = row["value"]
    if not np.isfinite(v):
        return "There were no central changes with the flashes to time."
    return f"With the flashes, you needed {v:.1f} s (median) to find a change to a central object."


def _flicker_details(row):
    return [f"Without the flashes the same kind of change took you {_s(row['no_blank_s'])}."]


# -- Inattentional blindness ----------------------------------------------------------------------
def _inattention_values(participants, test):
    out = participants[["participant", "session", "location"]].copy()
    noticed = participants["noticed_inattention"].astype(float)
    out["value"] = 1 - noticed
    out["showed"] = out["value"]
    out["identified"] = participants["identified_inattention"].astype(float)
    return out


def _inattention_sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return "Your answer about the critical trial is missing."
    where = ("beside where you were looking" if row.get("location") == "parafovea"
             else "right where you were looking")
    if v == 1:
        return f"On one trial an extra shape appeared, {where}, and you did not notice it."
    return f"On one trial an extra shape appeared, {where}, and you noticed it."


def _inattention_note(students):
    beside = int((students.get("location", pd.Series(dtype=str)) == "parafovea").sum())
    if not beside:
        return ""
    return (f"{beside} of {len(students)} students saw the shape beside the centre "
            f"(location=parafovea), where about 25% miss it; the published 75% is for a "
            f"shape at the centre of gaze.")


def _inattention_details(row):
    if row.get("location", "fixation") == "parafovea":
        return ["The shape appeared beside the centre (parafovea) in your session."]
    return []


# -- Dichotic listening ---------------------------------------------------------------------------
def _dichotic_values(participants, test):
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


def _dichotic_sentence(row):
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


def _dichotic_details(row):
    return [f"Change of voice in the ignored ear: {_yes_no(row['detected_voice'])}; "
            f"change of language: {_yes_no(row['detected_language'])}."]


TEXTBOOK = {
    "stroop": Textbook(
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
        values=_stroop_values, sentence=_stroop_sentence, details=_stroop_details,
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
    ),
    "search": Textbook(
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
        values=_search_values, sentence=_search_sentence, details=_search_details,
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
    ),
    "conjunctions": Textbook(
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
        values=_conjunctions_values, sentence=_conjunctions_sentence,
        details=_conjunctions_details,
        value_label="illusory conjunctions", contrast="feature_trials",
        contrast_label="feature errors (a colour not shown)",
        demo_sets=("trials=16", "blocks=1", "practice_trials=2"),
        references=(
            "Treisman, A., & Schmidt, H. (1982). Illusory conjunctions in the perception of "
            "objects. Cognitive Psychology, 14, 107-141.",),
    ),
    "flicker": Textbook(
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
        values=_flicker_values, sentence=_flicker_sentence, details=_flicker_details,
        value_label="with the flash", contrast="no_blank_s",
        contrast_label="without the flash",
        demo_sets=("trials=8", "blocks=1", "practice_trials=1", "timeout_ms=30000"),
        caveat="Our pictures are not Rensink's, and the demo stops a picture after 30 s: "
               "compare the pattern more than the exact seconds.",
        references=(
            "Rensink, R. A., O'Regan, J. K., & Clark, J. J. (1997). To see or not to see: "
            "The need for attention to perceive changes in scenes. Psychological Science, 8, "
            "368-373.",),
    ),
    "inattention": Textbook(
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
        values=_inattention_values, sentence=_inattention_sentence,
        details=_inattention_details, class_note=_inattention_note,
        outcome_words=("did not notice", "noticed"),
        demo_sets=(),
        caveat="It works only once per person: a second run is no longer unexpected, so "
               "the class report counts each student's first session.",
        references=(
            "Mack, A., & Rock, I. (1998). Inattentional blindness. Cambridge, MA: MIT "
            "Press.",
            "Simons, D. J., & Chabris, C. F. (1999). Gorillas in our midst: Sustained "
            "inattentional blindness for dynamic events. Perception, 28, 1059-1074."),
    ),
    "dichotic": Textbook(
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
        values=_dichotic_values, sentence=_dichotic_sentence, details=_dichotic_details,
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
    ),
}


def available() -> list:
    """Tasks with a classroom entry, a presentation and an analysis, in menu order."""
    from attentionlab.analysis.registry import ANALYSES
    from attentionlab.stimuli.registry import TASKS

    return [task for task in TEXTBOOK if task in ANALYSES and task in TASKS]


def get_entry(task: str) -> Textbook:
    """The classroom entry of ``task``; :class:`UsageError` listing the tasks that have one."""
    from attentionlab.core.errors import UsageError

    if task not in available():
        raise UsageError(f"task {task!r} has no classroom demo; available: "
                         f"{', '.join(available())}")
    return TEXTBOOK[task]
