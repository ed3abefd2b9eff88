"""Flicker simulation: a participant who finds changes after a log-normal
number of cycles, slower for marginal than for central changes, almost at
once without the blank; and what it does on each trial of a simulated
session (``outcomes``; ``stimuli.flicker.score`` scores it).

Model (defaults and sources: docs/simulation.md, section "Flicker"):

* cycles to detection ~ LogNormal(log(median_condition x speed), ``cycles_sigma``),
  where the median is ``central_cycles``, ``marginal_cycles`` or, without the
  blank, ``no_blank_cycles``; ``speed`` is the participant's own multiplier
  ~ LogNormal(0, ``speed_sd``);
* detection time = cycles x cycle duration + a response latency
  ~ Normal(``response_ms``, ``response_sd_ms``); never before A' was first
  shown; at or past the timeout the trial is censored (no press);
* after a press the click lands on the change with ``localize_rate``, else
  elsewhere on the image (a false alarm), after ~ Normal(``click_ms``, ``click_sd_ms``).

>>> import numpy as np
>>> from attentionlab.stimuli.flicker import FlickerParams
>>> model = Population().draw(np.random.default_rng(1), FlickerParams())
>>> t = model.detection_ms("central", "blank", 640.0, 320.0, np.random.default_rng(2))
>>> bool(t > 320)
True
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.stimuli import flicker
from attentionlab.stimuli.flicker_pairs import distance_to_region

NOMINAL_HZ = 60.0  # simulated sessions are timed as on a 60 Hz display


def frames_for_ms(duration_ms: float, hz: float) -> int:
    """Whole frames for a duration, as the session's frame pacer rounds them."""
    return 0 if duration_ms <= 0 else max(1, round(duration_ms / 1000.0 * hz))


@dataclass(frozen=True)
class FlickerModel:
    """One simulated flicker participant. Times in ms."""

    central_cycles: float = 6.0
    marginal_cycles: float = 14.0
    no_blank_cycles: float = 1.0
    cycles_sigma: float = 0.6
    response_ms: float = 450.0
    response_sd_ms: float = 100.0
    localize_rate: float = 0.95
    click_ms: float = 1500.0
    click_sd_ms: float = 400.0

    def detection_ms(self, interest: str, blank_condition: str, cycle_ms: float,
                     first_change_ms: float, rng: np.random.Generator) -> float:
        """When this participant presses the key, ms after the first onset of A
        (may lie past the timeout: the caller censors). ``cycle_ms`` is one
        cycle's duration; ``first_change_ms`` the onset of the first A'."""
        if blank_condition == "no_blank":
            median = self.no_blank_cycles
        else:
            median = self.central_cycles if interest == "central" else self.marginal_cycles
        cycles = rng.lognormal(np.log(median), self.cycles_sigma)
        seen_ms = max(cycles * cycle_ms, first_change_ms + 50.0)
        return float(seen_ms + max(150.0, rng.normal(self.response_ms, self.response_sd_ms)))

    def click(self, region, image_size, tolerance_px: float, rng: np.random.Generator):
        """Where and when the participant clicks: ``(x_px, y_px, localized, click_ms)``
        in image pixels; a miss lies clearly outside the region plus tolerance."""
        width, height = image_size
        localized = bool(rng.random() < self.localize_rate)
        if localized:
            x0, y0, x1, y1 = region[int(rng.integers(len(region)))]
            # Aim at the middle part of the box (people click on the object, not its edge).
            x = rng.uniform(x0 + 0.3 * (x1 - x0), x1 - 0.3 * (x1 - x0))
            y = rng.uniform(y0 + 0.3 * (y1 - y0), y1 - 0.3 * (y1 - y0))
        else:
            for _ in range(1000):
                x, y = rng.uniform(0.05, 0.95) * width, rng.uniform(0.05, 0.95) * height
                if distance_to_region(region, x, y) > tolerance_px + 0.05 * height:
                    break
        rt = float(max(300.0, rng.normal(self.click_ms, self.click_sd_ms)))
        return float(x), float(y), localized, rt


@dataclass(frozen=True)
class Population:
    """Group-level flicker behaviour and between-participant spread.

    Change with ``--set NAME=VALUE`` on ``attentionlab simulate`` (and with
    ``run --autopilot``).
    """

    central_cycles: float = param(6.0, "median cycles (A, blank, A', blank) to find a "
                                  "central change", min=0.1, max=500)
    marginal_cycles: float = param(14.0, "median cycles to find a marginal change",
                                   min=0.1, max=500)
    no_blank_cycles: float = param(1.0, "median cycles to find a change without the blank",
                                   min=0.1, max=500)
    cycles_sigma: float = param(0.6, "trial-to-trial SD of log(cycles to detection)",
                                min=0.0, max=3.0)
    speed_sd: float = param(0.3, "between-participant SD of log(speed), a multiplier on "
                            "all medians", min=0.0, max=2.0)
    response_ms: float = param(450.0, "mean latency from seeing the change to the key press",
                               unit="ms", min=100, max=3000)
    response_sd_ms: float = param(100.0, "SD of that latency", unit="ms", min=0, max=1000)
    localize_rate: float = param(0.95, "probability that the click after a press is on the "
                                 "change", min=0.0, max=1.0)
    click_ms: float = param(1500.0, "mean time to click after the click screen appears",
                            unit="ms", min=300, max=20000)
    click_sd_ms: float = param(400.0, "SD of the click time", unit="ms", min=0, max=10000)

    def draw(self, rng: np.random.Generator, params=None) -> FlickerModel:
        """One participant: their own speed multiplier on the condition medians."""
        speed = float(rng.lognormal(0.0, self.speed_sd)) if self.speed_sd > 0 else 1.0
        return FlickerModel(
            central_cycles=self.central_cycles * speed,
            marginal_cycles=self.marginal_cycles * speed,
            no_blank_cycles=self.no_blank_cycles * speed, cycles_sigma=self.cycles_sigma,
            response_ms=self.response_ms, response_sd_ms=self.response_sd_ms,
            localize_rate=self.localize_rate, click_ms=self.click_ms,
            click_sd_ms=self.click_sd_ms)


