"""Stimuli in degrees, measured on the screen: a 2-degree search item at a
known geometry is drawn the expected number of pixels tall (read back from
the captured PNG), and without a monitor the screen-unit size is drawn and
the session says so once.

Expected pixels, by hand: the monitor is 40 cm wide at 1024 pixels and
57 cm away. PsychoPy's 'deg' units (deg2pix, no flat-screen correction)
make one degree ``57 * 0.017455 = 0.99494 cm``, i.e. ``0.99494 * 1024 / 40
= 25.470`` pixels; a bar 2 degrees long is ``50.94`` pixels. The screen-unit
fallback (``item_size`` 0.06 of a 768-pixel window) is ``46.08`` pixels,
so the two cannot be confused at a tolerance of 1.5 pixels (anti-aliased
edges).
"""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli
from PIL import Image
from scipy import ndimage

pytestmark = pytest.mark.display

WIDTH_CM, DISTANCE_CM, RES = 40.0, 57.0, (1024, 768)
PX_PER_DEG = DISTANCE_CM * 0.017455 * RES[0] / WIDTH_CM  # 25.470
ITEM_DEG = 2.0
EXPECTED_PX = ITEM_DEG * PX_PER_DEG                          # 50.94
FALLBACK_PX = 0.06 * RES[1]                                  # 46.08
TOLERANCE_PX = 1.5

