"""Simulated dichotic-listening participants: what gets through from the unattended ear.

A participant notices each manipulation of the unattended message with their
own probability (drawn around the population's rate on the logit scale),
names it correctly with probability ``identify`` (else reports another
change), and sometimes reports a change that was not there
(``false_report``). The recognition test follows signal detection theory:
a word's familiarity is normal with mean d' (per word type: 0 for new
words) and the participant says "yes" above their criterion
(``criterion`` = c, positive = conservative).

Defaults follow the published findings (sources in docs/simulation.md):
voice and tone changes almost always noticed, a change to German almost
never, reversed speech sometimes (Cherry, 1953); the own name heard by about a
third (Moray, 1959; Wood & Cowan, 1995); words repeated in the unattended
ear not recognised (Moray, 1959).

>>> import numpy as np
>>> from attentionlab.stimuli.dichotic import DichoticParams
>>> model = Population().draw(np.random.default_rng(1), DichoticParams())
>>> model.report("tone", np.random.default_rng(2))[0] in ("tone", "voice", "language",
...     "reversed", "name", "nothing")
True
"""

import math
from dataclasses import dataclass, field

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.stimuli import dichotic

CHANGES = ("voice", "language", "reversed", "tone", "name")
AUTOPILOT_NAME = "alex"  # what the simulated experimenter types as the first name
ESTIMATED_WORDS_PER_S = 2.3  # espeak-ng at 150 words/min, pauses included


def _logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class Participant:
    """One simulated participant: their rates, d' values, criterion and speeds."""

    detect: dict = field(default_factory=dict)   # manipulation -> P(report something)
    false_report: float = 0.05
    identify: float = 0.8
    dprime: dict = field(default_factory=dict)   # word type -> mean familiarity
    criterion: float = 0.3
    report_rt_ms: float = 3000.0
    recognition_rt_ms: float = 1200.0
    headphone_error: float = 0.0
    headphones_swapped: bool = False

    def report(self, manipulation: str, rng: np.random.Generator) -> tuple[str, float]:
        """The answer to "anything unusual in the other ear?" and its RT (ms)."""
        rt = float(self.report_rt_ms * rng.lognormal(0.0, 0.3))
        p = self.false_report if manipulation == "none" else self.detect[manipulation]
        if rng.random() >= p:
            return "nothing", rt
        if manipulation != "none" and rng.random() < self.identify:
            return manipulation, rt
        others = [c for c in CHANGES if c != manipulation]
        return str(others[rng.integers(len(others))]), rt

    def recognise(self, word_type: str, rng: np.random.Generator) -> tuple[bool, float]:
        """Says the word was heard? and the RT (ms). Yes when familiarity
        exceeds d'/2 + c with unit-variance noise (equal-variance SDT, c
        measured from the midpoint of the new and the old distributions of the
        attended words, as usual)."""
        familiarity = rng.normal(self.dprime.get(word_type, 0.0), 1.0)
        threshold = self.dprime["attended"] / 2 + self.criterion
        rt = float(self.recognition_rt_ms * rng.lognormal(0.0, 0.25))
        return bool(familiarity > threshold), rt

    def headphone_answer(self, ear: str, rng: np.random.Generator) -> tuple[str, float]:
        """Which ear the check sound seemed to come from, and the RT (ms)."""
        heard = ("right" if ear == "left" else "left") if self.headphones_swapped else ear
        if rng.random() < self.headphone_error:
            heard = "right" if heard == "left" else "left"
        return heard, float(700 * rng.lognormal(0.0, 0.2))


