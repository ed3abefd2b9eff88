"""The simulated Posner-cueing participant: orienting that depends on cue type and SOA.

Two levels, as in a real study: a **population** (:class:`PosnerPopulation`,
group means and between-participant SDs, ``--set`` names) and a
**participant** (:class:`PosnerModel`) drawn from it, who answers each trial
with trial-to-trial noise.

RTs are ex-Gaussian (Normal(mu, sigma) + Exponential(tau)), shifted by the cue:

* the neutral cue is the baseline; an alerting gain makes every RT shorter as
  the SOA grows: ``- alerting_ms * (1 - exp(-soa / 200 ms))``;
* **endogenous** (arrow): valid ``- benefit * g``, invalid ``+ cost * g``,
  ``g = 1 - exp(-soa / endo_rise_ms)`` (voluntary orienting needs a few
  hundred ms to build up: Müller & Rabbitt, 1989);
* **exogenous** (brightening): a validity effect ``V(soa) = F exp(-(soa /
  exo_decay_ms)^2) - I (1 - exp(-(soa / ior_onset_ms)^2))``, facilitation
  early and inhibition of return (invalid faster) from about 300 ms on
  (Posner & Cohen, 1984; Klein, 2000), split equally into benefit and cost.

A dot is missed with ``miss_rate`` (a lapse) or when the RT reaches the
deadline; a catch trial gets a press (false alarm) with ``false_alarm_rate``,
at an RT drawn like a neutral trial's. Defaults and their sources:
docs/simulation.md.

>>> import numpy as np
>>> m = PosnerPopulation().draw(np.random.default_rng(1))
>>> pressed, rt = m.respond(["endogenous"], ["valid"], [600], np.random.default_rng(2))
>>> bool(pressed[0]), bool(rt[0] > 150)
(True, True)
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.simulation.registry import MIN_RT_MS

ALERTING_RISE_MS = 200.0  # time constant of the alerting (warning-signal) gain
START_S = 2.0  # the first trial starts this long after the session clock (as in Stroop)


@dataclass(frozen=True)
class PosnerModel:
    """One simulated participant. Times in ms, rates as proportions."""

    mu_ms: float = 290.0
    sigma_ms: float = 35.0
    tau_ms: float = 60.0
    alerting_ms: float = 25.0
    endo_benefit_ms: float = 12.0
    endo_cost_ms: float = 18.0
    endo_rise_ms: float = 150.0
    exo_facilitation_ms: float = 35.0
    exo_decay_ms: float = 200.0
    ior_ms: float = 20.0
    ior_onset_ms: float = 250.0
    miss_rate: float = 0.01
    false_alarm_rate: float = 0.05
    deadline_ms: float = 1500.0

    def shift_ms(self, cue_type, validity, soa_ms) -> np.ndarray:
        """The RT shift of each trial relative to the ex-Gaussian base, ms."""
        cue_type, validity = np.asarray(cue_type), np.asarray(validity)
        soa = np.asarray(soa_ms, dtype=float)
        alerting = -self.alerting_ms * (1 - np.exp(-soa / ALERTING_RISE_MS))
        g = 1 - np.exp(-soa / self.endo_rise_ms)
        v = (self.exo_facilitation_ms * np.exp(-(soa / self.exo_decay_ms) ** 2)
             - self.ior_ms * (1 - np.exp(-(soa / self.ior_onset_ms) ** 2)))
        endo = np.select([validity == "valid", validity == "invalid"],
                         [-self.endo_benefit_ms * g, self.endo_cost_ms * g], 0.0)
        exo = np.select([validity == "valid", validity == "invalid"], [-v / 2, v / 2], 0.0)
        return alerting + np.where(cue_type == "exogenous", exo, endo)

    def respond(self, cue_type, validity, soa_ms, rng: np.random.Generator):
        """Answers to trials: ``(pressed, rt_ms)`` arrays. A target trial is
        pressed unless a lapse or an RT at or past the deadline; a catch
        trial is pressed with the false-alarm rate (the drawn RT is returned
        either way)."""
        validity = np.asarray(validity)
        n = len(validity)
        rt = rng.normal(self.mu_ms + self.shift_ms(cue_type, validity, soa_ms),
                        self.sigma_ms, n)
        if self.tau_ms > 0:
            rt = rt + rng.exponential(self.tau_ms, n)
        rt = np.maximum(rt, MIN_RT_MS)
        chance = rng.random(n)
        catch = validity == "catch"
        pressed = np.where(catch, chance < self.false_alarm_rate, chance >= self.miss_rate)
        return pressed & (rt < self.deadline_ms), rt


@dataclass(frozen=True)
class PosnerPopulation:
    """Group-level orienting effects and between-participant spread (``*_sd``).

    Change with ``--set NAME=VALUE`` on ``attentionlab simulate``, ``power``
    and ``run --autopilot``; each participant draws their own values.
    """

    mu_ms: float = param(290.0, "mean of the normal part of neutral RTs (ex-Gaussian mu)",
                         unit="ms", min=100, max=2000)
    mu_sd_ms: float = param(40.0, "between-participant SD of mu", unit="ms", min=0,
                            max=1000)
    sigma_ms: float = param(35.0, "SD of the normal part of RTs (trial noise)", unit="ms",
                            min=0, max=1000)
    tau_ms: float = param(60.0, "mean of the exponential tail (ex-Gaussian tau)", unit="ms",
                          min=0, max=2000)
    tau_sd_ms: float = param(20.0, "between-participant SD of tau", unit="ms", min=0,
                             max=1000)
    alerting_ms: float = param(25.0, "RT gain from the cue as a warning signal at long SOAs "
                               "(all cues alike)", unit="ms", min=-200, max=300)
    endo_benefit_ms: float = param(12.0, "endogenous benefit at long SOAs (neutral - valid)",
                                   unit="ms", min=-200, max=300)
    endo_cost_ms: float = param(18.0, "endogenous cost at long SOAs (invalid - neutral)",
                                unit="ms", min=-200, max=300)
    endo_rise_ms: float = param(150.0, "time constant of the endogenous effect's build-up "
                                "over the SOA", unit="ms", min=1, max=3000)
    exo_facilitation_ms: float = param(35.0, "exogenous validity effect (invalid - valid) "
                                       "at SOA 0, before inhibition of return", unit="ms",
                                       min=-200, max=300)
    exo_decay_ms: float = param(200.0, "how fast the exogenous facilitation fades (Gaussian "
                                "in SOA, this scale)", unit="ms", min=1, max=3000)
    ior_ms: float = param(20.0, "inhibition of return at long SOAs: invalid this much faster "
                          "than valid (exogenous)", unit="ms", min=-200, max=300)
    ior_onset_ms: float = param(250.0, "SOA scale at which inhibition of return sets in",
                                unit="ms", min=1, max=3000)
    effect_sd_ms: float = param(8.0, "between-participant SD of each cueing effect "
                                "(benefit, cost, facilitation, IOR)", unit="ms", min=0,
                                max=200)
    miss_rate: float = param(0.01, "share of dots missed (lapses)", min=0, max=0.5)
    false_alarm_rate: float = param(0.05, "mean share of catch trials with a press", min=0,
                                    max=1)
    false_alarm_sd: float = param(0.03, "between-participant SD of the false-alarm rate",
                                  min=0, max=0.5)

    def draw(self, rng: np.random.Generator, params=None) -> PosnerModel:
        """One participant: their own mu, tau, cueing effects and false-alarm
        rate. ``params`` (PosnerParams) gives the deadline (default 1500 ms)."""
        deadline_ms = params.deadline_ms if params is not None else 1500.0
        mu = max(rng.normal(self.mu_ms, self.mu_sd_ms), MIN_RT_MS)
        tau = max(0.0, rng.normal(self.tau_ms, self.tau_sd_ms))
        effects = rng.normal([self.endo_benefit_ms, self.endo_cost_ms,
                              self.exo_facilitation_ms, self.ior_ms], self.effect_sd_ms)
        fa = float(np.clip(rng.normal(self.false_alarm_rate, self.false_alarm_sd), 0, 1))
        return PosnerModel(
            mu_ms=float(mu), sigma_ms=self.sigma_ms, tau_ms=float(tau),
            alerting_ms=self.alerting_ms, endo_benefit_ms=float(effects[0]),
            endo_cost_ms=float(effects[1]), endo_rise_ms=self.endo_rise_ms,
            exo_facilitation_ms=float(effects[2]), exo_decay_ms=self.exo_decay_ms,
            ior_ms=float(effects[3]), ior_onset_ms=self.ior_onset_ms,
            miss_rate=self.miss_rate, false_alarm_rate=fa, deadline_ms=float(deadline_ms))


Population = PosnerPopulation


def outcomes(params, model: PosnerModel, trials: list, rng: np.random.Generator) -> list:
    """One :class:`Outcome` per trial, on the simulated session clock: the
    fixation, the SOA, the response (or the deadline), practice feedback and
    the inter-trial interval, as a real session spends them."""
    pressed, rts = model.respond([t.cue_type for t in trials], [t.validity for t in trials],
                                 [t.soa_ms for t in trials], rng)
    out, clock = [], START_S
    for trial, press, rt in zip(trials, pressed, rts):
        clock += (trial.foreperiod_ms + trial.soa_ms) / 1000
        onset = round(clock, 4)
        clock += (rt if press else params.deadline_ms) / 1000
        if trial.phase == "practice":
            clock += params.feedback_ms / 1000
        clock += params.iti_ms / 1000
        out.append(Outcome(onset_s=onset, response=params.key if press else "",
                           rt_ms=float(rt) if press else None, end_s=clock))
    return out