SEARCH = ["--autopilot", "--windowed", "--skip-intro", "--seed", "3", "--trials", "2",
          "--set", "search_types=feature", "--set", "set_sizes=4",
          "--set", "blocks_per_type=1", "--set", "practice_trials=0",
          "--set", "fixation_ms=100", "--set", "iti_ms=100",
          "--set", f"item_size_deg={ITEM_DEG}"]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A private HOME whose Monitor Center holds 'lab40' (never the user's own)."""
    home = tmp_path_factory.mktemp("home")
    made = subprocess.run(
        [sys.executable, "-c",
         "from psychopy import monitors\n"
         f"m = monitors.Monitor('lab40', width={WIDTH_CM}, distance={DISTANCE_CM})\n"
         f"m.setSizePix([{RES[0]}, {RES[1]}])\n"
         "m.saveMon()\n"
         f"m = monitors.Monitor('lab40hd', width={WIDTH_CM}, distance={DISTANCE_CM})\n"
         "m.setSizePix([1920, 1080])\n"
         "m.saveMon()\n"],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return home


def _run(root, x_display, home, extra):
    captures = root / "screens"
    result = run_cli(["run", "search", "--participant", "P1", "--data-dir", str(root),
                      *SEARCH, *extra], display=x_display, timeout=600,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(captures), "HOME": str(home)})
    assert result.returncode == 0, result.stderr
    csv_path = next(root.glob("sub-P1/*_beh.csv"))
    sidecar = json.loads(csv_path.with_suffix(".json").read_text())
    return result, pd.read_csv(csv_path), sidecar, sorted(captures.glob("*_test_feature_*.png"))


def _bars(png):
    """Bounding boxes (rows, columns) of the red and green bars in a capture."""
    a = np.asarray(Image.open(png).convert("RGB")).astype(int)
    coloured = ((a[..., 0] > 150) & (a[..., 1] < 100)) | ((a[..., 1] > 120) & (a[..., 0] < 100))
    labels, _ = ndimage.label(coloured)
    return [(sl[0], sl[1]) for sl in ndimage.find_objects(labels)]


@pytest.fixture(scope="module")
def calibrated(x_display, home, tmp_path_factory):
    return _run(tmp_path_factory.mktemp("deg"), x_display, home, ["--monitor", "lab40"])


@pytest.fixture(scope="module")
def uncalibrated(x_display, home, tmp_path_factory):
    return _run(tmp_path_factory.mktemp("height"), x_display, home, [])


def test_a_two_degree_item_measures_the_expected_pixels(calibrated):
    _, data, _, screens = calibrated
    assert len(screens) == 2
    for png, items in zip(screens, data["items"]):
        bars = _bars(png)
        assert len(bars) == 4  # set size 4, no bar missing or merged
        for rows, cols in bars:
            height = rows.stop - rows.start
            assert abs(height - EXPECTED_PX) <= TOLERANCE_PX, (png.name, height)
            # A bar is a 1:4 rectangle of the same size (experiments/search.py BAR_WIDTH).
            assert abs((cols.stop - cols.start) - EXPECTED_PX / 4) <= TOLERANCE_PX
        # Positions are still the plan's 'height' units: centre = 512 + x * 768 px.
        centres = sorted(((c.start + c.stop) / 2, (r.start + r.stop) / 2) for r, c in bars)
        planned = sorted((RES[0] / 2 + float(x) * RES[1], RES[1] / 2 - float(y) * RES[1])
                         for x, y, _ in (i.split(":") for i in items.split(";")))
        np.testing.assert_allclose(centres, planned, atol=1.5)


def test_sidecar_records_the_geometry_and_the_size_in_degrees_and_pixels(calibrated):
    result, _, sidecar, _ = calibrated
    geometry = sidecar["display"]["geometry"]
    assert geometry["calibrated"] is True
    assert (geometry["width_cm"], geometry["distance_cm"]) == (WIDTH_CM, DISTANCE_CM)
    assert geometry["resolution"] == list(RES) == geometry["screen_px"]
    assert geometry["pixels_per_degree"] == pytest.approx(PX_PER_DEG, abs=1e-3)
    assert geometry["sizes"]["item_size_deg"] == {
        "deg": ITEM_DEG, "px": pytest.approx(EXPECTED_PX, abs=0.01),
        "drawn_from": "item_size_deg"}
    assert "no monitor geometry" not in result.stderr


def test_without_a_monitor_screen_units_are_drawn_and_said_once(uncalibrated):
    result, _, sidecar, screens = uncalibrated
    for png in screens:
        for rows, _ in _bars(png):
            assert abs((rows.stop - rows.start) - FALLBACK_PX) <= TOLERANCE_PX
    warning = "no monitor geometry: sizes are in screen units (fraction of screen height)"
    assert result.stderr.count(warning) == 1
    geometry = sidecar["display"]["geometry"]
    assert geometry["calibrated"] is False and geometry["note"] == warning
    assert geometry["sizes"]["item_size_deg"]["drawn_from"] == "item_size"
    assert geometry["sizes"]["item_size_deg"]["px"] == pytest.approx(FALLBACK_PX)


# Posner at the same geometry (expected pixels = degrees x 25.470, as above),
# with sizes unlike the screen-unit defaults (whose pixels at this geometry
# equal the *_deg defaults'): box centres 6 deg from the cross = 152.8 px (the
# fallback would be 230.4); boxes 2 deg = 50.9 px between the centres of their
# outlines (the outline is BOX_LINE_PX = 3 px wide, so the outer edge measures
# 53.9 px); the dot 0.8 deg = 20.4 px; the arrow 2 deg = 50.9 px long.
DEG = {"box_offset_deg": 6.0, "box_size_deg": 2.0, "target_size_deg": 0.8,
       "arrow_length_deg": 2.0}
POSNER = ["--autopilot", "--windowed", "--skip-intro", "--seed", "5", "--trials", "4",
          "--set", "blocks=1", "--set", "soas=100", "--set", "validity_weights=1,1,0", "--set", "cue_types=endogenous", "--set", "catch_percent=0",
          "--set", "fixation_ms=100", "--set", "iti_ms=100", "--monitor", "lab40",
          *(f"--set={name}={value}" for name, value in DEG.items())]


@pytest.fixture(scope="module")
def posner_screens(x_display, home, tmp_path_factory):
    root = tmp_path_factory.mktemp("posner_deg")
    result = run_cli(["run", "posner", "--participant", "P1", "--data-dir", str(root),
                      *POSNER], display=x_display, timeout=600,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(root / "screens"),
                                "HOME": str(home)})
    assert result.returncode == 0, result.stderr
    return sorted((root / "screens").glob("*.png"))


def _blobs(png, mask_of):
    a = np.asarray(Image.open(png).convert("RGB")).astype(int)
    labels, _ = ndimage.label(mask_of(a))
    return [(sl[0], sl[1]) for sl in ndimage.find_objects(labels)
            if sl[0].stop - sl[0].start > 5]  # not single anti-aliased pixels


