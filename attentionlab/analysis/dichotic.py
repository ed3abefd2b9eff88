"""Dichotic listening: what got through from the unattended ear.

* **Detection** of each manipulation of the unattended message: the
  proportion of messages after which the participant reported anything
  unusual in the other ear (``detected``), pooled over participants, with an
  exact (Clopper-Pearson) 95% CI; the same for naming the change correctly
  (``identified``) and for each participant's first test message alone
  (before any question could have alerted them). For messages without a
  manipulation the rate is the false-report rate.
* **The published comparison**: Cherry (1953) found a change of voice (man to
  woman) and a tone noticed by nearly everyone, a change from English to
  German noticed by almost no one, and reversed speech noticed only as
  "something odd" by some; about a third hear their own name (Moray, 1959:
  33%; Wood & Cowan, 1995: 34.6%). Voice vs language is tested within
  participants (exact McNemar test); the own-name rate against a third with
  an exact binomial test.
* **Shadowing**: where the messages were recorded, the share of attended
  words the participant repeated and the lag (s), per manipulation and per
  attended ear (:mod:`shadowing_sessions`: speech recognition, or hand
  scores where they exist), means over participants with t-based 95% CIs.
* **Recognition** of the words repeated in the unattended ear vs words of
  the attended message, as d' against the new words (log-linear correction:
  (yes + 0.5) / (n + 1), Hautus, 1995): Moray (1959) found words repeated 35
  times in the unattended ear not recognised.

Every function takes the long-format trials (our column names) and works on
its own; the module also meets the analysis contract
(attentionlab/analysis/registry.py).

>>> clopper_pearson(5, 10)
(0.1871, 0.8129)
>>> round(dprime(0.8, 0.2), 4)
1.6832
"""

import math
from functools import partial

import numpy as np
import pandas as pd

from attentionlab.analysis.registry import Factor, group_row, titled_tables
from attentionlab.analysis.statistics import (CLOPPER_PEARSON_1934, apa_t, exact_proportion_ci,
                                              format_p, mcnemar_exact, mean_ci_row,
                                              per_participant, t_test_row)
from attentionlab.analysis.trials import UNIT, only_test_rows, with_session
from attentionlab.core.columns import Column
from attentionlab.stimuli.dichotic import ITEMS, REPORTS
from attentionlab.stimuli.dichotic_mix import MANIPULATIONS

# The analysis contract (attentionlab/analysis/registry.py).
TASK = "dichotic"
TITLE = "Dichotic listening analysis"
RT_CLEANING = False  # the measures are reports and yes/no answers, not response times
# Many answers (about the ignored ear) are wrong by design: no low-accuracy flag.
ACCURACY_CHECK = False
CHANGES = tuple(m for m in MANIPULATIONS if m != "none")
WORD_TYPES = ("unattended_repeated", "attended", "new")
FACTORS = (Factor("item", levels=ITEMS), Factor("manipulation", levels=MANIPULATIONS))
REQUIRED_COLUMNS = ("participant", "item", "manipulation", "detected", "word_type",
                    "said_old")
READ_COLUMNS = ("message", "response", "detected", "word_type", "said_old", "attended_ear",
                "trial_index", "attended_passage", "unattended_passage", "voice",
                "recording_file", "recording_offset_ms")
EARS = ("left", "right")

PUBLISHED = {
    # manipulation: (value or None, the finding, source)
    "voice": (None, "noticed by nearly all listeners", "Cherry (1953)"),
    "tone": (None, "noticed by nearly all listeners", "Cherry (1953)"),
    "language": (None, "English -> German went unnoticed", "Cherry (1953)"),
    "reversed": (None, "some noticed 'something odd', none knew it was reversed",
                 "Cherry (1953)"),
    "name": (0.33, "about a third heard their own name", "Moray (1959): 33%; Wood & Cowan "
             "(1995): 34.6%; Conway, Cowan & Bunting (2001): 33%"),
}
NAME_RATE = 1 / 3

