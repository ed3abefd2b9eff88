"""Figures of the classroom: a student's effect beside the textbook, a class's spread.

Pure matplotlib (Agg, no display, no PsychoPy): the demo renders the
student figure to PNG and shows it as an image on its results screen; the
class report embeds the class figures. No labels of students appear in any
figure.

* :func:`student_figure`: "you" beside the published value (a number per
  student), or 20 people of whom the published share showed the effect,
  with the student's own outcome (a yes/no outcome);
* :func:`class_figure`: every student as a dot, the class mean and its 95%
  CI, the published value (numbers); or the class proportion with its exact
  CI beside the published one (yes/no outcomes);
* :func:`png_bytes`: a figure as PNG bytes (300 dpi unless told).

Axes follow the journal convention of :mod:`attentionlab.core.figures`
(a quantity axis ends with its unit in parentheses; an axis of categories
is marked as such); text is larger (10-12 pt) because these are projected.

>>> from attentionlab.classroom.textbook import TEXTBOOK
>>> fig = student_figure(TEXTBOOK["stroop"], {"value": 80.0})
>>> png_bytes(fig)[:4] == b"\\x89PNG"
True
"""

import numpy as np
from matplotlib.figure import Figure

from attentionlab.core import figures

YOU = "#f28e2b"        # orange: the student, the class
PUBLISHED = "#4e79a7"  # blue: the textbook
GREY = "#9a9a9a"


def _style(dark: bool) -> dict:
    return {"face": "black" if dark else "white", "ink": "white" if dark else "#222222"}


def _new(size, dark):
    colours = _style(dark)
    fig = Figure(figsize=size, layout="constrained", facecolor=colours["face"])
    ax = fig.add_subplot()
    ax.set_facecolor(colours["face"])
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for spine in ("bottom", "left"):
        ax.spines[spine].set_color(colours["ink"])
    ax.tick_params(colors=colours["ink"], labelsize=11)
    return fig, ax, colours["ink"]


def png_bytes(fig: Figure, dpi: int = figures.DPI) -> bytes:
    """``fig`` as PNG bytes (its own background colour kept)."""
    return figures.png_bytes(fig, dpi=dpi, facecolor=fig.get_facecolor())


def axis_label(entry) -> str:
    """The value axis: what is measured and its unit, e.g. "Stroop
    interference (ms)"; "Each student's result (unit)" when the measure has
    no short name or a contrast shares the axis.

    >>> from attentionlab.classroom.textbook import TEXTBOOK
    >>> axis_label(TEXTBOOK["stroop"]), axis_label(TEXTBOOK["search"])
    ('Stroop interference (ms)', "Each student's result (ms per item)")
    """
    head = entry.measure_text.split(":")[0]
    if entry.contrast or ":" not in entry.measure_text or len(head) > 40:
        head = "Each student's result"
    return f"{head[0].upper()}{head[1:]} ({entry.unit})"


def student_figure(entry, row, *, dark: bool = False, size=(6.4, 2.6)) -> Figure:
    """The student's value (``row["value"]``, display unit; 1/0 for a yes/no
    outcome) beside ``entry.published``, with the student's contrast value
    (e.g. their feature-search slope) when the entry has one."""
    value = float(row["value"])
    if entry.kind == "proportion":
        return _people(entry, value, dark=dark, size=size)
    fig, ax, ink = _new(size, dark)
    low, high = entry.published
    middle = (low + high) / 2
    bars = [(f"You: {entry.value_label}" if entry.value_label else "You", value, YOU)]
    if entry.contrast:
        bars.append((f"You: {entry.contrast_label}", float(row.get(entry.contrast, np.nan)),
                     GREY))
    bars.append((f"Textbook: {entry.value_label}" if entry.value_label else "Textbook",
                 middle, PUBLISHED))
    ys = np.arange(len(bars))[::-1]
    for y, (label, v, colour) in zip(ys, bars):
        published = colour == PUBLISHED
        if not np.isfinite(v):
            ax.text(0, y, "  no value", va="center", color=ink, fontsize=12)
            continue
        ax.barh(y, v, color=colour, height=0.6,
                xerr=[[middle - low], [high - middle]] if published and high > low else None,
                error_kw={"ecolor": ink, "capsize": 6, "lw": 1.5})
        text = entry.published_label() if published else entry.format(v)
        # Labels right of the bar, or right of 0 for a negative value (the
        # axis labels are on the left).
        ax.text(max(high if published else v, 0), y, f"  {text}", va="center", ha="left",
                color=ink, fontsize=12)
    ax.axvline(0, color=GREY, lw=1)
    ax.set_yticks(ys, [b[0] for b in bars], color=ink, fontsize=12)
    values = [v for v in [b[1] for b in bars] + [low, high, 0.0] if np.isfinite(v)]
    span = (max(values) - min(values)) or 1.0
    # Leave the right third of the axes for the value labels.
    ax.set_xlim(min(values) - 0.1 * span if min(values) < 0 else 0, max(values) + 0.6 * span)
    ax.set_xlabel(axis_label(entry), color=ink, fontsize=11)
    return fig