def trial_timing(params: flicker.FlickerParams, blank_condition: str, hz: float = NOMINAL_HZ):
    """Frames and whole-frame durations of one trial's display:
    ``(frames_image, frames_blank, cycle_ms, first_change_ms)``."""
    fi = frames_for_ms(params.image_ms, hz)
    fb = frames_for_ms(params.blank_ms, hz) if blank_condition == "blank" else 0
    period = 1000.0 / hz
    return fi, fb, 2 * (fi + fb) * period, (fi + fb) * period


def trial_outcome(params, trial, model, rng, hz: float = NOMINAL_HZ) -> Outcome:
    """What this participant does on one trial, timed from the first onset
    of A (``onset_s`` and ``end_s`` are left to :func:`outcomes`): the press
    (or none at the timeout), the phases shown up to it as whole frames of an
    exact ``hz`` display, and where and when the click lands. The presenter's
    autopilot plans with the same model; ``stimuli.flicker.score`` says
    whether the click hit the change."""
    fi, fb, cycle_ms, first_change_ms = trial_timing(params, trial.blank_condition, hz)
    period = 1000.0 / hz
    timeout_ms = frames_for_ms(params.timeout_ms, hz) * period
    t = model.detection_ms(trial.interest, trial.blank_condition, cycle_ms, first_change_ms,
                           rng)
    timed_out = t >= timeout_ms
    shown_ms = timeout_ms if timed_out else t
    images = _images_begun(shown_ms, fi, fb, period)
    details = {"detection_time_ms": float(shown_ms), "alternations": -(-images // 2),
               "frames_per_image": fi, "frames_per_blank": fb,
               "image_phases": images, "blank_phases": _blanks_begun(shown_ms, fi, fb, period),
               "image_frames_min": fi, "image_frames_max": fi,
               "blank_frames_min": fb if fb else None, "blank_frames_max": fb if fb else None,
               "image_phase_ms_max": round(fi * period, 3),
               "blank_phase_ms_max": round(fb * period, 3) if fb else None,
               "phase_timing_deviations": 0}
    if timed_out:
        return Outcome(onset_s=None, details=details)
    size = (trial.image_width_px, trial.image_height_px)
    x, y, _, click_rt = model.click(trial.region, size, trial.tolerance_px, rng)
    sx, sy = flicker.image_to_screen(x, y, size, params.image_height)
    details.update(click_x=round(sx, 5), click_y=round(sy, 5), click_image_x_px=round(x, 2),
                   click_image_y_px=round(y, 2), click_rt_ms=click_rt)
    return Outcome(onset_s=None, response=params.detect_key, rt_ms=float(t), details=details)


def outcomes(params: flicker.FlickerParams, model: FlickerModel, trials: list,
             rng: np.random.Generator) -> list[Outcome]:
    """One :class:`Outcome` per trial (practice then test, as planned) on the
    simulated session clock: fixation, the flicker until the press or the
    timeout, the click, practice feedback and the inter-trial interval;
    ``end_s`` is the end of the trial's interval.

    >>> params = flicker.FlickerParams(trials=2, pair_set="generated", practice_trials=0)
    >>> plan = flicker.make_plan(params, "sim1", 3)
    >>> model = Population().draw(np.random.default_rng(1), params)
    >>> first = outcomes(params, model, plan["test"], np.random.default_rng(2))[0]
    >>> first.onset_s, first.response
    (2.8, 'space')
    """
    out, clock = [], 2.0
    for trial in trials:
        clock += params.fixation_ms / 1000
        onset = clock
        outcome = trial_outcome(params, trial, model, rng)
        clock += outcome.details["detection_time_ms"] / 1000
        if outcome.details.get("click_rt_ms") is not None:
            clock += outcome.details["click_rt_ms"] / 1000
        if trial.phase == "practice":
            clock += params.feedback_ms / 1000
        clock += params.iti_ms / 1000
        outcome.onset_s, outcome.end_s = round(onset, 4), clock
        out.append(outcome)
    return out


def _images_begun(t_ms, fi, fb, period):
    """Image phases begun by time ``t_ms`` after the first onset."""
    cycle_half = (fi + fb) * period
    full, rest = divmod(t_ms, cycle_half)
    return int(full) + (1 if rest >= 0 else 0)


def _blanks_begun(t_ms, fi, fb, period):
    if fb == 0:
        return 0
    cycle_half = (fi + fb) * period
    full, rest = divmod(t_ms, cycle_half)
    return int(full) + (1 if rest >= fi * period else 0)