@dataclass(frozen=True)
class Population:
    """Group-level detection rates, recognition sensitivity and their spread.

    Set with ``--set NAME=VALUE`` on ``attentionlab simulate dichotic`` (and
    with ``--autopilot`` on ``attentionlab run dichotic``).
    """

    detect_voice: float = param(0.90, "probability of noticing a voice change (man <-> woman)",
                                min=0, max=1)
    detect_language: float = param(0.10, "probability of noticing a change to German",
                                   min=0, max=1)
    detect_reversed: float = param(0.35, "probability of noticing reversed speech",
                                   min=0, max=1)
    detect_tone: float = param(0.95, "probability of noticing a pure tone", min=0, max=1)
    detect_name: float = param(0.33, "probability of hearing one's own name", min=0, max=1)
    detect_sd: float = param(0.5, "between-participant SD of the detection rates (logit "
                             "scale)", min=0, max=5)
    false_report: float = param(0.05, "probability of reporting a change when there was "
                                "none", min=0, max=1)
    identify: float = param(0.8, "probability that a noticed change is named correctly",
                            min=0, max=1)
    dprime_attended: float = param(1.5, "recognition d' of words from the attended message",
                                   min=-3, max=6)
    dprime_unattended: float = param(0.0, "recognition d' of the words repeated in the "
                                     "unattended ear", min=-3, max=6)
    dprime_sd: float = param(0.4, "between-participant SD of both d' values", min=0, max=3)
    criterion: float = param(0.3, "response criterion c (positive: says 'no' more often)",
                             min=-3, max=3)
    criterion_sd: float = param(0.3, "between-participant SD of the criterion", min=0,
                                max=3)
    report_rt_ms: float = param(3000.0, "median time to click an answer to the question",
                                unit="ms", min=300, max=20000)
    recognition_rt_ms: float = param(1200.0, "median time to answer a recognition word",
                                     unit="ms", min=200, max=10000)
    headphone_error: float = param(0.0, "probability of a wrong answer in the headphone "
                                   "check", min=0, max=1)
    headphones_swapped: bool = param(False, "headphones worn the wrong way round (every "
                                     "headphone-check answer is the other ear)")

    def draw(self, rng: np.random.Generator, params=None) -> Participant:
        """One participant: own detection rates, d' values and criterion."""
        detect = {m: _expit(rng.normal(_logit(getattr(self, f"detect_{m}")), self.detect_sd))
                  for m in CHANGES}
        shift = rng.normal(0.0, self.dprime_sd)
        dprime = {"attended": self.dprime_attended + shift,
                  "unattended_repeated": self.dprime_unattended + shift
                  + rng.normal(0.0, self.dprime_sd) * 0.5,
                  "new": 0.0}
        return Participant(
            detect=detect, false_report=self.false_report, identify=self.identify,
            dprime=dprime, criterion=float(rng.normal(self.criterion, self.criterion_sd)),
            report_rt_ms=self.report_rt_ms, recognition_rt_ms=self.recognition_rt_ms,
            headphone_error=self.headphone_error, headphones_swapped=self.headphones_swapped)


def outcomes(params: dichotic.DichoticParams, model: Participant, trials: list,
             rng: np.random.Generator) -> list:
    """One :class:`Outcome` per item, on the simulated session clock: a second
    before each screen, a message as long as its text takes to say, each
    question as long as its answer took.

    No sound is played, so the playback facts (``message_duration_ms``,
    ``change_onset_ms``, ``audio_onset_s``, the recording, ...) are absent
    and those columns stay empty (``dichotic.PLAYBACK_COLUMNS``).
    """
    yes_key, no_key = params.yes_no_keys
    out, clock = [], 5.0
    for item in trials:
        clock += 1.0
        outcome = Outcome(onset_s=round(clock, 4))
        if item.item == "message":
            clock += _estimated_seconds(params, item.attended_passage)
        elif item.item == "detection":
            outcome.response, outcome.rt_ms = model.report(item.manipulation, rng)
            clock += outcome.rt_ms / 1000
        else:
            said_old, outcome.rt_ms = model.recognise(item.word_type, rng)
            outcome.response = yes_key if said_old else no_key
            clock += outcome.rt_ms / 1000
        outcome.end_s = clock
        out.append(outcome)
    return out


def _estimated_seconds(params, passage_id):
    """How long a message would last (built-in texts: from their word counts)."""
    from attentionlab.stimuli.dichotic_texts import PASSAGES

    passage = PASSAGES.get(params.passage_set, {}).get(passage_id)
    return len(passage.text.split()) / ESTIMATED_WORDS_PER_S if passage else 60.0
