"""Inattention simulation: a participant who notices the unexpected object
with a programmed probability per phase, and whole simulated sessions.

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

import datetime
import random
from dataclasses import dataclass

import numpy as np

from attentionlab.simulation.registry import SIMULATED_START as START
from attentionlab.core.params import param
from attentionlab.stimuli import inattention
from attentionlab.stimuli.stroop import counterbalance_index


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


def outcome(params, trial, answers: dict) -> dict:
    """The response columns of one trial from the participant's answers."""
    arm_key = dict(zip(inattention.ARMS, params.arm_keys))
    yes, no = params.yes_no_keys
    row = {"arm_response": answers["arm"] or "", "arm_correct": None, "noticed": None,
           "notice_rt_ms": None, "recognition_choice": "", "identified": None,
           "recognition_rt_ms": None}
    if trial.attention != "full":
        row.update(arm_correct=int(answers["arm"] == trial.longer_arm),
                   response=arm_key[answers["arm"]], rt_ms=answers["arm_rt_ms"],
                   correct=int(answers["arm"] == trial.longer_arm))
    if answers["noticed"] is not None:
        row.update(noticed=answers["noticed"], notice_rt_ms=answers["notice_rt_ms"])
        if trial.attention == "full":
            said_yes = bool(answers["noticed"])
            row.update(response=yes if said_yes else no, rt_ms=answers["notice_rt_ms"],
                       correct=int(said_yes == bool(trial.critical)))
    if trial.critical:
        row.update(recognition_choice=answers["choice"],
                   identified=int(answers["choice"] == trial.object_shape),
                   recognition_rt_ms=answers["recognition_ms"])
    return row


def session_rows(params: inattention.InattentionParams, model: InattentionModel,
                 participant: str, session: str, run: int, seed: int,
                 rng: np.random.Generator) -> list:
    """The rows a real session of this participant would have written."""
    group = counterbalance_index(participant, 2**31)
    trials = inattention.make_trials(params, random.Random(seed), "test", group)
    rows, clock = [], 3.0
    for index, trial in enumerate(trials, start=1):
        clock += params.fixation_ms / 1000
        onset = clock
        answers = model.answer(trial, rng)
        row = outcome(params, trial, answers)
        clock += (params.cross_ms + params.mask_ms) / 1000
        for key in ("rt_ms", "notice_rt_ms", "recognition_rt_ms"):
            if row.get(key) is not None and not (key == "rt_ms" and trial.attention == "full"):
                clock += row[key] / 1000
        clock += params.iti_ms / 1000
        rows.append({
            "participant": participant, "session": session, "task": inattention.TASK,
            "run": run, "trial_index": index, **trial.row(), "onset_s": round(onset, 4),
            "response": "", "rt_ms": None, "correct": None, **row,
            "dropped_frames": 0, "simulated": 1,
            "timestamp": (START + datetime.timedelta(seconds=clock)).isoformat(
                timespec="milliseconds"),
        })
    return rows