def test_posner_boxes_dot_and_arrow_measure_their_degrees(posner_screens):
    white = lambda a: a.min(axis=2) > 200  # noqa: E731
    grey = lambda a: (abs(a[..., 0] - 128) < 30) & (a.min(axis=2) > 90)  # noqa: E731
    targets = [p for p in posner_screens if "_test_valid" in p.name or "_test_invalid"
               in p.name]
    assert targets
    boxes = _blobs(targets[0], grey)
    assert len(boxes) == 2
    for rows, cols in boxes:
        assert abs((cols.start + cols.stop) / 2 - RES[0] / 2) == pytest.approx(DEG["box_offset_deg"] * PX_PER_DEG,
                                                                              abs=1.5)
        assert cols.stop - cols.start == pytest.approx(DEG["box_size_deg"] * PX_PER_DEG + 3,
                                                        abs=1.5)
    dots = [b for b in _blobs(targets[0], white) if b[1].start > RES[0] / 2 + 60
            or b[1].stop < RES[0] / 2 - 60]
    assert len(dots) == 1
    assert dots[0][1].stop - dots[0][1].start == pytest.approx(DEG["target_size_deg"] * PX_PER_DEG,
                                                              abs=1.5)
    cues = [p for p in posner_screens if "cue_endogenous" in p.name]
    assert cues
    arrows = [b for b in _blobs(cues[0], white) if b[1].stop - b[1].start > 30]
    assert len(arrows) == 1
    assert arrows[0][1].stop - arrows[0][1].start == pytest.approx(DEG["arrow_length_deg"] * PX_PER_DEG,
                                                               abs=1.5)


# Stroop at the same geometry: a word 1.5 deg high (PsychoPy's text height) is
# 1.5 x 25.470 = 38.2 px; the ink of an upper-case word is its cap height,
# about 0.71 of the text height in Noto Sans bold (measured: 27 px), so the ink
# must lie between 0.6 and 0.8 of 38.2 px. The screen-unit fallback
# (word_height 0.12 x 768 = 92.2 px) would give about 65 px of ink.
WORD_DEG = 1.5


def test_stroop_word_height_in_degrees(x_display, home, tmp_path):
    result = run_cli(["run", "stroop", "--participant", "P1", "--data-dir", str(tmp_path),
                      "--autopilot", "--windowed", "--skip-intro", "--seed", "3",
                      "--trials", "3", "--set", "blocks=1", "--set", "fixation_ms=100",
                      "--set", "iti_ms=100", "--set", f"word_height_deg={WORD_DEG}",
                      "--monitor", "lab40"], display=x_display, timeout=600,
                     env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(tmp_path / "screens"),
                                "HOME": str(home)})
    assert result.returncode == 0, result.stderr
    words = sorted((tmp_path / "screens").glob("*_test_*.png"))
    assert words
    expected = WORD_DEG * PX_PER_DEG
    for png in words:
        ink = np.asarray(Image.open(png).convert("RGB")).max(axis=2) > 60
        rows = np.flatnonzero(ink.any(axis=1))
        assert 0.6 * expected <= rows[-1] - rows[0] + 1 <= 0.8 * expected, png.name
    sidecar = json.loads(next(tmp_path.glob("sub-P1/*_beh.json")).read_text())
    assert sidecar["display"]["geometry"]["sizes"]["word_height_deg"]["px"] == pytest.approx(
        expected, abs=0.01)


def test_a_degree_size_too_big_for_the_grid_is_one_line_and_creates_nothing(
        x_display, home, tmp_path):
    # 5 deg = 127 px = 0.166 screen heights; a default grid cell leaves 0.085.
    data = tmp_path / "data"
    done = run_cli(["run", "search", "--participant", "P1", "--data-dir", str(data),
                    "--windowed", "--set", "item_size_deg=5", "--monitor", "lab40"],
                   display=x_display, env_extra={"HOME": str(home)})
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("attentionlab: error: item_size_deg=5 is 0.166 screen heights")
    assert "Traceback" not in done.stderr and not data.exists()


def test_a_resolution_unlike_the_screens_is_said_and_recorded(x_display, home, tmp_path):
    # Monitor Center says 1920x1080; the Xvfb screen is 1024x768.
    # (1 deg is 47.8 px there by the given resolution: a 2-deg item would not fit the grid.)
    result, _, sidecar, _ = _run(tmp_path, x_display, home,
                                 ["--monitor", "lab40hd", "--set", "item_size_deg=1"])
    assert "the monitor's resolution is 1920x1080 but this screen is 1024x768" in result.stderr
    geometry = sidecar["display"]["geometry"]
    assert geometry["resolution"] == [1920, 1080] and geometry["screen_px"] == [1024, 768]
