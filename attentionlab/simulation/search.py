"""Visual-search simulation: a participant whose RTs grow with set size.

RT = intercept + slope x set size, with a slope per search type for target-
present trials and ``absent_ratio`` times that slope on target-absent trials
(a self-terminating search checks half the items on average before finding
the target, all of them before saying 'absent'). Each RT is ex-Gaussian:
Normal(mean, ``sigma_ms``) + Exponential(``tau_ms``), at least 150 ms.

Errors: a **miss** (answering 'absent' with the target there) happens with
``miss_rate`` plus, in conjunction and spatial search, ``miss_per_item`` per
item, and takes the time of an 'absent' answer (the search gave up); a
**false alarm** happens with ``false_alarm_rate`` and takes the time of a
'present' answer. An RT at or past the deadline is no response.

Between participants, the intercept, tau, each slope, the absent:present
ratio and the error rates vary (``*_sd``). Defaults and sources:
docs/simulation.md.

>>> import numpy as np
>>> model = Population().draw(np.random.default_rng(1))
>>> answers, rt = model.respond(["conjunction"] * 2, [4, 32], [1, 1],
...                             np.random.default_rng(2))
>>> answers.shape, bool(rt[0] > 150)
((2,), True)
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import param
from attentionlab.simulation.registry import MIN_RT_MS
from attentionlab.stimuli import search

INEFFICIENT = ("conjunction", "spatial")  # searches whose misses grow with set size


@dataclass(frozen=True)
class SearchModel:
    """One simulated searcher. Times in ms, slopes in ms/item, rates as proportions."""

    mu_ms: float = 450.0
    sigma_ms: float = 70.0
    tau_ms: float = 100.0
    absent_extra_ms: float = 50.0
    feature_slope_ms: float = 1.0
    conjunction_slope_ms: float = 20.0
    spatial_slope_ms: float = 25.0
    absent_ratio: float = 2.0
    miss_rate: float = 0.02
    miss_per_item: float = 0.001
    false_alarm_rate: float = 0.01
    deadline_ms: float = 4000.0

    def slope_ms(self, search_type, target_present) -> np.ndarray:
        """The programmed slope (ms/item) of each trial's condition."""
        search_type = np.asarray(search_type)
        present_slope = np.select(
            [search_type == "feature", search_type == "conjunction", search_type == "spatial"],
            [self.feature_slope_ms, self.conjunction_slope_ms, self.spatial_slope_ms], np.nan)
        return np.where(np.asarray(target_present, dtype=bool), present_slope,
                        present_slope * self.absent_ratio)

    def respond(self, search_type, set_size, target_present, rng: np.random.Generator):
        """Answers to trials: ``(answer, rt_ms)`` arrays; ``answer`` is
        ``'present'``, ``'absent'`` or ``''`` (no response before the deadline;
        the drawn RT is still returned)."""
        search_type = np.asarray(search_type)
        size = np.asarray(set_size, dtype=float)
        present = np.asarray(target_present, dtype=bool)
        n = len(search_type)
        miss_p = self.miss_rate + np.where(np.isin(search_type, INEFFICIENT),
                                           self.miss_per_item * size, 0.0)
        flip = rng.random(n) < np.where(present, np.clip(miss_p, 0, 1), self.false_alarm_rate)
        says_present = present ^ flip
        # The time follows the answer: a miss ends like an absent search.
        mean = (self.mu_ms + np.where(says_present, 0.0, self.absent_extra_ms)
                + self.slope_ms(search_type, says_present) * size)
        rt = rng.normal(mean, self.sigma_ms, n)
        if self.tau_ms > 0:
            rt = rt + rng.exponential(self.tau_ms, n)
        rt = np.maximum(rt, MIN_RT_MS)
        answers = np.where(says_present, "present", "absent").astype(object)
        answers[rt >= self.deadline_ms] = ""
        return answers, rt


