"""Stroop figures.

* :func:`condition_means_figure`: mean RT per condition with within-participant
  95% CIs (Cousineau 2005, with Morey's 2008 correction);
* :func:`interference_figure`: every participant's interference effect, sorted;
* :func:`rt_distribution_figure`: the RT distribution of each condition.
"""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from attentionlab.analysis.figures import cousineau_morey_ci, empty
from attentionlab.analysis.stroop import per_participant

COLOURS = {"congruent": "#1b9e77", "neutral": "#7570b3", "incongruent": "#d95f02"}
ORDER = ("congruent", "neutral", "incongruent")  # baseline, control, conflict


def condition_means_figure(participants: pd.DataFrame) -> Figure:
    """Mean of the participants' condition RTs with Cousineau-Morey 95% CIs
    (participants with every plotted condition only)."""
    people = per_participant(participants)
    wide = people[[f"rt_{c}_ms" for c in ORDER]].dropna(axis=1, how="all").dropna()
    names = [c[3:-3] for c in wide.columns]
    fig = Figure(figsize=(4.8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    if wide.empty:
        return empty(fig, ax, "no participant has an RT in every condition")
    means, half = wide.mean(), cousineau_morey_ci(wide)
    x = np.arange(len(names))
    ax.errorbar(x, means, yerr=half.fillna(0), fmt="none", ecolor="black", capsize=5, zorder=3)
    ax.scatter(x, means, s=60, c=[COLOURS[n] for n in names], zorder=4)
    ax.set_xticks(x, names)
    ax.set_xlim(-0.5, len(names) - 0.5)
    ax.set_ylabel("mean RT (ms)")
    ax.set_title(f"Condition means, within-participant 95% CI (n = {len(wide)})", fontsize=9)
    lo = float(np.nanmin(means - half.fillna(0)))
    hi = float(np.nanmax(means + half.fillna(0)))
    pad = max((hi - lo) * 0.6, 10.0)
    ax.set_ylim(lo - pad, hi + pad)
    return fig


def interference_figure(participants: pd.DataFrame) -> Figure:
    """Each participant's interference effect (incongruent - congruent), sorted,
    with the group mean and zero."""
    values = np.sort(per_participant(participants)["interference_ms"].dropna().to_numpy())
    fig = Figure(figsize=(4.8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    if len(values) == 0:
        return empty(fig, ax, "no participant has both congruent and incongruent RTs")
    rank = np.arange(1, len(values) + 1)
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.axhline(values.mean(), color=COLOURS["incongruent"], linewidth=1.2,
               label=f"mean {values.mean():.1f} ms")
    ax.scatter(rank, values, s=max(4, 40 - len(values) // 10), color="black", zorder=3)
    ax.set_xlabel("participant (sorted by effect)")
    ax.set_ylabel("interference (ms)")
    ax.set_title(f"Interference effect per participant (n = {len(values)})", fontsize=9)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def rt_distribution_figure(trials: pd.DataFrame, condition: str = "congruency") -> Figure:
    """Histogram (as a density) of the RTs of each condition. ``trials``: the
    cleaned trials that enter the means."""
    fig = Figure(figsize=(4.8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    rt = trials["rt_ms"].to_numpy(dtype=float)
    if len(rt) == 0:
        return empty(fig, ax, "no trials left after cleaning")
    lo, hi = np.nanpercentile(rt, [0.5, 99.5])
    bins = np.linspace(lo, hi if hi > lo else lo + 1, 60)
    for name in ORDER:
        values = rt[(trials[condition] == name).to_numpy(dtype=bool)]
        if len(values):
            ax.hist(values, bins=bins, density=True, histtype="step", linewidth=1.5,
                    color=COLOURS[name], label=f"{name} ({len(values):,})")
    ax.set_xlabel("RT (ms)")
    ax.set_ylabel("density")
    ax.set_title("RT distributions of the cleaned trials (middle 99%)", fontsize=9)
    ax.legend(frameon=False, fontsize=8)
    return fig


