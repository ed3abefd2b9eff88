"""Figure helpers shared by the task analyses (matplotlib, Agg: no display).

* :func:`cousineau_morey_ci`: within-participant 95% CIs (Cousineau 2005,
  with Morey's 2008 correction);
* :func:`new_axes`: a figure of the report's size with one axes;
* :func:`empty`: a figure that says why there is nothing to plot;
* :func:`save`: write PNG and SVG, return the PNG bytes (for the report).

A task's figures live in its own module (e.g. ``stroop_figures.py``) and
return :class:`matplotlib.figure.Figure` objects. Participant labels never
appear in figures (foreign labels may contain anything).
"""

import io
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

SIZE = (4.8, 3.6)  # inches; 528 x 396 px at the report's 110 dpi


def cousineau_morey_ci(wide: pd.DataFrame, level: float = 0.95) -> pd.Series:
    """Half-widths of within-participant CIs for each column (condition).

    ``wide``: one row per participant, one column per condition, complete
    cases. Each participant's scores are centred on their own mean and moved
    to the grand mean (Cousineau, 2005); the variance of the normalised
    scores is multiplied by J / (J - 1) for J conditions (Morey, 2008); the
    half-width is t(level, n - 1) * SD / sqrt(n).

    >>> w = pd.DataFrame({"a": [500.0, 600.0, 700.0], "b": [520.0, 640.0, 730.0]})
    >>> cousineau_morey_ci(w).round(2).tolist()
    [17.57, 17.57]
    """
    from scipy import stats
    n, j = wide.shape
    if n < 2 or j < 2:
        return pd.Series(np.nan, index=wide.columns)
    values = wide.to_numpy(dtype=float)
    normalised = values - values.mean(axis=1, keepdims=True) + values.mean()
    sd = normalised.std(axis=0, ddof=1) * np.sqrt(j / (j - 1))
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    return pd.Series(half, index=wide.columns)


def new_axes(size=SIZE):
    """A new figure (constrained layout) and its single axes."""
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def empty(fig, ax, message) -> Figure:
    """Turn ``fig`` into a figure that only says ``message``."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9)
    return fig


def save(fig: Figure, folder: Path, stem: str) -> bytes:
    """Write ``stem.png`` and ``stem.svg`` into ``folder``; return the PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    png = buffer.getvalue()
    (Path(folder) / f"{stem}.png").write_bytes(png)
    fig.savefig(Path(folder) / f"{stem}.svg", format="svg", metadata={"Date": None})
    return png
