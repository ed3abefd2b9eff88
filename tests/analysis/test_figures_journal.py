"""Figures a journal accepts (issue 13): 300 dpi PNGs at their printed size,
text of at least 8 pt, every axis labelled with its unit, counts that say
what was counted, CIs on the search means with the fitted slope lines, and
Greenwood confidence bands on the Kaplan-Meier curves.

Each task's figures come from the real pipeline on simulated sessions
(``write_sessions`` -> ``run_analysis`` -> the task's ``figures``), and the
files from ``write_outputs``, as ``attentionlab analyze`` writes them.
"""

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.text import Text
from PIL import Image

from attentionlab.analysis.pipeline import run_analysis, write_outputs
from attentionlab.simulation.sessions import write_sessions

from attentionlab.tasks import TASKS  # noqa: E402  every task, the new ones too
N_PARTICIPANTS = 6
PRINT_DPI = 300
MIN_PT = 8.0
MAX_WIDTH_IN = 7.2  # two journal columns: wider figures are shrunk, and their text with them

# The convention (attentionlab.core.figures): a unit in parentheses at the
# end, "Proportion of <what>", or an axis of categories marked as such.
UNIT_AT_END = re.compile(r"\S.*\([^()]+\)$")
PROPORTION = re.compile(r"^Proportion of \w+")
COUNT_WORDS = ("participant", "trial", "message", "report", "people", "person",
               "student", "change", "answer")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """task -> (figures dict, output folder)."""
    out = {}
    for task in TASKS:
        root = tmp_path_factory.mktemp(task)
        write_sessions(task, N_PARTICIPANTS, root / "data", seed=3)
        result = run_analysis([root / "data"])
        used = result.test[result.cleaning.used.to_numpy()]
        figures = result.analysis.figures(result.participants, used)
        write_outputs(result, root / "out")
        out[task] = (figures, root / "out", result)
    return out


def _axes(fig):
    return [ax for ax in fig.axes if ax.axison]


def _label_ok(axis) -> bool:
    label = axis.label.get_text().strip()
    if not label:
        return False
    if axis.label.get_gid() == "categorical":
        ticks = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        # a category axis names things, not numbers (no dodging the unit)
        return bool(ticks) and not any(re.fullmatch(r"[−\-\d.,%\s]+", t) for t in ticks)
    return bool(UNIT_AT_END.match(label) or PROPORTION.match(label))


def _texts(fig):
    fig.draw_without_rendering()  # tick labels exist only once drawn
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("task", TASKS)
def test_pngs_are_300_dpi_at_their_printed_size(analysed, task):
    figures, out, _ = analysed[task]
    pngs = sorted(out.glob("*.png"))
    assert {p.stem for p in pngs} == set(figures)
    for png in pngs:
        fig = figures[png.stem]
        width_in, height_in = fig.get_size_inches()
        assert width_in <= MAX_WIDTH_IN, png.name
        with Image.open(png) as image:
            assert tuple(round(d) for d in image.info["dpi"]) == (PRINT_DPI, PRINT_DPI), png.name
            assert image.size == (round(width_in * PRINT_DPI), round(height_in * PRINT_DPI))
        assert (out / f"{png.stem}.svg").read_text().lstrip().startswith("<?xml")



@pytest.mark.parametrize("task", ["stroop", "search"])
def test_report_shows_figures_at_their_printed_size(analysed, task):
    """A 300-dpi PNG is shown at width inches x 96 CSS px, not stretched to the page."""
    figures, out, _ = analysed[task]
    html = (out / "report.html").read_text()
    widths = [int(w) for w in re.findall(r'<img alt="[^"]*" width="(\d+)"', html)]
    expected = sorted(round(fig.get_size_inches()[0] * 96) for fig in figures.values())
    assert sorted(widths) == expected and len(widths) == len(figures)


@pytest.mark.parametrize("task", TASKS)
def test_every_axis_is_labelled_with_its_unit(analysed, task):
    figures, _, _ = analysed[task]
    for stem, fig in figures.items():
        fig.draw_without_rendering()
        assert _axes(fig), f"{task}/{stem}: nothing plotted"
        for ax in _axes(fig):
            for axis in (ax.xaxis, ax.yaxis):
                assert _label_ok(axis), f"{task}/{stem}: {axis.label.get_text()!r}"