REFERENCES = (
    "Cherry, E. C. (1953). Some experiments on the recognition of speech, with one and "
    "with two ears. Journal of the Acoustical Society of America, 25, 975-979.",
    "Moray, N. (1959). Attention in dichotic listening: Affective cues and the influence "
    "of instructions. Quarterly Journal of Experimental Psychology, 11, 56-60.",
    "Wood, N., & Cowan, N. (1995). The cocktail party phenomenon revisited: How frequent "
    "are attention shifts to one's name in an irrelevant auditory channel? Journal of "
    "Experimental Psychology: Learning, Memory, and Cognition, 21, 255-260.",
    "Conway, A. R. A., Cowan, N., & Bunting, M. F. (2001). The cocktail party phenomenon "
    "revisited: The importance of working memory capacity. Psychonomic Bulletin & Review, "
    "8, 331-335.",
    CLOPPER_PEARSON_1934,
    "Hautus, M. J. (1995). Corrections for extreme proportions and their biasing effects "
    "on estimated values of d'. Behavior Research Methods, Instruments, & Computers, 27, "
    "46-51.",
)

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label ('1' when the data have no session column)"),
    Column("n_messages", "int", "test messages with an answer to the detection question"),
    *(Column(f"detected_{m}", "float",
             f"proportion of {m} messages after which something unusual was reported"
             + (" (false reports)" if m == "none" else "")) for m in MANIPULATIONS),
    *(Column(f"identified_{m}", "float",
             f"proportion of {m} messages after which exactly this change was reported")
      for m in CHANGES),
    Column("first_manipulation", "str", "manipulation of the first test message"),
    Column("first_detected", "float", "1 if something unusual was reported after the first "
                                      "test message, else 0"),
    Column("n_recognition", "int", "recognition test words answered"),
    Column("hit_rate_unattended", "float", "proportion 'yes' to words repeated in the "
                                           "unattended ear"),
    Column("hit_rate_attended", "float", "proportion 'yes' to words of the attended message"),
    Column("false_alarm_rate", "float", "proportion 'yes' to new words"),
    Column("dprime_unattended", "float", "d' = z(hits, unattended words) - z(false alarms), "
                                         "log-linear correction"),
    Column("dprime_attended", "float", "d' = z(hits, attended words) - z(false alarms), "
                                       "log-linear correction"),
    Column("criterion_c", "float", "c = -(z(hits, attended) + z(false alarms)) / 2; "
                                   "positive: says 'no' more often"),
    Column("shadow_messages", "int", "test messages whose shadowing was scored (recorded)"),
    Column("shadow_hand_scored", "int", "of these, messages scored by hand"),
    Column("shadow_proportion", "float", "mean over messages of the share of attended "
                                         "words repeated"),
    Column("shadow_median_lag_s", "float", "mean over messages of the median lag from a "
                                           "word's onset to its repetition"),
    Column("shadow_intrusions", "int", "words from the unattended message said, all "
                                       "messages"),
    Column("shadow_confidence", "float", "mean over automatically scored messages of their "
                                         "confidence (0-1, see shadowing_sessions)"),
    Column("shadow_flagged", "int", "messages whose automatic score is unsure and that are "
                                    "not scored by hand: check them (attentionlab score "
                                    "shadowing offers them first)"),
)

GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str", "detection, identification, first_message, published, mcnemar, "
                          "binomial, shadowing, recognition, t_test or paired_t_test"),
    Column("measure", "str", "the manipulation, or the participants.csv column, tested"),
    Column("n", "int", "messages (detection rows) or participants (recognition rows)"),
    Column("k", "int", "messages with the event counted; mcnemar: participants who "
                       "detected the first change but not the second"),
    Column("mean", "float", "proportion k / n, or the mean over participants"),
    Column("sd", "float", "SD over participants (n - 1)"),
    Column("ci95_low", "float", "lower end of the 95% CI (see ci_method)"),
    Column("ci95_high", "float", "upper end of the 95% CI"),
    Column("ci_method", "str", "clopper-pearson (exact, for proportions) or t"),
    Column("t", "float", "t statistic"),
    Column("df", "float", "degrees of freedom"),
    Column("p", "float", "two-sided p (t-test, exact McNemar or exact binomial test)"),
    Column("dz", "float", "Cohen's dz = mean / sd"),
    Column("bf10", "float", "Bayes factor for an effect (JZS prior, r = 0.707)"),
    Column("published", "float", "the published proportion, where one was reported"),
    Column("source", "str", "the published finding and where it comes from"),
)

