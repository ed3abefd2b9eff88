"""Power by simulation, through the real analysis.

For each number of participants × number of trials, simulate many studies
from the population model, analyse each with the same per-participant
analysis as ``attentionlab analyze`` (:func:`participant_effects`, default
cleaning) and the same group test (two-sided one-sample t-test of the effect
against 0), and count how often the effect is significant. Power is that
proportion, with its Monte-Carlo standard error sqrt(p(1-p)/K).

>>> table = power_table("stroop", {"interference_ms": 60.0}, [8], [48],
...                     simulations=20, seed=1)
>>> list(table.columns)[:4]
['participants', 'trials', 'power', 'mc_se']
"""

import dataclasses
import time

import numpy as np
import pandas as pd
from scipy import stats

from attentionlab.simulation.registry import population_for
from attentionlab.simulation.sessions import split_overrides
from attentionlab.analysis.statistics import exact_proportion_ci
from attentionlab.analysis.stroop import participant_effects
from attentionlab.core.errors import UsageError, did_you_mean
from attentionlab.stimuli import stroop

POWER_COLUMNS = ("participants", "trials", "power", "mc_se", "ci_low", "ci_high",
                 "mean_effect", "simulations")
BATCH = 50  # studies per call of the analysis (one call is much cheaper than 50)
# Effects that can be powered: the population parameter and the analysis column.
EFFECTS = {"stroop": ("interference_ms", "facilitation_ms", "error_cost")}


def check_request(task: str, effect: dict) -> None:
    """:class:`UsageError` (one line, with what is allowed) unless ``task``
    has a power analysis and ``effect`` is one of its effects.

    >>> check_request("search", {"interference_ms": 30.0})
    Traceback (most recent call last):
    ...
    attentionlab.core.errors.UsageError: power analysis is not available for 'search': it supports only stroop
    """
    if task not in EFFECTS:
        raise UsageError(f"power analysis is not available for {task!r}: it supports only "
                         f"{', '.join(EFFECTS)}")
    if len(effect) != 1:
        raise UsageError("give exactly one --effect NAME=VALUE")
    (name, _), = effect.items()
    if name not in EFFECTS[task]:
        raise UsageError(f"cannot power effect {name!r}{did_you_mean(name, EFFECTS[task])}; "
                         f"allowed: {', '.join(EFFECTS[task])}")


def parse_list(text: str, what: str) -> list[int]:
    """``'10,20,40'`` -> [10, 20, 40]; UsageError naming ``what`` otherwise."""
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"{what} must be a comma-separated list of whole numbers, "
                         f"got {text!r}") from None
    if not values or min(values) < 2:
        raise UsageError(f"{what} must list numbers of at least 2, got {text!r}")
    return sorted(set(values))


def stroop_study(population, params, n_participants: int, n_trials: int,
                 rng: np.random.Generator, study: str = "1") -> pd.DataFrame:
    """Trial-level data of one simulated study (test trials only, balanced
    over conditions and inks; the order does not matter to the analysis)."""
    conditions = np.array(params.conditions)
    per_cell = max(1, round(n_trials / (len(conditions) * len(stroop.INK_COLOURS))))
    congruency = np.repeat(conditions, per_cell * len(stroop.INK_COLOURS))
    ink = np.tile(np.repeat(np.array(stroop.INK_COLOURS), per_cell), len(conditions))
    rts, colours = [], []
    for _ in range(n_participants):
        model = population.draw(rng, params)
        answer, rt = model.respond(congruency, ink, rng)
        colours.append(answer)
        rts.append(rt)
    answer, rt = np.concatenate(colours), np.concatenate(rts)
    labels = np.array([f"sim{i + 1}" for i in range(n_participants)], dtype=object)
    return pd.DataFrame({
        "participant": np.repeat(labels, len(congruency)), "session": study,
        "congruency": np.tile(congruency, n_participants),
        "rt_ms": np.where(answer != "", rt, np.nan),
        "correct": (answer == np.tile(ink, n_participants)).astype(int)})


