"""Inattention simulation: a participant who notices the unexpected object
with a programmed probability per phase, and its answers on each trial.

Model (defaults and sources: docs/simulation.md, section "Inattention"):
on an object trial the participant notices it with probability
``notice_fixation`` or ``notice_parafovea`` (inattention phase, by where the
object appears), ``notice_divided`` or ``notice_full``; having noticed, they
pick the right shape in the recognition display with ``identify_rate``,
otherwise they guess among the shapes. On trials without an object they say
"yes" with ``false_yes`` (full phase, where they are asked every trial).
The cross is judged right with ``arm_accuracy``.

>>> import numpy as np
>>> model = Population().draw(np.random.default_rng(1))
>>> model.notice_inattention
0.25
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.stimuli import inattention


@dataclass(frozen=True)
class InattentionModel:
    """One simulated participant. Probabilities, and times in ms."""

    notice_inattention: float = 0.25
    notice_divided: float = 0.85
    notice_full: float = 0.97
    identify_rate: float = 0.75
    false_yes: float = 0.03
    arm_accuracy: float = 0.85
    arm_rt_ms: float = 1200.0
    notice_rt_ms: float = 1500.0
    recognition_ms: float = 2500.0

    def notice_probability(self, attention: str) -> float:
        return {"inattention": self.notice_inattention, "divided": self.notice_divided,
                "full": self.notice_full}[attention]

    def answer(self, trial, rng: np.random.Generator) -> dict:
        """The participant's answers to one trial: ``arm`` (or ''), ``noticed``
        (None when not asked), ``choice`` (shape, or ''), and their times."""
        out = {"arm": "", "noticed": None, "choice": "",
               "arm_rt_ms": _time(rng, self.arm_rt_ms), "notice_rt_ms": _time(rng, self.notice_rt_ms),
               "recognition_ms": _time(rng, self.recognition_ms)}
        if trial.attention != "full":
            right = rng.random() < self.arm_accuracy
            other = [a for a in inattention.ARMS if a != trial.longer_arm][0]
            out["arm"] = trial.longer_arm if right else other
        asked = trial.critical or trial.attention == "full"
        if trial.critical:
            seen = bool(rng.random() < self.notice_probability(trial.attention))
            out["noticed"] = int(seen)
            options = list(trial.recognition_options)
            if seen and rng.random() < self.identify_rate:
                out["choice"] = trial.object_shape
            else:
                out["choice"] = options[int(rng.integers(len(options)))]
        elif asked:
            out["noticed"] = int(rng.random() < self.false_yes)
        return out


def _time(rng, mean_ms):
    """A positive, right-skewed time around ``mean_ms`` (log-normal, CV about 0.3)."""
    return float(mean_ms * rng.lognormal(-0.045, 0.3))


@dataclass(frozen=True)
class Population:
    """How often the unexpected object is noticed in each phase, and the rest.

    Change with ``--set NAME=VALUE`` on ``attentionlab simulate`` (and with
    ``run --autopilot``). Each person gives one critical trial, so there is
    no between-participant spread to set: a person notices or not.
    """

    notice_fixation: float = param(0.25, "probability of noticing the object on the "
                                   "critical trial when it appears at fixation",
                                   min=0.0, max=1.0)
    notice_parafovea: float = param(0.75, "the same when it appears in the parafovea",
                                    min=0.0, max=1.0)
    notice_divided: float = param(0.85, "probability of noticing it on the divided-"
                                  "attention trial", min=0.0, max=1.0)
    notice_full: float = param(0.97, "probability of noticing it on the full-attention "
                               "trial", min=0.0, max=1.0)
    identify_rate: float = param(0.75, "probability of picking the right shape after "
                                 "noticing (else a guess)", min=0.0, max=1.0)
    false_yes: float = param(0.03, "probability of 'yes' on a trial without an object "
                             "(full phase)", min=0.0, max=1.0)
    arm_accuracy: float = param(0.85, "probability of naming the longer arm", min=0.0,
                                max=1.0)
    arm_rt_ms: float = param(1200.0, "mean time to answer the arm question", unit="ms",
                             min=200, max=20000)
    notice_rt_ms: float = param(1500.0, "mean time to answer the Y/N question", unit="ms",
                                min=200, max=20000)
    recognition_ms: float = param(2500.0, "mean time to click a shape", unit="ms",
                                  min=300, max=30000)

    def draw(self, rng: np.random.Generator, params=None) -> InattentionModel:
        """One participant (the same for everyone: the spread is the coin flip)."""
        location = params.location if params is not None else "fixation"
        first = self.notice_fixation if location == "fixation" else self.notice_parafovea
        return InattentionModel(
            notice_inattention=first, notice_divided=self.notice_divided,
            notice_full=self.notice_full, identify_rate=self.identify_rate,
            false_yes=self.false_yes, arm_accuracy=self.arm_accuracy,
            arm_rt_ms=self.arm_rt_ms, notice_rt_ms=self.notice_rt_ms,
            recognition_ms=self.recognition_ms)


def raw_answers(params, trial, answers: dict) -> Outcome:
    """The participant's answers (``InattentionModel.answer``) as the keys a
    real participant presses and the shape they click; ``onset_s`` is left to
    the caller. ``response`` is the first question's key (the arm, or in the
    full phase the Y/N answer), ``rt_ms`` its time."""
    yes, no = params.yes_no_keys
    arm_key = dict(zip(inattention.ARMS, params.arm_keys)).get(answers["arm"], "")
    notice_key = "" if answers["noticed"] is None else (yes if answers["noticed"] else no)
    details = {"arm_key": arm_key, "notice_key": notice_key,
               "notice_rt_ms": answers["notice_rt_ms"] if notice_key else None,
               "recognition_choice": answers["choice"] if trial.critical else "",
               "recognition_rt_ms": answers["recognition_ms"] if trial.critical else None}
    if trial.attention != "full":
        response, rt_ms = arm_key, answers["arm_rt_ms"]
    else:
        response, rt_ms = notice_key, details["notice_rt_ms"]
    return Outcome(None, response, rt_ms, details)


def outcomes(params: inattention.InattentionParams, model: InattentionModel, trials: list,
             rng: np.random.Generator) -> list:
    """One :class:`Outcome` per trial, on the simulated session clock: the
    fixation, the cross and the mask, then each question as long as its answer
    took, then the interval."""
    out, clock = [], 3.0
    for trial in trials:
        clock += params.fixation_ms / 1000
        onset = clock
        outcome = raw_answers(params, trial, model.answer(trial, rng))
        outcome.onset_s = round(onset, 4)
        clock += (params.cross_ms + params.mask_ms) / 1000
        details = outcome.details
        if trial.attention != "full":
            clock += outcome.rt_ms / 1000
        if details["notice_key"]:
            clock += details["notice_rt_ms"] / 1000
        if trial.critical:
            clock += details["recognition_rt_ms"] / 1000
        clock += params.iti_ms / 1000
        outcome.end_s = clock
        out.append(outcome)
    return out