@pytest.mark.parametrize("task", TASKS)
def test_text_is_at_least_8_pt_when_printed(analysed, task):
    figures, _, _ = analysed[task]
    for stem, fig in figures.items():
        small = [(t.get_text(), t.get_fontsize()) for t in _texts(fig)
                 if t.get_fontsize() < MIN_PT]
        assert not small, f"{task}/{stem}: {small}"


@pytest.mark.parametrize("task", TASKS)
def test_counts_say_what_was_counted(analysed, task):
    figures, _, _ = analysed[task]
    for stem, fig in figures.items():
        for text in (t.get_text() for t in _texts(fig)):
            for match in re.finditer(r"\bn\s*=\s*[\d,]+(\s+\w+)?", text):
                word = (match.group(1) or "").strip()
                assert word.startswith(COUNT_WORDS), f"{task}/{stem}: {text!r}"
            # a bare number in brackets ("(572)") is a count without its noun; years pass
            assert not re.search(r"\((?!(19|20)\d\d\))\s*[\d,]+\s*\)", text), \
                f"{task}/{stem}: {text!r}"


def test_search_means_have_95_ci_and_fitted_slope_lines(analysed):
    figures, _, result = analysed["search"]
    ax = figures["rt_by_set_size"].axes[0]
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    cells = result.participants.groupby(["search_type", "target_present"])
    assert len(bars) == cells.ngroups == 6
    for bar in bars:
        (segments,) = bar.lines[2]  # the vertical error bars, one per set size
        lengths = [abs(s[1][1] - s[0][1]) for s in segments.get_segments()]
        assert len(lengths) == 4 and min(lengths) > 0
    fits = [line for line in ax.lines if line.get_gid() == "fitted_slope"]
    assert len(fits) == 6
    # Each fitted line is the participants' mean line: mean intercept + mean slope x size.
    people = result.participants.groupby(["participant", "search_type", "target_present"])[
        ["slope_ms_per_item", "intercept_ms"]].mean().reset_index()
    means = people.groupby(["search_type", "target_present"])[
        ["slope_ms_per_item", "intercept_ms"]].mean()
    drawn = []
    for line in fits:
        x, y = (np.asarray(v, float) for v in line.get_data())
        slope = (y[-1] - y[0]) / (x[-1] - x[0])
        drawn.append((round(slope, 6), round(y[0] - slope * x[0], 6)))
    expected = [(round(r.slope_ms_per_item, 6), round(r.intercept_ms, 6))
                for r in means.itertuples()]
    assert sorted(drawn) == sorted(expected)


def test_kaplan_meier_curves_have_confidence_bands(analysed):
    figures, _, _ = analysed["flicker"]
    ax = figures["km_interest"].axes[0]
    curves = [line for line in ax.lines if line.get_drawstyle() == "steps-post"]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(curves) == 3 and len(bands) == len(curves)
    for band in bands:
        y = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
        assert y.min() < 0.5 < y.max()  # a band, not a line: it opens as changes are found


def test_km_band_is_greenwood_with_log_log_transform():
    """Five detections, no censoring: at the first, S = 0.8, Greenwood
    var(S) = S^2 d / (n (n - d)) = 0.032; the log-log 95% CI is
    S^exp(+-1.96 sqrt(1/20) / |ln 0.8|) = [0.2038, 0.9692] (R survfit,
    conf.type = "log-log", gives the same)."""
    from attentionlab.analysis.flicker import km_band

    data = pd.DataFrame({"detection_time_ms": [100.0, 200, 300, 400, 500],
                         "timed_out": [0, 0, 0, 0, 0], "phase": "test"})
    band = km_band(data)
    first = band[band["time_ms"] == 100].iloc[0]
    assert first["survival"] == pytest.approx(0.8)
    assert first["ci_low"] == pytest.approx(0.2038, abs=1e-4)
    assert first["ci_high"] == pytest.approx(0.9692, abs=1e-4)
    start = band.iloc[0]
    assert (start["time_ms"], start["ci_low"], start["ci_high"]) == (0.0, 1.0, 1.0)
    assert band.iloc[-1]["survival"] == 0.0 and band.iloc[-1]["ci_high"] == 0.0


