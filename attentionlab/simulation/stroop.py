"""The simulated Stroop participant: condition-dependent behaviour.

Two levels, as in a real study:

* a **population** (:class:`StroopPopulation`): the group-level effects and how
  much people differ from one another;
* a **participant** (:class:`StroopModel`), drawn from it, who answers trials
  with trial-to-trial noise.

Stroop RTs are ex-Gaussian (normal(mu, sigma) + exponential(tau)). Neutral is
the baseline; congruent is ``facilitation_ms`` faster, incongruent
``interference_ms - facilitation_ms`` slower, so incongruent - congruent =
``interference_ms``. Errors pick another colour at random; an RT at or past
the deadline is a miss. Defaults and their sources: docs/simulation.md.

The same participant model answers for the autopilot (which presses the keys
in a real PsychoPy session) and for data-only simulation and power analysis.

>>> import numpy as np
>>> model = StroopPopulation().draw(np.random.default_rng(1))
>>> colours, rt_ms = model.respond(np.array(["incongruent"]), np.array(["red"]),
...                                np.random.default_rng(2))
>>> colours.shape, bool(rt_ms[0] > 150)
((1,), True)
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.simulation.registry import MIN_RT_MS
from attentionlab.stimuli import stroop

STROOP_COLOURS = ("red", "green", "blue", "yellow")


@dataclass(frozen=True)
class StroopModel:
    """One simulated Stroop participant. Times in ms, rates as proportions."""

    mu_ms: float = 600.0
    sigma_ms: float = 60.0
    tau_ms: float = 120.0
    interference_ms: float = 70.0
    facilitation_ms: float = 10.0
    error_congruent: float = 0.01
    error_neutral: float = 0.01
    error_incongruent: float = 0.05
    deadline_ms: float = 2000.0

    def respond(self, congruency: np.ndarray, ink: np.ndarray, rng: np.random.Generator):
        """Answers to trials: ``(colour, rt_ms)`` arrays. ``colour`` is the
        colour whose key is pressed, ``''`` for a miss (RT past the deadline;
        the drawn RT is still returned)."""
        congruency = np.asarray(congruency)
        n = len(congruency)
        shift = np.select([congruency == "congruent", congruency == "incongruent"],
                          [-self.facilitation_ms, self.interference_ms - self.facilitation_ms],
                          0.0)
        rt = rng.normal(self.mu_ms + shift, self.sigma_ms, n)
        if self.tau_ms > 0:
            rt = rt + rng.exponential(self.tau_ms, n)
        rt = np.maximum(rt, MIN_RT_MS)
        error_rate = np.select([congruency == "congruent", congruency == "incongruent"],
                               [self.error_congruent, self.error_incongruent],
                               self.error_neutral)
        wrong = rng.random(n) < error_rate
        ink_index = np.searchsorted(np.array(sorted(STROOP_COLOURS)), np.asarray(ink))
        # A wrong answer is one of the three other colours, equally likely.
        offset = rng.integers(1, len(STROOP_COLOURS), n)
        answer_index = np.where(wrong, (ink_index + offset) % len(STROOP_COLOURS), ink_index)
        colours = np.array(sorted(STROOP_COLOURS), dtype=object)[answer_index]
        colours[rt >= self.deadline_ms] = ""
        return colours, rt


@dataclass(frozen=True)
class StroopPopulation:
    """Group-level Stroop effects and between-participant spread (``*_sd``).

    Change with ``--set NAME=VALUE`` on ``attentionlab simulate`` and
    ``power``; each simulated participant draws their own values.
    """

    interference_ms: float = param(70.0, "mean interference (incongruent - congruent RT)",
                                   unit="ms", min=-500, max=1000)
    interference_sd_ms: float = param(35.0, "between-participant SD of the interference",
                                      unit="ms", min=0, max=500)
    facilitation_ms: float = param(10.0, "mean facilitation (neutral - congruent RT)",
                                   unit="ms", min=-500, max=500)
    facilitation_sd_ms: float = param(15.0, "between-participant SD of the facilitation",
                                      unit="ms", min=0, max=500)
    mu_ms: float = param(600.0, "mean of the normal part of neutral RTs (ex-Gaussian mu)",
                         unit="ms", min=200, max=3000)
    mu_sd_ms: float = param(80.0, "between-participant SD of mu", unit="ms", min=0, max=1000)
    sigma_ms: float = param(60.0, "SD of the normal part of RTs (trial noise)", unit="ms",
                            min=0, max=1000)
    tau_ms: float = param(120.0, "mean of the exponential tail (ex-Gaussian tau)", unit="ms",
                          min=0, max=2000)
    tau_sd_ms: float = param(30.0, "between-participant SD of tau", unit="ms", min=0,
                             max=1000)
    error_rate: float = param(0.01, "error rate on congruent and neutral trials", min=0,
                              max=0.75)
    error_cost: float = param(0.04, "extra error rate on incongruent trials", min=-0.5,
                              max=0.75)
    error_sd: float = param(0.005, "between-participant SD of the error rate", min=0,
                            max=0.5)

    def draw(self, rng: np.random.Generator, params=None) -> StroopModel:
        """One participant: their own mu, tau, effects and error rates.
        ``params`` (StroopParams) gives the response deadline (default 2000 ms)."""
        deadline_ms = params.deadline_ms if params is not None else 2000.0
        mu = rng.normal(self.mu_ms, self.mu_sd_ms)
        tau = max(0.0, rng.normal(self.tau_ms, self.tau_sd_ms))
        base_error = float(np.clip(rng.normal(self.error_rate, self.error_sd), 0.0, 0.75))
        return StroopModel(
            mu_ms=float(max(mu, MIN_RT_MS)), sigma_ms=self.sigma_ms, tau_ms=float(tau),
            interference_ms=float(rng.normal(self.interference_ms, self.interference_sd_ms)),
            facilitation_ms=float(rng.normal(self.facilitation_ms, self.facilitation_sd_ms)),
            error_congruent=base_error, error_neutral=base_error,
            error_incongruent=float(np.clip(base_error + self.error_cost, 0.0, 0.75)),
            deadline_ms=float(deadline_ms))


Population = StroopPopulation


def outcomes(params: stroop.StroopParams, model: StroopModel, trials: list,
             rng: np.random.Generator) -> list[Outcome]:
    """What this participant does on ``trials`` (practice then test, as
    planned by :func:`attentionlab.stimuli.stroop.make_plan`), one
    :class:`Outcome` per trial on the simulated session clock (starting at
    2 s): fixation, then the word until the answer (or the deadline), then
    the blank interval.

    With keys the answer is the key of the chosen colour; in voice mode
    (``response=voice``) it is the colour named, the word stays until the
    deadline as in a real vocal session, and there is no recording.
    ``stroop.score`` turns each outcome into the response columns.
    """
    colours, rts = model.respond([t.congruency for t in trials], [t.ink for t in trials], rng)
    out, clock = [], 2.0
    for trial, colour, rt in zip(trials, colours, rts):
        clock += params.fixation_ms / 1000
        onset = clock
        answered = bool(colour)
        rt_ms = float(rt) if answered else None
        if trial.response_mode == "voice":
            clock += (params.deadline_ms + params.iti_ms) / 1000
            if trial.phase == "practice":
                clock += params.feedback_ms / 1000
            out.append(Outcome(round(onset, 4), colour if answered else "", rt_ms,
                               details={"heard_colour": colour, "voice_onset_ms": rt_ms},
                               end_s=clock))
        else:
            clock += (rt if answered else params.deadline_ms) / 1000 + params.iti_ms / 1000
            if trial.phase == "practice":  # a real session shows feedback after each
                clock += params.feedback_ms / 1000
            out.append(Outcome(round(onset, 4), trial.key_for(colour) if answered else "",
                               rt_ms, end_s=clock))
    return out
