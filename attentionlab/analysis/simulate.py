"""Simulated participants: condition-dependent behaviour for each task.

A model says, for one trial, what a participant would answer and when. The
same model serves the autopilot (which presses the keys in a real session)
and data-only simulation.

Stroop (defaults from the literature; see docs/simulation.md):
RT ~ ex-Gaussian(mu, sigma, tau) with mu shifted by condition: neutral is the
baseline, congruent is ``facilitation_ms`` faster, incongruent
``interference_ms - facilitation_ms`` slower than neutral, so that
incongruent - congruent = ``interference_ms``. Errors (a wrong colour,
chosen uniformly) at a rate per condition; an RT past the deadline is a miss.

>>> import random
>>> model = StroopModel()
>>> colour, rt_ms = model.respond("incongruent", "red", random.Random(1))
>>> colour in ("red", "green", "blue", "yellow"), rt_ms > 0
(True, True)
"""

import random
from dataclasses import dataclass

STROOP_COLOURS = ("red", "green", "blue", "yellow")


@dataclass(frozen=True)
class StroopModel:
    """One simulated Stroop participant. Times in ms, rates as proportions.

    Defaults: neutral mu 600 ms, sigma 60, tau 120 (mean RT about 720 ms);
    interference 70 ms and facilitation 10 ms (keys; von Bastian et al. 2016
    report 65 and 3 ms); errors 1% congruent, 1.5% neutral, 5% incongruent.
    """

    mu_ms: float = 600.0
    sigma_ms: float = 60.0
    tau_ms: float = 120.0
    interference_ms: float = 70.0
    facilitation_ms: float = 10.0
    error_congruent: float = 0.01
    error_neutral: float = 0.015
    error_incongruent: float = 0.05
    deadline_ms: float = 2000.0

    def mean_shift_ms(self, congruency: str) -> float:
        """Shift of mu relative to neutral for a condition."""
        return {"congruent": -self.facilitation_ms,
                "neutral": 0.0,
                "incongruent": self.interference_ms - self.facilitation_ms}[congruency]

    def respond(self, congruency: str, ink: str, rng: random.Random):
        """``(colour_answered or None, rt_ms)``; ``None`` means no response
        before the deadline (the RT drawn is still returned)."""
        rt = (rng.gauss(self.mu_ms + self.mean_shift_ms(congruency), self.sigma_ms)
              + rng.expovariate(1.0 / self.tau_ms))
        rt = max(rt, 150.0)  # no one answers faster than perception allows
        if rt >= self.deadline_ms:
            return None, rt
        error_rate = {"congruent": self.error_congruent, "neutral": self.error_neutral,
                      "incongruent": self.error_incongruent}[congruency]
        if rng.random() < error_rate:
            return rng.choice([c for c in STROOP_COLOURS if c != ink]), rt
        return ink, rt