@dataclass(frozen=True)
class Population:
    """Group-level search slopes and between-participant spread (``*_sd``).

    Change with ``--set NAME=VALUE`` on ``attentionlab simulate`` (and on
    ``run --autopilot``); each simulated participant draws their own values.
    """

    feature_slope_ms: float = param(1.0, "mean target-present slope, feature search",
                                    unit="ms/item", min=-50, max=500)
    feature_slope_sd_ms: float = param(1.0, "between-participant SD of the feature slope",
                                       unit="ms/item", min=0, max=200)
    conjunction_slope_ms: float = param(20.0, "mean target-present slope, conjunction search",
                                        unit="ms/item", min=-50, max=500)
    conjunction_slope_sd_ms: float = param(
        7.0, "between-participant SD of the conjunction slope", unit="ms/item", min=0,
        max=200)
    spatial_slope_ms: float = param(25.0, "mean target-present slope, T among Ls",
                                    unit="ms/item", min=-50, max=500)
    spatial_slope_sd_ms: float = param(7.0, "between-participant SD of the spatial slope",
                                       unit="ms/item", min=0, max=200)
    absent_ratio: float = param(2.0, "target-absent slope / target-present slope", min=0,
                                max=10)
    absent_ratio_sd: float = param(0.3, "between-participant SD of the absent ratio", min=0,
                                   max=5)
    mu_ms: float = param(450.0, "intercept: mean of the normal part of RTs at set size 0, "
                         "target present", unit="ms", min=150, max=3000)
    mu_sd_ms: float = param(70.0, "between-participant SD of the intercept", unit="ms",
                            min=0, max=1000)
    absent_extra_ms: float = param(50.0, "how much higher the target-absent intercept is",
                                   unit="ms", min=-500, max=2000)
    sigma_ms: float = param(70.0, "SD of the normal part of RTs (trial noise)", unit="ms",
                            min=0, max=1000)
    tau_ms: float = param(100.0, "mean of the exponential tail (ex-Gaussian tau)", unit="ms",
                          min=0, max=2000)
    tau_sd_ms: float = param(30.0, "between-participant SD of tau", unit="ms", min=0,
                             max=1000)
    miss_rate: float = param(0.02, "miss rate (says 'absent', target there) at set size 0",
                             min=0, max=0.75)
    miss_per_item: float = param(0.001, "extra miss rate per item, conjunction and spatial "
                                 "search", min=0, max=0.05)
    false_alarm_rate: float = param(0.01, "false-alarm rate (says 'present', no target)",
                                    min=0, max=0.75)
    error_sd: float = param(0.01, "between-participant SD of the miss and false-alarm rates",
                            min=0, max=0.5)

    def draw(self, rng: np.random.Generator, params=None) -> SearchModel:
        """One participant. Drawn slopes below 0 are set to 0 (more items never
        make a search faster) unless the population mean itself is negative;
        ``params`` (SearchParams) gives the deadline."""
        deadline_ms = params.deadline_ms if params is not None else 4000.0

        def slope(mean, sd):
            value = float(rng.normal(mean, sd))
            return max(0.0, value) if mean >= 0 else value

        def rate(mean):
            return float(np.clip(rng.normal(mean, self.error_sd), 0.0, 0.75))

        return SearchModel(
            mu_ms=float(max(rng.normal(self.mu_ms, self.mu_sd_ms), MIN_RT_MS)),
            sigma_ms=self.sigma_ms,
            tau_ms=float(max(0.0, rng.normal(self.tau_ms, self.tau_sd_ms))),
            absent_extra_ms=self.absent_extra_ms,
            feature_slope_ms=slope(self.feature_slope_ms, self.feature_slope_sd_ms),
            conjunction_slope_ms=slope(self.conjunction_slope_ms, self.conjunction_slope_sd_ms),
            spatial_slope_ms=slope(self.spatial_slope_ms, self.spatial_slope_sd_ms),
            absent_ratio=float(max(0.0, rng.normal(self.absent_ratio, self.absent_ratio_sd))),
            miss_rate=rate(self.miss_rate),
            miss_per_item=self.miss_per_item,
            false_alarm_rate=rate(self.false_alarm_rate),
            deadline_ms=float(deadline_ms))


def outcomes(params: search.SearchParams, model: SearchModel, trials: list,
             rng: np.random.Generator) -> list[Outcome]:
    """What this participant does on ``trials`` (practice then test, as
    planned by :func:`attentionlab.stimuli.search.make_plan`), one
    :class:`Outcome` per trial on the simulated session clock (starting at
    2 s): fixation, the display until the answer (or the deadline), the blank
    interval, and on practice trials the feedback. The answer is the key of
    'present' (the trial's ``present_key``) or of 'absent' (the other key);
    ``search.score`` turns it into the response columns."""
    answers, rts = model.respond([t.search_type for t in trials],
                                 [t.set_size for t in trials],
                                 [t.target_present for t in trials], rng)
    out, clock = [], 2.0
    for trial, answer, rt in zip(trials, answers, rts):
        clock += params.fixation_ms / 1000
        onset = clock
        answered = bool(answer)
        clock += (rt if answered else params.deadline_ms) / 1000 + params.iti_ms / 1000
        if trial.phase == "practice":
            clock += params.feedback_ms / 1000
        absent_key = next(k for k in params.keys if k != trial.present_key)
        key = trial.present_key if answer == "present" else absent_key
        out.append(Outcome(round(onset, 4), key if answered else "",
                           float(rt) if answered else None, end_s=clock))
    return out
