"""Simulated participant for the illusory-conjunctions task.

Two levels, as for the Stroop model (attentionlab/simulation/stroop.py): a
**population** (:class:`Population`: group means and between-participant
SDs) and a **participant** (:class:`ConjunctionsModel`) drawn from it, who
answers each trial with its own randomness.

Per trial the participant types the two digits (wrong with probability
``digit_error``: one of the two is replaced by another digit), then reports
the three letters in a random order. Each report is, independently,

* a **conjunction error** with probability ``p_conjunction`` (the letter in
  the colour of one of the two other letters, either equally likely),
* a **feature error** with probability ``p_feature`` (the letter in one of the
  colours not in the display),
* a **letter error** with probability ``p_letter`` (a letter that was not
  shown, in any offered colour), and
* correct otherwise.

Defaults and sources: docs/simulation.md. The same model drives the
autopilot (typed digits and clicks in a real session) and ``attentionlab
simulate conjunctions``.

>>> import random
>>> import numpy as np
>>> from attentionlab.stimuli.conjunctions import ConjunctionsParams, make_trials
>>> trial = make_trials(ConjunctionsParams(), random.Random(1), n_trials=2)[0]
>>> model = Population().draw(np.random.default_rng(1))
>>> answer = model.respond(trial, np.random.default_rng(2))
>>> len(answer.typed), len(answer.reports), len(answer.click_ms)
(2, 3, 3)
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.stimuli import conjunctions as task
from attentionlab.stimuli.conjunctions import ConjunctionsParams, ConjunctionsTrial

NOMINAL_HZ = 60.0  # simulated sessions are "shown" at 60 Hz, like a software-paced display
MIN_DIGIT_RT_MS = 250.0
MIN_KEY_GAP_MS = 120.0
MIN_CLICK_MS = 400.0
DIGITS_SHOWN_MS = 300.0  # the typed digits stay on screen this long (as in the presenter)


@dataclass(frozen=True)
class Answer:
    """What one simulated participant does on one trial.

    ``typed`` (two digits, in typing order), ``first_digit_ms`` (from display
    onset), ``key_gap_ms`` (second digit after the first), ``reports``
    [(letter, colour)] in click order, ``click_ms`` (each click after the
    previous one, the first after the report grid appears).
    """

    typed: str
    first_digit_ms: float
    key_gap_ms: float
    reports: tuple
    click_ms: tuple


@dataclass(frozen=True)
class ConjunctionsModel:
    """One simulated participant. Rates are per report (or per trial for the
    digits), times in ms."""

    digit_error: float = 0.10
    p_conjunction: float = 0.065
    p_feature: float = 0.02
    p_letter: float = 0.02
    digit_rt_ms: float = 1100.0
    digit_rt_trial_sd_ms: float = 250.0
    key_gap_ms: float = 300.0
    click_ms: float = 1300.0
    click_trial_sd_ms: float = 350.0

    def respond(self, trial: ConjunctionsTrial, rng: np.random.Generator) -> Answer:
        """This participant's answer to ``trial``."""
        typed = self._digits(trial, rng)
        first = max(MIN_DIGIT_RT_MS, rng.normal(self.digit_rt_ms, self.digit_rt_trial_sd_ms))
        gap = max(MIN_KEY_GAP_MS, rng.normal(self.key_gap_ms, self.key_gap_ms / 4))
        reports = self._reports(trial, rng)
        clicks = tuple(float(max(MIN_CLICK_MS, rng.normal(self.click_ms,
                                                          self.click_trial_sd_ms)))
                       for _ in reports)
        return Answer(typed, float(first), float(gap), reports, clicks)

    def _digits(self, trial, rng):
        shown = [trial.digit_left, trial.digit_right]
        if rng.random() < self.digit_error:
            others = [d for d in range(10) if d not in shown]
            shown[int(rng.integers(2))] = int(rng.choice(others))
        return "".join(map(str, shown))

    def _reports(self, trial, rng):
        letters, colours = list(trial.letters), list(trial.colours)
        p_correct = max(0.0, 1.0 - self.p_conjunction - self.p_feature - self.p_letter)
        probs = np.array([p_correct, self.p_feature, self.p_conjunction, self.p_letter])
        reported, reports = set(), []
        for position in rng.permutation(len(letters)):
            letter, colour = letters[position], colours[position]
            kind = task.OUTCOMES[int(rng.choice(4, p=probs / probs.sum()))]
            unshown = [x for x in trial.letter_choices if x not in letters and x not in reported]
            if kind == "letter_error" and unshown:
                letter = str(rng.choice(unshown))
                colour = str(rng.choice(list(trial.colour_choices)))
            elif kind == "conjunction_error":
                colour = str(rng.choice([c for c in colours if c != colour]))
            elif kind == "feature_error":
                colour = str(rng.choice([c for c in trial.colour_choices if c not in colours]))
            reported.add(letter)
            reports.append((letter, colour))
        return tuple(reports)