def power_table(task: str, effect: dict, participants: list, trials: list, *,
                simulations: int = 1000, seed: int = 1, alpha: float = 0.05,
                overrides: dict | None = None, progress=None) -> pd.DataFrame:
    """Power for every participants × trials combination (columns: POWER_COLUMNS)."""
    check_request(task, effect)
    (name, value), = effect.items()
    population, params = split_overrides(task, {**(overrides or {}), name: value})
    rows = []
    cells = [(n, t) for t in trials for n in participants]
    rng = np.random.default_rng(seed)
    started = time.monotonic()
    for done, (n, t) in enumerate(cells, start=1):
        significant, estimates = 0, []
        for first in range(0, simulations, BATCH):
            # Many studies analysed in one call: each study is its own "session".
            batch = range(first, min(first + BATCH, simulations))
            data = pd.concat([stroop_study(population, params, n, t, rng, str(k))
                              for k in batch], ignore_index=True)
            effects = participant_effects(data)
            for _, values in effects.groupby("session")[name]:
                values = values.dropna().to_numpy()
                if len(values) >= 2 and np.std(values) > 0:
                    significant += stats.ttest_1samp(values, 0.0).pvalue < alpha
                estimates.append(values.mean() if len(values) else np.nan)
        rows.append(_power_row(n, t, significant, simulations, np.nanmean(estimates)))
        if progress:
            progress(done, len(cells), time.monotonic() - started)
    return pd.DataFrame(rows, columns=list(POWER_COLUMNS))


def _power_row(n, t, significant, k, mean_effect):
    p = significant / k
    se = float(np.sqrt(p * (1 - p) / k))
    ci_low, ci_high = exact_proportion_ci(int(significant), k)
    return {"participants": n, "trials": t, "power": p, "mc_se": se, "ci_low": ci_low,
            "ci_high": ci_high, "mean_effect": mean_effect, "simulations": k}


def smallest_n(table: pd.DataFrame, target: float) -> dict:
    """Per number of trials, the smallest listed N whose power reaches ``target``
    (None when none does)."""
    out = {}
    for t, rows in table.groupby("trials"):
        ok = rows[rows.power >= target].participants
        out[int(t)] = int(ok.min()) if len(ok) else None
    return out


def power_figure(table: pd.DataFrame, effect: dict, path) -> None:
    """Power curves (one line per number of trials) with 95% Monte-Carlo CIs,
    written as a 300 dpi PNG in the journal style of
    :mod:`attentionlab.core.figures`."""
    from pathlib import Path

    from attentionlab.core import figures

    @figures.styled
    def draw():
        (name, value), = effect.items()
        fig, ax = figures.new_axes((figures.WIDE_IN, 3.2))
        for t, rows in table.groupby("trials"):
            rows = rows.sort_values("participants")
            ax.errorbar(rows.participants, rows.power,
                        yerr=[rows.power - rows.ci_low, rows.ci_high - rows.power],
                        marker="o", capsize=3, label=figures.count(int(t), "trial"))
        for level in (0.8, 0.9):
            ax.axhline(level, color="grey", lw=0.8, ls="--")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Sample size (participants)")
        ax.set_ylabel("Power (probability of p < .05)")
        ax.set_title(f"Two-sided t-test, {name} = {value:g}; bars: 95% Monte-Carlo CIs")
        ax.legend(title="Test trials per participant", loc="lower right")
        return fig

    Path(path).write_bytes(figures.png_bytes(draw()))


def analytic_power(mean: float, sd: float, n: int, alpha: float = 0.05) -> float:
    """Power of a two-sided one-sample t-test for a normal effect (noncentral t)."""
    df = n - 1
    nc = mean / sd * np.sqrt(n)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def population_fields(task: str) -> list:
    return [f.name for f in dataclasses.fields(population_for(task))]