FIGURE_CAPTIONS = {
    "detection": "Proportion of messages after which a change in the unattended ear was "
                 "reported, per manipulation (exact 95% CIs; 'none': false reports). "
                 "Dashed: the own-name rate of about a third (Moray, 1959; Wood & Cowan, "
                 "1995).",
    "recognition": "Recognition of words repeated in the unattended ear and of words from "
                   "the attended message, as d' against new words (mean, 95% CI; grey "
                   "lines: participants).",
    "shadowing": "Share of the attended words the participants repeated, per manipulation "
                 "of the unattended message and per attended ear (mean over participants, "
                 "t 95% CI; grey dots: participants). Only recorded messages.",
}


# -- statistics -----------------------------------------------------------------------
# clopper_pearson(k, n): the exact CI of k / n (statistics.exact_proportion_ci),
# rounded to 4 decimals as group.csv has always given it; the name
# docs/tasks/dichotic.md documents.
clopper_pearson = partial(exact_proportion_ci, digits=4)


def dprime(hit_rate: float, false_alarm_rate: float) -> float:
    """z(hit rate) - z(false-alarm rate); give rates already corrected away
    from 0 and 1 (see :func:`loglinear`)."""
    from scipy.stats import norm

    return float(norm.ppf(hit_rate) - norm.ppf(false_alarm_rate))


def loglinear(yes: float, n: float) -> float:
    """Hautus's (1995) log-linear rate: (yes + 0.5) / (n + 1); NaN for n = 0.

    >>> loglinear(3, 3)
    0.875
    """
    return (yes + 0.5) / (n + 1) if n > 0 else math.nan


# -- per trial ------------------------------------------------------------------------------
def _test_rows(data: pd.DataFrame) -> pd.DataFrame:
    data = with_session(only_test_rows(data))
    return data.assign(participant=data["participant"].astype(str),
                       session=data["session"].astype(str))


def detections(data: pd.DataFrame) -> pd.DataFrame:
    """The detection rows of the test phase with ``detected`` and
    ``identified`` (0/1) and ``first`` (1 on each participant x session's
    first test message)."""
    data = _test_rows(data)
    rows = data[data["item"] == "detection"].copy()
    rows["detected"] = pd.to_numeric(rows["detected"], errors="coerce")
    expected = rows["manipulation"].where(rows["manipulation"] != "none", "nothing")
    answer = rows["response"] if "response" in rows else pd.Series("", index=rows.index)
    # Naming the change is scored only where the answer is one of ours.
    rows["identified"] = (answer == expected).astype(float).where(answer.isin(REPORTS))
    rows = rows[rows["detected"].notna()]
    order = pd.to_numeric(rows["message"], errors="coerce") if "message" in rows \
        else pd.Series(np.arange(len(rows)), index=rows.index)
    first = order.groupby([rows["participant"], rows["session"]]).transform("min")
    rows["first"] = (order == first).astype(int)
    return rows


def detection_rates(data: pd.DataFrame) -> pd.DataFrame:
    """Per manipulation, pooled over participants: ``manipulation`` and, for
    each of ``detected`` (something reported), ``identified`` (this change
    named; only answers that are ours) and ``first`` (detected, first test
    message only): ``n_<x>, k_<x>, <x>, <x>_low, <x>_high`` (exact 95% CIs).

    >>> d = pd.DataFrame({"participant": ["P1", "P2", "P3"], "item": "detection",
    ...     "manipulation": "name", "message": 1, "detected": [1, 0, 0],
    ...     "response": ["name", "nothing", "nothing"]})
    >>> rates = detection_rates(d).iloc[0]
    >>> int(rates["k_detected"]), round(float(rates["detected"]), 3), float(rates["detected_high"])
    (1, 0.333, 0.9057)
    """
    rows = detections(data)
    out = []
    for m in MANIPULATIONS:
        sel = rows[rows["manipulation"] == m]
        if sel.empty:
            continue
        first = sel[sel["first"] == 1]
        entry = {"manipulation": m}
        for name, values in (("detected", sel["detected"]),
                             ("identified", sel["identified"].dropna()),
                             ("first", first["detected"])):
            k, n = int(values.sum()), len(values)
            low, high = clopper_pearson(k, n)
            entry.update({f"n_{name}": n, f"k_{name}": k, name: k / n if n else math.nan,
                          f"{name}_low": low, f"{name}_high": high})
        out.append(entry)
    return pd.DataFrame(out)


