"""Visual-search figures (journal style: :mod:`attentionlab.core.figures`).

* :func:`rt_by_set_size_figure`: the classic figure, mean correct RT by set
  size per search type x target presence (present: circles, solid line;
  absent: squares, dashed), each mean with its within-participant 95% CI
  (Cousineau-Morey, over the set sizes of each line), and the fitted slope
  line of each condition (the participants' mean intercept and slope);
* :func:`slopes_figure`: every participant's slope in each condition, with
  the condition mean and its 95% CI (t-based, over participants).
"""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from attentionlab.core.figures import (WIDE_IN, categorical, ci_words, count, empty,
                                           new_axes, styled)
from attentionlab.analysis.statistics import mean_ci_row

OURS = {"feature": "#1b9e77", "conjunction": "#d95f02", "spatial": "#7570b3"}
OTHERS = ("#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666", "#1f78b4")
PRESENCE = {1: ("present", "-", "o"), 0: ("absent", "--", "s")}
FITTED = "fitted_slope"  # gid of the fitted lines (the tests find them by it)


def colours(types) -> dict:
    """A colour per search type: ours fixed, others from a second palette."""
    others = iter(OTHERS * (1 + len(types) // len(OTHERS)))
    return {t: OURS[t] if t in OURS else next(others) for t in types}


def _fitted_line(line: pd.DataFrame, people: pd.DataFrame | None, kind, present):
    """(intercept_ms, slope_ms_per_item) of a condition: the mean of the
    participants' lines when ``people`` has them, otherwise the least-squares
    line through the plotted means."""
    if people is not None and len(people):
        cell = people[(people["search_type"] == kind)
                      & (people["target_present"] == present)].dropna(
            subset=["slope_ms_per_item", "intercept_ms"])
        if len(cell):
            return float(cell["intercept_ms"].mean()), float(cell["slope_ms_per_item"].mean())
    if line["set_size"].nunique() < 2:
        return np.nan, np.nan
    slope, intercept = np.polyfit(line["set_size"].astype(float), line["mean"].astype(float), 1)
    return float(intercept), float(slope)


@styled
def rt_by_set_size_figure(mean_rt: pd.DataFrame, people: pd.DataFrame | None = None) -> Figure:
    """``mean_rt``: the ``mean_rt`` rows of group.csv (search_type,
    target_present, set_size, mean, ci95_low, ci95_high, n); ``people``:
    participants.csv with sessions averaged (slope_ms_per_item, intercept_ms
    per participant x condition), for the fitted lines."""
    fig, ax = new_axes((WIDE_IN, 3.0))
    if mean_rt.empty:
        return empty(fig, ax, "no correct trials left after cleaning")
    types = list(dict.fromkeys(mean_rt["search_type"]))
    palette = colours(types)
    sizes = np.sort(mean_rt["set_size"].unique()).astype(float)
    span = np.array([sizes.min(), sizes.max()])
    n_max = 0
    for (kind, present), line in mean_rt.groupby(["search_type", "target_present"],
                                                  sort=False):
        line = line.sort_values("set_size")
        word, style, marker = PRESENCE[int(present)]
        n_max = max(n_max, int(line["n"].max()))
        half = (line["ci95_high"] - line["mean"]).fillna(0).to_numpy() \
            if "ci95_high" in line else np.zeros(len(line))
        intercept, slope = _fitted_line(line, people, kind, int(present))
        label = f"{kind}, {word}"
        if np.isfinite(slope):
            label += f": {slope:.1f}"
            ax.plot(span, intercept + slope * span, color=palette[kind], linestyle=style,
                    linewidth=1.2, gid=FITTED, zorder=2)
        # Means with their CIs; the line drawn is the fitted one, not a join of the means.
        ax.errorbar(line["set_size"], line["mean"], yerr=half, color=palette[kind],
                    linestyle="none", marker=marker, markersize=4,
                    markerfacecolor=palette[kind] if present else "white", capsize=2.5,
                    elinewidth=0.9, zorder=3, label=label)
    ax.set_xticks(sizes, [f"{s:g}" for s in sizes])
    ax.set_xlabel("Set size (items)")
    ax.set_ylabel("Mean correct RT (ms)")
    ax.set_title(f"Means, {ci_words(n_max, 'within-participant 95% CIs')}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=1.6,
              title=f"Fitted slope (ms/item)\nn = {count(n_max, 'participant')}",
              alignment="left")
    return fig


@styled
def slopes_figure(people: pd.DataFrame, types) -> Figure:
    """``people``: participants.csv with sessions averaged (one row per
    participant x search type x presence). Points jittered sideways; the
    black point and bar are the mean and its 95% CI over participants."""
    fig, ax = new_axes((WIDE_IN, 2.8))
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
            x = i * 2.8 + j * 1.25
            ax.scatter(x - 0.15 + rng.uniform(-0.18, 0.18, len(values)), values, s=9,
                       color=palette[kind], alpha=0.7 if present else 0.45,
                       marker=PRESENCE[present][2], zorder=3, linewidths=0)
            row = mean_ci_row(values)
            half = row["ci95_high"] - row["mean"] if "ci95_high" in row else None
            ax.errorbar(x + 0.25, row["mean"], yerr=half, fmt="o", color="black",
                        markersize=4, capsize=3, zorder=4)
            ticks.append(x)
            labels.append(f"{kind}\n{PRESENCE[present][0]}")
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xticks(ticks, labels)
    categorical(ax.xaxis, "Search type and target")
    ax.set_ylabel("Search slope (ms/item)")
    n = data["participant"].nunique() if "participant" in data else len(data)
    ax.set_title(f"Participants' slopes; black: mean, {ci_words(n)} "
                 f"(n = {count(n, 'participant')})")
    return fig
