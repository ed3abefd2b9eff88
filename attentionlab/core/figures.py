"""Figure helpers shared by every layer that draws (matplotlib, Agg: no display):
the task analyses, the class report, power analysis, the voice-key check.

One place for the style a journal accepts: figures are drawn at the size
they are printed (a column is 3.5 in, 89 mm), so that text set at
:data:`FONT_PT` (8 pt) stays 8 pt on paper, and saved at :data:`DPI` (300)
as PNG beside a vector SVG.

* :func:`styled`: a decorator for figure functions: draws inside the
  journal style (:data:`STYLE`);
* :func:`new_axes`: a figure of one column's size with one axes;
* :func:`categorical`: label an axis whose ticks are categories (no unit);
* :func:`count`, :func:`ci_words`: counts with their noun, a CI named only
  when there is one;
* :func:`empty`: a figure that says why there is nothing to plot;
* :func:`png_bytes`, :func:`save`: PNG at 300 dpi (and SVG) for files and report;

Axis labels: a quantity axis names its unit in parentheses at the end
("Response time (ms)", "Set size (items)"); a proportion says of what
("Proportion of participants"); an axis of categories is labelled with
:func:`categorical`. Counts say what was counted ("n = 12 participants",
"240 trials"). A task's figures live in its own module (e.g.
``stroop_figures.py``) and return :class:`matplotlib.figure.Figure`
objects. Participant labels never appear in figures (foreign labels may
contain anything).
"""

import functools
import io
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

# A statistic the figures draw (and group.csv reports), offered here too.

DPI = 300        # pixels per inch of every PNG
FONT_PT = 8      # smallest text, in points at the printed size
COLUMN_IN = 3.5  # one journal column, inches (89 mm)
WIDE_IN = 5.5    # one and a half columns (140 mm)
FULL_IN = 7.2    # two columns (183 mm): no figure is wider, so none is shrunk to print
SIZE = (COLUMN_IN, 2.7)
CATEGORICAL = "categorical"  # gid of an axis label whose ticks are categories

STYLE = {
    "font.size": FONT_PT,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "legend.fontsize": FONT_PT,
    "legend.title_fontsize": FONT_PT,
    "legend.frameon": False,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "errorbar.capsize": 3,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
}


def styled(draw):
    """Decorate a function that returns a Figure (or a dict of them) so that
    it draws in :data:`STYLE`.

    Tick labels are made when the figure is drawn, after the style is gone:
    :func:`new_axes` fixes their size on the axes.

    >>> @styled
    ... def demo():
    ...     fig, ax = new_axes()
    ...     ax.set_xlabel("Set size (items)")
    ...     return fig
    >>> demo().axes[0].xaxis.label.get_fontsize()
    9.0
    """
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return wrapper


def new_axes(size=SIZE):
    """A new figure (constrained layout) and its single axes; ``size`` in
    inches is the printed size."""
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    # Tick labels are made at drawing time, outside the style: fix their size here.
    ax.tick_params(which="both", labelsize=FONT_PT)
    return fig, ax


def categorical(axis, label: str) -> None:
    """Label ``axis`` (``ax.xaxis`` or ``ax.yaxis``), whose ticks name
    categories (conditions, phases) rather than values with a unit."""
    axis.set_label_text(label)
    axis.label.set_gid(CATEGORICAL)


def count(n: int, what: str) -> str:
    """``n`` with the word for what was counted, singular or plural.

    >>> count(12, "participant"), count(1, "trial")
    ('12 participants', '1 trial')
    """
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def ci_words(n: int, ci: str = "95% CI") -> str:
    """``ci`` when ``n`` participants give one, else "no CI" (a title must
    not promise error bars that one participant cannot have).

    >>> ci_words(12), ci_words(1)
    ('95% CI', 'no CI')
    """
    return ci if n >= 2 else "no CI"


def empty(fig, ax, message) -> Figure:
    """Turn ``fig`` into a figure that only says ``message``."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=FONT_PT + 1,
            wrap=True)
    return fig


def display_width_px(png: bytes, dpi: float = 300.0) -> int:
    """CSS pixels (1/96 in) a PNG of ``dpi`` needs to show at its printed size.

    Read from the PNG's IHDR (width: 4 bytes big-endian at offset 16), so that a
    300-dpi figure is not blown up to fill a report page.

    >>> display_width_px(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0" * 8 + (1050).to_bytes(4, "big"))
    336
    """
    return round(int.from_bytes(png[16:20], "big") * 96 / dpi)


def png_bytes(fig: Figure, dpi: int = DPI, **savefig) -> bytes:
    """``fig`` as PNG bytes at ``dpi`` (300: print; the dpi is in the file)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, **savefig)
    return buffer.getvalue()


def save(fig: Figure, folder: Path, stem: str) -> bytes:
    """Write ``stem.png`` (300 dpi) and ``stem.svg`` (vector) into
    ``folder``; return the PNG bytes (for the report)."""
    png = png_bytes(fig)
    (Path(folder) / f"{stem}.png").write_bytes(png)
    fig.savefig(Path(folder) / f"{stem}.svg", format="svg", metadata={"Date": None})
    return png