@dataclass(frozen=True)
class Population:
    """Group-level error rates and times, with between-participant SDs
    (``*_sd``). Change with ``--set NAME=VALUE`` on ``attentionlab simulate``
    and with ``--autopilot``."""

    conjunction_rate: float = param(0.065, "mean probability that a report is an illusory "
                                    "conjunction", min=0, max=0.9)
    conjunction_sd: float = param(0.03, "between-participant SD of conjunction_rate", min=0,
                                  max=0.5)
    feature_rate: float = param(0.02, "mean probability that a report is a feature error",
                                min=0, max=0.9)
    feature_sd: float = param(0.01, "between-participant SD of feature_rate", min=0, max=0.5)
    letter_error_rate: float = param(0.02, "mean probability that a report names a letter "
                                     "that was not shown", min=0, max=0.9)
    letter_error_sd: float = param(0.01, "between-participant SD of letter_error_rate", min=0,
                                   max=0.5)
    digit_error_rate: float = param(0.10, "mean probability of a wrong digit report", min=0,
                                    max=1)
    digit_error_sd: float = param(0.04, "between-participant SD of digit_error_rate", min=0,
                                  max=0.5)
    digit_rt_ms: float = param(1100.0, "mean time from display onset to the first digit",
                               unit="ms", min=300, max=10000)
    digit_rt_sd_ms: float = param(200.0, "between-participant SD of digit_rt_ms", unit="ms",
                                  min=0, max=5000)
    click_ms: float = param(1300.0, "mean time per letter report (click after the previous "
                            "one)", unit="ms", min=400, max=20000)
    click_sd_ms: float = param(300.0, "between-participant SD of click_ms", unit="ms", min=0,
                               max=10000)

    def draw(self, rng: np.random.Generator, params=None) -> ConjunctionsModel:
        """One participant: their own rates (clipped to 0..0.9; the three
        report error rates scaled down together if they add up to more than
        0.9) and their own speeds. ``params`` is not needed (accepted for the
        common interface)."""
        def rate(mean, sd):
            return float(np.clip(rng.normal(mean, sd), 0.0, 0.9))

        conj = rate(self.conjunction_rate, self.conjunction_sd)
        feat = rate(self.feature_rate, self.feature_sd)
        lett = rate(self.letter_error_rate, self.letter_error_sd)
        total = conj + feat + lett
        if total > 0.9:
            conj, feat, lett = (x * 0.9 / total for x in (conj, feat, lett))
        return ConjunctionsModel(
            digit_error=float(np.clip(rng.normal(self.digit_error_rate, self.digit_error_sd),
                                      0.0, 1.0)),
            p_conjunction=conj, p_feature=feat, p_letter=lett,
            digit_rt_ms=float(max(300.0, rng.normal(self.digit_rt_ms, self.digit_rt_sd_ms))),
            click_ms=float(max(MIN_CLICK_MS, rng.normal(self.click_ms, self.click_sd_ms))))


def frames_for_ms(duration_ms: float, refresh_hz: float = NOMINAL_HZ) -> int:
    """Whole frames for a duration, as the session's frame pacer counts them
    (kept here so that analysis never imports the presentation package)."""
    if duration_ms <= 0:
        return 0
    return max(1, round(duration_ms / 1000.0 * refresh_hz))


def outcomes(params: ConjunctionsParams, model: ConjunctionsModel, trials: list,
             rng: np.random.Generator) -> list[Outcome]:
    """What this participant does on each trial (practice then test, as
    planned), on the simulated session clock: a 60 Hz display, the staircase
    run on the simulated digit reports (``next_exposure_ms``, as the
    presenter runs it), the digits never typed before the mask is over.
    ``end_s`` is the moment the last report is clicked; practice feedback and
    the inter-trial interval follow it.

    >>> trials = task.make_plan(ConjunctionsParams(trials=2, practice_trials=0), "sim1", 5)
    >>> model = Population().draw(np.random.default_rng(1))
    >>> first = outcomes(ConjunctionsParams(), model, trials["test"], np.random.default_rng(2))[0]
    >>> first.onset_s, len(first.response), len(first.details["reports"])
    (2.5, 2, 3)
    """
    period_ms = 1000.0 / NOMINAL_HZ
    level = float(params.display_ms)
    out, clock = [], 2.0
    for trial in trials:
        answer = model.respond(trial, rng)
        frames = frames_for_ms(level)
        clock += params.fixation_ms / 1000
        onset = clock
        shown_ms = (frames + frames_for_ms(params.mask_ms)) * period_ms
        first = max(answer.first_digit_ms, shown_ms + MIN_KEY_GAP_MS)
        clock += (first + answer.key_gap_ms + DIGITS_SHOWN_MS + sum(answer.click_ms)) / 1000
        exposure_ms = round(frames * period_ms, 4)
        outcome = Outcome(
            onset_s=round(onset, 4), response=answer.typed, rt_ms=round(first, 3),
            details={"requested_exposure_ms": level, "exposure_frames": frames,
                     "exposure_ms": exposure_ms, "exposure_measured_ms": exposure_ms,
                     "reports": list(answer.reports)},
            end_s=clock)
        out.append(outcome)
        level = task.next_exposure_ms(level, trial, outcome, params)
        clock += (params.feedback_ms if trial.phase == "practice" else 0) / 1000
        clock += params.iti_ms / 1000
    return out