def test_class_report_figures_are_print_ready():
    from attentionlab.classroom.figures import class_figure, png_bytes
    from attentionlab.classroom.textbook import TEXTBOOK
    import io

    rng = np.random.default_rng(0)
    for task, entry in TEXTBOOK.items():
        if entry.kind == "proportion":
            students = pd.DataFrame({"value": rng.integers(0, 2, 10).astype(float)})
            stats = {"ci_low": 0.2, "ci_high": 0.8}
        else:
            students = pd.DataFrame({"value": rng.normal(50, 10, 10)})
            if entry.contrast:
                students[entry.contrast] = rng.normal(5, 2, 10)
            stats = {"mean": 50.0, "ci_low": 45.0, "ci_high": 55.0}
        fig = class_figure(entry, students, stats)
        for ax in _axes(fig):
            for axis in (ax.xaxis, ax.yaxis):
                assert _label_ok(axis), f"{task}: {axis.label.get_text()!r}"
        with Image.open(io.BytesIO(png_bytes(fig))) as image:
            assert tuple(round(d) for d in image.info["dpi"]) == (PRINT_DPI, PRINT_DPI)


def test_shadowing_figure_is_labelled_and_counts_people():
    """The shadowing figure appears only with scored recordings (not in the
    simulation): built here from scored message rows, one participant short
    in one condition, so the counts go under the bars."""
    from attentionlab.analysis.dichotic import shadowing_figure
    from attentionlab.core.figures import styled

    rng = np.random.default_rng(1)
    rows = [{"participant": f"p{p}", "session": "1", "phase": "test", "item": "message",
             "message": i + 1, "manipulation": m, "attended_ear": ("left", "right")[(p + i) % 2],
             "shadow_scored_by": "auto", "shadow_proportion": rng.uniform(0.6, 1.0),
             "shadow_median_lag_s": 1.2, "shadow_intrusions": 0}
            for p in range(6) for i, m in enumerate(("none", "voice", "tone"))
            if not (p == 0 and m == "tone")]
    fig = styled(shadowing_figure)(pd.DataFrame(rows))
    ax = fig.axes[0]
    for axis in (ax.xaxis, ax.yaxis):
        assert _label_ok(axis), axis.label.get_text()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "tone\n5 people" in ticks and "voice\n6 people" in ticks
    assert min(t.get_fontsize() for t in _texts(fig)) >= MIN_PT


def test_power_curve_is_a_300_dpi_png(tmp_path):
    from attentionlab.simulation.power import power_figure

    table = pd.DataFrame({"participants": [10, 20, 10, 20], "trials": [48, 48, 144, 144],
                          "power": [0.3, 0.6, 0.5, 0.8], "ci_low": [0.2, 0.5, 0.4, 0.7],
                          "ci_high": [0.4, 0.7, 0.6, 0.9]})
    power_figure(table, {"interference_ms": 30.0}, tmp_path / "power_curve.png")
    with Image.open(tmp_path / "power_curve.png") as image:
        assert tuple(round(d) for d in image.info["dpi"]) == (PRINT_DPI, PRINT_DPI)
        assert image.size[0] <= MAX_WIDTH_IN * PRINT_DPI


@pytest.mark.parametrize("task", ("stroop", "search", "conjunctions"))
def test_one_participant_figures_promise_no_ci(tmp_path, task):
    """One participant gives means but no CI over participants: the titles say
    so instead of naming a 95% CI that is not drawn; axes stay labelled."""
    write_sessions(task, 1, tmp_path, seed=5)
    result = run_analysis([tmp_path])
    used = result.test[result.cleaning.used.to_numpy()]
    for stem, fig in result.analysis.figures(result.participants, used).items():
        titles = [ax.get_title() for ax in fig.axes]
        assert not any("95% CI" in t for t in titles), f"{task}/{stem}: {titles}"
        for ax in _axes(fig):
            for axis in (ax.xaxis, ax.yaxis):
                assert _label_ok(axis), f"{task}/{stem}: {axis.label.get_text()!r}"
