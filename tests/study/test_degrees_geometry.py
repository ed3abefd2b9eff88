"""Monitor geometry (experiments/monitor_geometry.py): the pixels in a
degree, the study file's [monitor] table, Monitor Center names, and the
one-line errors of `run --monitor` (exit 2, nothing created)."""

import subprocess
import sys

import pytest
from cli_runner import run_cli

from attentionlab.core.errors import UsageError
from attentionlab.experiments.monitor_geometry import Geometry, from_table, size_table
from attentionlab.stimuli import posner, search, stroop


def test_pixels_per_degree_by_hand_and_as_psychopy_draws():
    g = Geometry(width_cm=53.0, distance_cm=60.0, resolution=(1920, 1080))
    # By hand: one degree is 60 * 0.017455 cm (PsychoPy's small-angle factor),
    # at 1920 / 53 pixels per cm.
    assert g.pixels_per_degree() == pytest.approx(60 * 0.017455 * 1920 / 53)
    monitors = pytest.importorskip("psychopy.monitors")
    from psychopy.tools.monitorunittools import deg2pix

    assert g.deg_to_px(2.0) == pytest.approx(deg2pix(2.0, g.monitor()))
    # And the exact visual angle differs by under 0.1% at this size (sanity).
    import math

    exact = 2 * 60 * math.tan(math.radians(1.0)) * 1920 / 53
    assert g.deg_to_px(2.0) == pytest.approx(exact, rel=1e-3)
    assert isinstance(g.monitor(), monitors.Monitor)


@pytest.mark.parametrize("table, says", [
    ({"width_cm": 53}, "distance_cm is missing"),
    ({"distance_cm": 60}, "width_cm is missing"),
    ({"width_cm": 0, "distance_cm": 60}, "width_cm must be between 5 and 1000"),
    ({"width_cm": 53, "distance_cm": -5}, "distance_cm must be between 10 and 2000"),
    ({"width_cm": "53", "distance_cm": 60}, "width_cm must be a number"),
    ({"width_cm": True, "distance_cm": 60}, "width_cm must be a number"),
    ({"width_cm": 53, "distance_cm": 60, "resolution": [1920]}, "resolution must be two"),
    ({"width_cm": 53, "distance_cm": 60, "resolution": [1920.5, 1080]}, "resolution must"),
    ({"width_cm": 53, "distance_cm": 60, "height_cm": 30}, "unknown key 'height_cm'"),
])
def test_bad_monitor_tables_are_one_line_errors(table, says):
    with pytest.raises(UsageError) as exc:
        from_table(table)
    assert says in str(exc.value) and "\n" not in str(exc.value)


def test_a_good_table_and_its_resolution_filled_in_later():
    g = from_table({"width_cm": 53, "distance_cm": 60})
    assert g.resolution is None
    g = g.with_resolution((1920, 1080))
    assert g.describe()["resolution"] == [1920, 1080]
    assert g.describe()["pixels_per_degree"] == pytest.approx(60 * 0.017455 * 1920 / 53,
                                                              abs=1e-4)


def test_every_degree_size_has_a_screen_unit_fallback_parameter():
    for definition in (search, posner, stroop):
        params = definition.PARAMS()
        assert definition.DEGREE_SIZES, definition.TASK
        for deg_name, fallback in definition.DEGREE_SIZES.items():
            assert deg_name.endswith("_deg")
            assert getattr(params, deg_name) > 0 and getattr(params, fallback) > 0


def test_size_table_with_and_without_geometry():
    g = Geometry(40.0, 57.0, (1024, 768))
    p = posner.PosnerParams()
    table = size_table(posner.DEGREE_SIZES, p, g, (1024, 768))
    assert table["box_offset_deg"] == {"deg": 9.0, "px": round(9.0 * g.pixels_per_degree(), 2),
                                       "drawn_from": "box_offset_deg"}
    table = size_table(posner.DEGREE_SIZES, p, None, (1024, 768))
    assert table["box_size_deg"] == {"deg": None, "px": round(0.12 * 768, 2),
                                     "drawn_from": "box_size", "height_units": 0.12}


@pytest.fixture
def home(tmp_path):
    """A private HOME with a Monitor Center holding 'nodistance' (width only)."""
    pytest.importorskip("psychopy")
    made = subprocess.run(
        [sys.executable, "-c",
         "from psychopy import monitors\n"
         "m = monitors.Monitor('nodistance', width=40)\n"
         "m.setDistance(None)\n"
         "m.saveMon()\n"
         "m = monitors.Monitor('tiny', width=2, distance=57)\n"
         "m.saveMon()\n"],
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return tmp_path


@pytest.mark.parametrize("name, says", [
    ("nosuch", "no monitor 'nosuch' in PsychoPy's Monitor Center (known: "),
    ("nodistance", "Monitor Center has no screen distance"),
    ("tiny", "screen width must be between 5 and 1000 cm, got 2"),
])
def test_run_monitor_errors_are_one_line_exit_2_and_create_nothing(home, name, says):
    data = home / "data"
    done = run_cli(["run", "search", "--participant", "P1", "--data-dir", str(data),
                    "--windowed", "--monitor", name], env_extra={"HOME": str(home)})
    assert done.returncode == 2
    assert says in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    if name == "nosuch":  # lists the known ones and says how to add one
        assert "nodistance" in done.stderr and "saveMon()" in done.stderr
    assert not data.exists()
