"""Stroop figures (journal style: :mod:`attentionlab.core.figures`).

* :func:`condition_means_figure`: mean RT per condition with within-participant
  95% CIs (Cousineau 2005, with Morey's 2008 correction);
* :func:`interference_figure`: every participant's interference effect, sorted,
  with the group mean and its 95% CI;
* :func:`rt_distribution_figure`: the RT distribution of each condition.
"""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from matplotlib.ticker import MaxNLocator

from attentionlab.analysis.statistics import cousineau_morey_ci, mean_ci_row
from attentionlab.core.figures import categorical, ci_words, count, empty, new_axes, styled
from attentionlab.analysis.stroop import per_participant

COLOURS = {"congruent": "#1b9e77", "neutral": "#7570b3", "incongruent": "#d95f02"}
ORDER = ("congruent", "neutral", "incongruent")  # baseline, control, conflict


@styled
def condition_means_figure(participants: pd.DataFrame) -> Figure:
    """Mean of the participants' condition RTs with Cousineau-Morey 95% CIs
    (participants with every plotted condition only)."""
    people = per_participant(participants)
    wide = people[[f"rt_{c}_ms" for c in ORDER]].dropna(axis=1, how="all").dropna()
    names = [c[3:-3] for c in wide.columns]
    fig, ax = new_axes()
    if wide.empty:
        return empty(fig, ax, "no participant has an RT in every condition")
    means, half = wide.mean(), cousineau_morey_ci(wide)
    x = np.arange(len(names))
    ax.errorbar(x, means, yerr=half.fillna(0), fmt="none", ecolor="black", capsize=4, zorder=3)
    ax.scatter(x, means, s=30, c=[COLOURS[n] for n in names], zorder=4)
    ax.set_xticks(x, names)
    ax.set_xlim(-0.5, len(names) - 0.5)
    categorical(ax.xaxis, "Condition")
    ax.set_ylabel("Mean RT (ms)")
    ax.set_title(f"{ci_words(len(wide), 'Within-participant 95% CIs')}\n"
                 f"n = {count(len(wide), 'participant')}")
    lo = float(np.nanmin(means - half.fillna(0)))
    hi = float(np.nanmax(means + half.fillna(0)))
    pad = max((hi - lo) * 0.6, 10.0)
    ax.set_ylim(lo - pad, hi + pad)
    return fig


@styled
def interference_figure(participants: pd.DataFrame) -> Figure:
    """Each participant's interference effect (incongruent - congruent), sorted,
    with the group mean, its 95% CI (t-based, shaded) and zero."""
    values = np.sort(per_participant(participants)["interference_ms"].dropna().to_numpy())
    fig, ax = new_axes()
    if len(values) == 0:
        return empty(fig, ax, "no participant has both congruent and incongruent RTs")
    rank = np.arange(1, len(values) + 1)
    row = mean_ci_row(values)
    ax.axhline(0, color="0.5", linewidth=0.8)
    if "ci95_low" in row:
        ax.axhspan(row["ci95_low"], row["ci95_high"], color=COLOURS["incongruent"],
                   alpha=0.18, linewidth=0, label="95% CI of the mean")
    ax.axhline(row["mean"], color=COLOURS["incongruent"], linewidth=1.2,
               label=f"mean {row['mean']:.1f} ms")
    ax.scatter(rank, values, s=max(4, 20 - len(values) // 10), color="black", zorder=3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # whole ranks
    ax.set_xlim(0.5, len(values) + 0.5)
    ax.set_xlabel("Participant, sorted by effect (rank)")
    ax.set_ylabel("Interference (ms)")
    ax.set_title(f"n = {count(len(values), 'participant')}")
    ax.legend(loc="upper left")
    return fig


@styled
def rt_distribution_figure(trials: pd.DataFrame, condition: str = "congruency") -> Figure:
    """Histogram (as a density, per second) of the RTs of each condition.
    ``trials``: the cleaned trials that enter the means."""
    fig, ax = new_axes()
    rt = trials["rt_ms"].to_numpy(dtype=float)
    if len(rt) == 0:
        return empty(fig, ax, "no trials left after cleaning")
    lo, hi = np.nanpercentile(rt, [0.5, 99.5])
    bins = np.linspace(lo, hi if hi > lo else lo + 1, 40)
    top = 0.0
    for name in ORDER:
        values = rt[(trials[condition] == name).to_numpy(dtype=bool)]
        if len(values):
            # density per ms x 1000: per second, so the ticks read 0-5, not 0.000-0.005
            heights, _ = np.histogram(values, bins=bins, density=True)
            ax.stairs(heights * 1000, bins, linewidth=1.2, color=COLOURS[name],
                      label=f"{name}, {count(len(values), 'trial')}")
            top = max(top, float(np.nanmax(heights)) * 1000)
    ax.set_ylim(0, top * 1.4 if top > 0 else 1)  # headroom for the legend
    ax.set_xlabel("RT (ms)")
    ax.set_ylabel("Density (1/s)")
    ax.set_title("Cleaned trials, middle 99% of RTs")
    ax.legend()
    return fig