def recognition_counts(data: pd.DataFrame) -> pd.DataFrame:
    """Per participant x session and word type: ``n`` words and ``yes`` answers."""
    data = _test_rows(data)
    rows = data[data["item"] == "recognition"].copy()
    rows["said_old"] = pd.to_numeric(rows["said_old"], errors="coerce")
    rows = rows[rows["said_old"].notna() & rows["word_type"].isin(WORD_TYPES)]
    return (rows.groupby(["participant", "session", "word_type"])["said_old"]
            .agg(n="count", yes="sum").reset_index())


def shadowed_messages(data: pd.DataFrame) -> pd.DataFrame:
    """Message rows of the test phase whose shadowing was scored, with the
    ``shadow_*`` columns numeric."""
    data = _test_rows(data)
    if "shadow_scored_by" not in data:
        return data.iloc[0:0].assign(shadow_scored_by="", shadow_proportion=math.nan,
                                     shadow_median_lag_s=math.nan, shadow_intrusions=math.nan)
    rows = data[(data["item"] == "message") & (data["shadow_scored_by"].fillna("") != "")]
    rows = rows.copy()
    for name in ("shadow_proportion", "shadow_median_lag_s", "shadow_intrusions",
                 "shadow_confidence", "shadow_flagged"):
        if name in rows:
            rows[name] = pd.to_numeric(rows[name], errors="coerce")
    return rows


