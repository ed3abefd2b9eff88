"""Visual-search figures.

* :func:`rt_by_set_size_figure`: the classic figure, mean correct RT by set
  size, one line per search type x target presence (present solid, absent
  dashed), with within-participant 95% CIs (Cousineau-Morey, over the set
  sizes of each line);
* :func:`slopes_figure`: every participant's slope in each condition, with
  the condition means.
"""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from attentionlab.analysis.figures import empty, new_axes

OURS = {"feature": "#1b9e77", "conjunction": "#d95f02", "spatial": "#7570b3"}
OTHERS = ("#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666", "#1f78b4")
PRESENCE = {1: ("present", "-", "o"), 0: ("absent", "--", "s")}


def colours(types) -> dict:
    """A colour per search type: ours fixed, others from a second palette."""
    others = iter(OTHERS * (1 + len(types) // len(OTHERS)))
    return {t: OURS[t] if t in OURS else next(others) for t in types}


def rt_by_set_size_figure(mean_rt: pd.DataFrame) -> Figure:
    """``mean_rt``: the ``mean_rt`` rows of group.csv (search_type,
    target_present, set_size, mean, ci95_low, ci95_high, n)."""
    fig, ax = new_axes((6.4, 3.8))
    if mean_rt.empty:
        return empty(fig, ax, "no correct trials left after cleaning")
    types = list(dict.fromkeys(mean_rt["search_type"]))
    palette = colours(types)
    for (kind, present), line in mean_rt.groupby(["search_type", "target_present"],
                                                  sort=False):
        line = line.sort_values("set_size")
        word, style, marker = PRESENCE[int(present)]
        half = (line["ci95_high"] - line["mean"]).fillna(0).to_numpy()
        ax.errorbar(line["set_size"], line["mean"], yerr=half, color=palette[kind],
                    linestyle=style, marker=marker, markersize=4, capsize=3, linewidth=1.4,
                    label=f"{kind}, {word} (n = {int(line['n'].max())})")
    sizes = np.sort(mean_rt["set_size"].unique())
    ax.set_xticks(sizes, [f"{s:g}" for s in sizes])
    ax.set_xlabel("set size (items)")
    ax.set_ylabel("mean correct RT (ms)")
    ax.set_title("RT by set size, within-participant 95% CI", fontsize=9)
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def slopes_figure(people: pd.DataFrame, types) -> Figure:
    """``people``: participants.csv with sessions averaged (one row per
    participant x search type x presence). Points jittered sideways; the bar
    is the mean."""
    fig, ax = new_axes((5.6, 3.6))
    data = people.dropna(subset=["slope_ms_per_item"])
    if data.empty:
        return empty(fig, ax, "no slope could be fitted (fewer than two set sizes)")
    palette = colours(types)
    rng = np.random.default_rng(0)  # fixed jitter: the same data give the same figure
    ticks, labels = [], []
    for i, kind in enumerate(types):
        for j, present in enumerate((1, 0)):
            values = data.loc[(data["search_type"] == kind)
                              & (data["target_present"] == present),
                              "slope_ms_per_item"].to_numpy(dtype=float)
            if not len(values):
                continue
            x = i * 2.6 + j
            ax.scatter(x + rng.uniform(-0.25, 0.25, len(values)), values, s=10,
                       color=palette[kind], alpha=0.6 if present else 0.35,
                       marker=PRESENCE[present][2], zorder=3)
            ax.hlines(values.mean(), x - 0.35, x + 0.35, color="black", linewidth=2, zorder=4)
            ticks.append(x)
            labels.append(f"{kind}\n{PRESENCE[present][0]}")
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xticks(ticks, labels, fontsize=7)
    ax.set_ylabel("slope (ms/item)")
    ax.set_title("Each participant's search slope (bar: mean)", fontsize=9)
    return fig