def _people(entry, value, *, dark, size):
    """20 people: the published share filled; the student's own outcome below."""
    fig, ax, ink = _new(size, dark)
    ax.set_axis_off()
    n_filled = int(round(entry.published[0] * 20))
    xs, ys = np.tile(np.arange(10), 2), np.repeat([1.0, 0.0], 10)
    filled = np.arange(20) < n_filled
    ax.scatter(xs[filled], ys[filled], s=260, color=PUBLISHED)
    ax.scatter(xs[~filled], ys[~filled], s=260, facecolors="none", edgecolors=PUBLISHED,
               linewidths=2)
    yes, no = entry.outcome_words
    ax.text(4.5, 1.8, f"Textbook: {n_filled} in 20 people {yes} (filled)",
            ha="center", va="center", color=ink, fontsize=12)
    if np.isfinite(value):
        ax.scatter([11.6], [0.5], s=420, color=YOU if value >= 0.5 else "none",
                   edgecolors=YOU, linewidths=2.5)
        you = yes.replace("their", "your") if value >= 0.5 else no
        ax.text(11.6, -0.5, f"You: {you}", ha="center", va="center", color=ink, fontsize=12)
    ax.set_xlim(-0.8, 13.2)
    ax.set_ylim(-1.0, 2.2)
    return fig


def class_figure(entry, students, stats: dict, *, size=(figures.FULL_IN, 3.4)) -> Figure:
    """Every student's value (``students["value"]``, display unit) as a dot,
    with their contrast values as grey dots when the entry has one, the class
    mean and 95% CI (``stats``: ``mean, ci_low, ci_high``) and the published
    value; for yes/no outcomes, the class proportion and the published one."""
    values = np.asarray(students["value"], dtype=float)
    values = values[np.isfinite(values)]
    if entry.kind == "proportion":
        return _class_proportion(entry, values, stats, size)
    fig, ax, ink = _new(size, False)
    low, high = entry.published
    if high > low:
        ax.axvspan(low, high, color=PUBLISHED, alpha=0.18, lw=0)
    ax.axvline((low + high) / 2, color=PUBLISHED, ls="--", lw=2,
               label=f"published: {entry.published_label()}")
    rng = np.random.default_rng(0)  # fixed jitter: the same data give the same picture
    # One row of dots per measure, labelled on the axis: one dot per student.
    rows = [(f"students: {entry.value_label}" if entry.value_label else "students", values,
             YOU)]
    if entry.contrast:
        contrast = np.asarray(students[entry.contrast], dtype=float)
        rows.append((f"students: {entry.contrast_label}", contrast[np.isfinite(contrast)],
                     GREY))
    ys = np.arange(1, len(rows) + 1)[::-1]
    for y, (_, dots, colour) in zip(ys, rows):
        jitter = rng.uniform(-0.22, 0.22, len(dots)) if len(dots) > 1 else np.zeros(len(dots))
        ax.scatter(dots, y + jitter, s=36, color=colour, alpha=0.8, edgecolors="white",
                   linewidths=0.5)
    if np.isfinite(stats.get("ci_low", np.nan)):
        ax.errorbar([stats["mean"]], [0], xerr=[[stats["mean"] - stats["ci_low"]],
                                                [stats["ci_high"] - stats["mean"]]],
                    fmt="o", color="black", ms=8, capsize=6, lw=2,
                    label="class mean, 95% CI")
    elif len(values):
        ax.plot([stats["mean"]], [0], "o", color="black", ms=8, label="class mean (no CI)")
    ax.axvline(0, color=GREY, lw=1)
    ax.set_yticks([*ys, 0], [r[0] for r in rows] + [f"class mean: {entry.value_label}"
                                                    if entry.contrast else "class mean"])
    ax.set_ylim(-0.7, len(rows) + 0.6)
    figures.categorical(ax.yaxis, "Who")
    ax.set_xlabel(axis_label(entry))
    # Below the whole figure (not the axes, which the row labels push right): never cut off.
    fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=10)
    return fig


def _class_proportion(entry, values, stats, size):
    fig, ax, ink = _new(size, False)
    k, n = int(values.sum()), len(values)
    share = k / n if n else np.nan
    if n:
        err = None
        if np.isfinite(stats.get("ci_low", np.nan)):
            err = [[share - stats["ci_low"]], [stats["ci_high"] - share]]
        ax.barh(1, share * 100, color=YOU, height=0.6,
                xerr=None if err is None else np.array(err) * 100,
                error_kw={"capsize": 6, "lw": 1.5})
    ax.barh(0, entry.published[0] * 100, color=PUBLISHED, height=0.6)
    # The numbers go with the row names: text inside a bar is lost when the bar is short.
    this_class = f"this class\n{k} of {n} students ({share:.0%})" if n else "this class"
    published = f"published: {entry.published[0]:.0%}\n{entry.source}"
    ax.set_yticks([1, 0], [this_class, published], fontsize=11)
    figures.categorical(ax.yaxis, "Who")
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"People who {entry.outcome_words[0]} (%)")
    if n and err is not None:
        ax.set_title("error bar: exact 95% CI", loc="right", color=ink, fontsize=10)
    return fig