# -- the analysis contract ------------------------------------------------------------------------
def add_measures(test: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Score the shadowing recordings (:mod:`shadowing_sessions`)."""
    from attentionlab.analysis.problems import FILE
    from attentionlab.speech.shadowing_sessions import score_messages

    return score_messages(test, sessions, file_column=FILE)


def participant_effects(test: pd.DataFrame, *, used: pd.Series | None = None,
                        settings=None) -> pd.DataFrame:
    """participants.csv (:data:`PARTICIPANT_COLUMNS`), one row per participant x
    session, from the ``used`` trials (all of ``test`` when None; no options)."""
    data = _test_rows(test if used is None else test[used.reindex(test.index).fillna(False)
                                                      .astype(bool)])
    rows = detections(data)
    counts = recognition_counts(data)
    shadowed = shadowed_messages(data)
    out = []
    units = data[list(UNIT)].drop_duplicates().itertuples(index=False)
    for participant, session in units:
        mine = rows[(rows["participant"] == participant) & (rows["session"] == session)]
        entry = {"participant": participant, "session": session, "n_messages": len(mine)}
        for m in MANIPULATIONS:
            sel = mine[mine["manipulation"] == m]
            entry[f"detected_{m}"] = sel["detected"].mean() if len(sel) else math.nan
            if m != "none":
                entry[f"identified_{m}"] = sel["identified"].mean() if len(sel) else math.nan
        first = mine[mine["first"] == 1]
        entry["first_manipulation"] = first["manipulation"].iloc[0] if len(first) else ""
        entry["first_detected"] = float(first["detected"].iloc[0]) if len(first) else math.nan
        words = counts[(counts["participant"] == participant) & (counts["session"] == session)]
        entry.update(_recognition(words.set_index("word_type")))
        said = shadowed[(shadowed["participant"] == participant)
                        & (shadowed["session"] == session)]
        entry.update({"shadow_messages": len(said),
                      "shadow_hand_scored": int((said["shadow_scored_by"] == "hand").sum())
                      if len(said) else 0,
                      "shadow_proportion": said["shadow_proportion"].mean(),
                      "shadow_median_lag_s": said["shadow_median_lag_s"].mean(),
                      "shadow_intrusions": said["shadow_intrusions"].sum() if len(said)
                      else math.nan,
                      "shadow_confidence": said["shadow_confidence"].mean()
                      if "shadow_confidence" in said else math.nan,
                      "shadow_flagged": int(said["shadow_flagged"].fillna(0).sum())
                      if "shadow_flagged" in said and len(said) else 0})
        out.append(entry)
    frame = pd.DataFrame(out, columns=[c.name for c in PARTICIPANT_COLUMNS])
    return frame


def _recognition(words: pd.DataFrame) -> dict:
    def rate(kind, corrected):
        if kind not in words.index:
            return math.nan
        n, yes = words.loc[kind, "n"], words.loc[kind, "yes"]
        return loglinear(yes, n) if corrected else yes / n

    fa = rate("new", True)
    hu, ha = rate("unattended_repeated", True), rate("attended", True)
    from scipy.stats import norm

    return {"n_recognition": int(words["n"].sum()) if len(words) else 0,
            "hit_rate_unattended": rate("unattended_repeated", False),
            "hit_rate_attended": rate("attended", False),
            "false_alarm_rate": rate("new", False),
            "dprime_unattended": dprime(hu, fa) if not (math.isnan(hu) or math.isnan(fa))
            else math.nan,
            "dprime_attended": dprime(ha, fa) if not (math.isnan(ha) or math.isnan(fa))
            else math.nan,
            "criterion_c": -(norm.ppf(ha) + norm.ppf(fa)) / 2
            if not (math.isnan(ha) or math.isnan(fa)) else math.nan}


def group_results(participants: pd.DataFrame, used, test: pd.DataFrame,
                  settings) -> pd.DataFrame:
    """group.csv (:data:`GROUP_COLUMNS`).

    Detection and shadowing rows use all the ``test`` trials; recognition
    rows use participants.csv (a participant's sessions averaged first).
    """
    trials = test
    rows = []
    if trials is not None and len(trials):
        rows += _detection_rows(trials)
        rows += _shadowing_rows(trials)
    rows += _recognition_rows(participants)
    out = pd.DataFrame(rows)
    return out.reindex(columns=[c.name for c in GROUP_COLUMNS])


def _detection_rows(trials):
    rows = []
    rates = detection_rates(trials)
    for r in rates.itertuples(index=False):
        for test, k, mean, low, high, n in (
                ("detection", r.k_detected, r.detected, r.detected_low, r.detected_high,
                 r.n_detected),
                ("identification", r.k_identified, r.identified, r.identified_low,
                 r.identified_high, r.n_identified),
                ("first_message", r.k_first, r.first, r.first_low, r.first_high, r.n_first)):
            if test == "identification" and (r.manipulation == "none" or n == 0):
                continue
            rows.append({"test": test, "measure": r.manipulation, "n": n, "k": k,
                         "mean": mean, "ci95_low": low, "ci95_high": high,
                         "ci_method": "clopper-pearson"})
    by_m = rates.set_index("manipulation") if len(rates) else rates
    for m, (value, finding, source) in PUBLISHED.items():
        if m not in by_m.index:
            continue
        r = by_m.loc[m]
        rows.append({"test": "published", "measure": m, "n": r["n_detected"],
                     "k": r["k_detected"],
                     "mean": r["detected"], "ci95_low": r["detected_low"],
                     "ci95_high": r["detected_high"], "ci_method": "clopper-pearson",
                     "published": value, "source": f"{finding}: {source}"})
    if "name" in by_m.index:
        from scipy.stats import binomtest

        r = by_m.loc["name"]
        rows.append({"test": "binomial", "measure": "name vs 1/3", "n": r["n_detected"],
                     "k": r["k_detected"], "mean": r["detected"],
                     "p": float(binomtest(int(r["k_detected"]), int(r["n_detected"]),
                                          NAME_RATE).pvalue),
                     "published": NAME_RATE, "source": PUBLISHED["name"][2]})
    paired = _paired(detections(trials), "voice", "language")
    if paired is not None:
        rows.append(paired)
    return rows


def _paired(rows, first, second):
    """Exact McNemar test: ``first`` detected more often than ``second``, within
    participant x session (each's mean detection, rounded, if several messages)."""
    wide = (rows[rows["manipulation"].isin([first, second])]
            .groupby(["participant", "session", "manipulation"])["detected"].mean()
            .unstack("manipulation"))
    if first not in wide or second not in wide:
        return None
    wide = wide.dropna()
    if wide.empty:
        return None
    a, b = (wide[first].round().to_numpy(), wide[second].round().to_numpy())
    only_first, only_second, p = mcnemar_exact(a, b)
    return {"test": "mcnemar", "measure": f"{first} - {second}", "n": len(wide),
            "k": only_first, "mean": float(np.mean(a) - np.mean(b)), "p": p,
            "source": f"detected {first} but not {second}: {only_first}; {second} but not "
                      f"{first}: {only_second} (Cherry, 1953: voice noticed, language not)"}


SHADOW_MEASURES = {"shadow_proportion": "share shadowed", "shadow_median_lag_s": "lag s"}


def _shadowing_rows(trials):
    """Means over participants (each participant's messages averaged first):
    all messages, per manipulation, per attended ear."""
    said = shadowed_messages(trials)
    if said.empty:
        return []
    rows = []
    groups = [("all messages", said)]
    groups += [(m, said[said["manipulation"] == m]) for m in MANIPULATIONS]
    if "attended_ear" in said:
        groups += [(f"{ear} ear", said[said["attended_ear"] == ear]) for ear in EARS]
    for level, sel in groups:
        if sel.empty:
            continue
        people = sel.groupby("participant")[list(SHADOW_MEASURES)].mean()
        for column, name in SHADOW_MEASURES.items():
            rows.append({"test": "shadowing", "measure": f"{name}: {level}", "ci_method": "t",
                         **mean_ci_row(people[column])})
    return rows


def _recognition_rows(participants):
    measures = ("hit_rate_unattended", "hit_rate_attended", "false_alarm_rate",
                "dprime_unattended", "dprime_attended", "criterion_c")
    if not len(participants):
        return []
    people = per_participant(participants, measures)
    rows = [{"test": "recognition", "measure": m, "ci_method": "t",
             **mean_ci_row(people[m].astype(float))} for m in measures]
    for m in ("dprime_unattended", "dprime_attended"):
        rows.append({"test": "t_test", "measure": m, "ci_method": "t",
                     **t_test_row(people[m].astype(float))})
    diff = people["dprime_attended"].astype(float) - people["dprime_unattended"].astype(float)
    rows.append({"test": "paired_t_test", "measure": "dprime_attended - dprime_unattended",
                 "ci_method": "t", **t_test_row(diff),
                 "source": "Moray (1959): words repeated 35 times in the unattended ear "
                           "were not recognised"})
    return rows


def report_tables(group: pd.DataFrame) -> list:
    """The report's tables, titled for a reader."""
    titles = {
        "detection": "Something unusual reported, per manipulation (exact 95% CI)",
        "identification": "The change named correctly",
        "first_message": "First test message only (before any question)",
        "published": "Published comparison (Cherry 1953; Moray 1959; Wood & Cowan 1995)",
        "mcnemar": "Voice change vs language change (exact McNemar test)",
        "binomial": "Own name against a third (exact binomial test)",
        "shadowing": "Shadowing: share of attended words repeated and lag in seconds "
                     "(means over participants, t 95% CI)",
        "recognition": "Recognition test (means over participants)",
        "t_test": "d' against 0 (t-test)",
        "paired_t_test": "Attended vs unattended words (paired t-test of d')",
    }
    return titled_tables(group, titles)


# -- figures -------------------------------------------------------------------------------
def figures(participants: pd.DataFrame, used=None) -> dict:
    """``detection`` (needs the trials in ``used``) and ``recognition``."""
    from attentionlab.core.figures import styled

    trials = used if used is not None else pd.DataFrame()
    figs = {"detection": styled(detection_figure)(trials),
            "recognition": styled(recognition_figure)(participants)}
    if "shadow_scored_by" in trials and not shadowed_messages(trials).empty:
        figs["shadowing"] = styled(shadowing_figure)(trials)
    return figs


def detection_figure(trials: pd.DataFrame):
    from attentionlab.core import figures as fig_helpers

    fig, ax = fig_helpers.new_axes((fig_helpers.WIDE_IN, 2.8))
    if trials is None or trials.empty or "item" not in trials:
        return fig_helpers.empty(fig, ax, "no detection answers")
    rates = detection_rates(trials)
    if rates.empty:
        return fig_helpers.empty(fig, ax, "no detection answers")
    x = np.arange(len(rates))
    colours = ["#8c8c8c" if m == "none" else "#4c72b0" for m in rates["manipulation"]]
    ax.bar(x, rates["detected"], color=colours, width=0.6)
    err = np.vstack([rates["detected"] - rates["detected_low"],
                     rates["detected_high"] - rates["detected"]])
    ax.errorbar(x, rates["detected"], yerr=err, fmt="none", color="black", capsize=4)
    ax.axhline(NAME_RATE, color="#c44e52", linestyle="--", linewidth=1,
               label="own name, about 1/3 (Moray 1959; Wood & Cowan 1995)")
    ax.set_xticks(x, [f"{m}\n{fig_helpers.count(n, 'message')}"
                      for m, n in zip(rates["manipulation"], rates["n_detected"])])
    fig_helpers.categorical(ax.xaxis, "Change in the unattended ear")
    ax.set_ylabel("Proportion of messages")
    ax.set_ylim(0, 1.25)  # room for the legend above the bars
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.legend(loc="upper left")
    ax.set_title("Change reported (exact 95% CIs)")
    return fig


def shadowing_figure(trials: pd.DataFrame):
    from attentionlab.core import figures as fig_helpers

    fig, ax = fig_helpers.new_axes((fig_helpers.FULL_IN, 2.8))
    said = shadowed_messages(trials)
    levels = [(m, said[said["manipulation"] == m]) for m in MANIPULATIONS]
    levels += [(f"{ear} ear", said[said["attended_ear"] == ear]) for ear in EARS]
    levels = [(name, sel) for name, sel in levels if len(sel)]
    for x, (name, sel) in enumerate(levels):
        people = sel.groupby("participant")["shadow_proportion"].mean()
        row = mean_ci_row(people)
        ax.bar(x, row["mean"], width=0.6, color="#dd8452" if name.endswith("ear")
               else "#4c72b0")
        if "ci95_high" in row:
            ax.errorbar(x, row["mean"], yerr=row["ci95_high"] - row["mean"], fmt="none",
                        color="black", capsize=4)
        ax.scatter(np.full(len(people), x), people, s=8, color="0.5", zorder=3)
    counts = [sel["participant"].nunique() for _, sel in levels]
    same = len(set(counts)) == 1  # one count in the title, else one under each bar
    ax.set_xticks(range(len(levels)),
                  [name if same else f"{name}\n{n} {'person' if n == 1 else 'people'}"
                   for (name, _), n in zip(levels, counts)])
    fig_helpers.categorical(ax.xaxis, "Message")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("Proportion of words repeated")
    total = said["participant"].nunique()
    ax.set_title(f"Attended words repeated: mean, {fig_helpers.ci_words(total)}; dots: "
                 f"participants (n = {fig_helpers.count(total, 'participant')})")
    return fig


def recognition_figure(participants: pd.DataFrame):
    from attentionlab.core import figures as fig_helpers

    fig, ax = fig_helpers.new_axes()
    measures = ("dprime_unattended", "dprime_attended")
    people = per_participant(participants, measures) if len(participants) else participants
    data = people[list(measures)].astype(float).dropna() if len(people) else None
    if data is None or data.empty:
        return fig_helpers.empty(fig, ax, "no recognition answers")
    x = np.arange(2)
    for row in data.to_numpy():
        ax.plot(x, row, color="0.75", linewidth=0.8, zorder=1)
    for i, m in enumerate(measures):
        row = mean_ci_row(data[m])
        half = row["ci95_high"] - row["mean"] if "ci95_high" in row else None
        ax.errorbar(i, row["mean"], yerr=half, fmt="o", color="black", capsize=5, zorder=2)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(x, ["repeated in the\nunattended ear", "from the\nattended message"])
    fig_helpers.categorical(ax.xaxis, "Recognised words")
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylabel("d′ against new words (z units)")
    ax.set_title(f"Mean, {fig_helpers.ci_words(len(data))}; "
                 f"n = {fig_helpers.count(len(data), 'participant')}")
    return fig


# -- words ------------------------------------------------------------------------------------
def _seconds(value) -> str:
    """Two decimals, without the minus of a negative zero."""
    return f"{round(float(value), 2) + 0.0:.2f}"


def _rate_text(row):
    return (f"{row['k']:.0f}/{row['n']:.0f} = {row['mean']:.2f} "
            f"[{row['ci95_low']:.2f}, {row['ci95_high']:.2f}]")


def methods_paragraph(result) -> str:
    """The dichotic part of the methods paragraph."""
    group = result.group
    text = ["After each message participants reported whether anything unusual had "
            "happened in the unattended ear; a report of any change counted as a "
            "detection. Detection rates were pooled over participants with exact "
            "(Clopper-Pearson) 95% confidence intervals. Recognition was scored as d' "
            "against new words with the log-linear correction (Hautus, 1995)."]
    parts = [f"{m} {_rate_text(r)}" for m in MANIPULATIONS
             if (r := group_row(group, "detection", m)) is not None]
    if parts:
        text.append("Detection: " + "; ".join(parts) + ".")
    pair = group_row(group, "mcnemar", "voice - language")
    if pair is not None:
        text.append(f"Voice changes were detected more often than language changes by "
                    f"{pair['mean']:.2f} (exact McNemar test, {format_p(pair['p'])}, n = "
                    f"{pair['n']:.0f}); Cherry (1953) reported voice changes noticed and a "
                    f"change to German unnoticed.")
    name = group_row(group, "binomial", "name vs 1/3")
    if name is not None:
        text.append(f"The own name was heard after {name['mean']:.2f} of the name messages "
                    f"(exact binomial test against 1/3, {format_p(name['p'])}; Moray, 1959, "
                    f"and Wood & Cowan, 1995, found about a third).")
    shadow = group_row(group, "shadowing", "share shadowed: all messages")
    lag = group_row(group, "shadowing", "lag s: all messages")
    if shadow is not None:
        people = result.participants
        n_msg = int(people["shadow_messages"].sum()) if "shadow_messages" in people else 0
        n_hand = int(people["shadow_hand_scored"].sum()) if "shadow_hand_scored" in people \
            else 0
        text.append(f"Shadowing was recorded and scored by speech recognition (PocketSphinx, "
                    f"constrained to the words of both passages and aligned in time with "
                    f"the attended one) or by hand ({n_hand} of {n_msg} messages; hand "
                    f"scores take precedence, lags come from the recogniser): "
                    f"participants repeated {shadow['mean']:.2f} of the attended words"
                    + (f" with a median lag of {_seconds(lag['mean'])} s" if lag is not None
                       and not np.isnan(lag["mean"]) else "")
                    + f" (n = {shadow['n']:.0f}).")
    diff = group_row(group, "paired_t_test", "dprime_attended - dprime_unattended")
    un = group_row(group, "t_test", "dprime_unattended")
    if un is not None and not np.isnan(un["t"]):
        text.append(f"d' of the words repeated in the unattended ear: "
                    f"{apa_t(un, unit='', digits=2)}.")
    if diff is not None and not np.isnan(diff["t"]):
        text.append(f"Attended minus unattended d': {apa_t(diff, unit='', digits=2)}.")
    return " ".join(text)


def headline(result) -> list:
    """One line per manipulation and one for recognition."""
    group = result.group
    lines = []
    for m in MANIPULATIONS:
        r = group_row(group, "detection", m)
        if r is not None:
            lines.append(f"Detected {m}: {_rate_text(r)} (exact 95% CI)")
    shadow = group_row(group, "shadowing", "share shadowed: all messages")
    if shadow is not None:
        lag = group_row(group, "shadowing", "lag s: all messages")
        lines.append(f"Shadowing: {shadow['mean']:.2f} of attended words repeated"
                     + (f", median lag {_seconds(lag['mean'])} s" if lag is not None
                        and not np.isnan(lag["mean"]) else "")
                     + f" (n = {shadow['n']:.0f})")
        people = result.participants
        flagged = int(people["shadow_flagged"].fillna(0).sum()) \
            if "shadow_flagged" in people else 0
        if flagged:  # automatic scores the scorer is unsure of (shadowing_sessions)
            lines.append(f"Shadowing: {flagged} message(s) flagged as unsure: check them "
                         f"with 'attentionlab score shadowing' (they come first)")
    un, at = (group_row(group, "recognition", m) for m in ("dprime_unattended", "dprime_attended"))
    if un is not None and at is not None and un["n"] > 0:
        lines.append(f"Recognition d': unattended repeated words {un['mean']:.2f}, attended "
                     f"words {at['mean']:.2f} (n = {un['n']:.0f})")
    return lines


def notices(result) -> list:
    """One participant; manipulations or parts of the session without trials."""
    from attentionlab.analysis.notices import absent_levels, one_participant

    lines = one_participant(result, (
        "each detection rate is this participant's own answers, with a 95% CI spanning "
        "most of 0-100%; the comparisons with the published rates and between "
        "manipulations, and the t-tests of recognition d', need more participants"))
    test = result.test
    messages = test[test["item"] == "detection"]
    absent = absent_levels(messages, "manipulation", CHANGES)
    if absent and len(messages):
        lines.append(f"No message with the change(s) {', '.join(absent)}: their detection "
                     f"rates were not computed"
                     + ("; nor the own-name rate's comparison with a third (Moray, 1959)"
                        if "name" in absent else "")
                     + ("; nor voice against language (Cherry, 1953)"
                        if {"voice", "language"} & set(absent) else "") + ".")
    for item, what in (("detection", "no detection questions: no detection rates"),
                       ("recognition", "no recognition test: no recognition d'")):
        if item in absent_levels(test, "item", ITEMS):
            lines.append(f"The data have {what}.")
    return lines
