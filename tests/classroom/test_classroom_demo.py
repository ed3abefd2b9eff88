"""A real ``demo`` on Xvfb: the autopilot picks the first demo (a short Stroop),
the session runs in its own process, the results screen appears, then Escape
quits the menu. Screens are captured and read back."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from PIL import Image

pytestmark = pytest.mark.display

YOU = np.array([242, 142, 43])        # the student's bar (classroom_figures.YOU)
TEXTBOOK = np.array([78, 121, 167])   # the textbook's bar (classroom_figures.PUBLISHED)


def share_near(image, colour, tolerance=30):
    pixels = np.asarray(Image.open(image).convert("RGB")).astype(int)
    return float((np.abs(pixels - colour).max(axis=2) <= tolerance).mean())


@pytest.fixture(scope="module")
def demo_run(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "DISPLAY": x_display,
           "ATTENTIONLAB_CAPTURE_DIR": str(root / "screens")}
    command = [sys.executable, "-m", "attentionlab.experiments.cli", "demo",
               "--data-dir", str(root / "data"), "--student", "S1234", "--windowed",
               "--autopilot", "--tasks", "stroop,search", "--set", "stroop.trials=8",
               "--set", "stroop.practice_trials=2"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    return root, done


def test_demo_runs_the_task_and_returns_to_the_menu(demo_run):
    root, done = demo_run
    assert done.returncode == 0, done.stderr
    screens = sorted(p.name for p in (root / "screens").glob("*.png"))
    assert screens == ["0001_menu.png", "0002_results.png", "0003_menu.png"]
    session = sorted(p.name for p in (root / "screens" / "task01_stroop").glob("*.png"))
    assert any("test_" in name for name in session) and session[-1].endswith("thanks.png")
    files = list((root / "data" / "sub-S1234").glob("*_task-stroop_run-1_beh.csv"))
    assert len(files) == 1
    data = pd.read_csv(files[0])
    test = data[data["phase"] == "test"]
    # The demo's own short version (congruent and incongruent only), with the
    # teacher's --set on top of it.
    assert len(test) == 8 and set(test["congruency"]) == {"congruent", "incongruent"}
    assert (data["simulated"] == 1).all()
    assert "Demo ended" in done.stdout


def test_results_screen_shows_the_students_own_effect(demo_run):
    root, done = demo_run
    data = pd.read_csv(next((root / "data" / "sub-S1234").glob("*.csv")))
    ok = data[(data["phase"] == "test") & (data["correct"] == 1) & (data["rt_ms"] >= 200)]
    means = ok.groupby("congruency")["rt_ms"].mean()
    effect = means["incongruent"] - means["congruent"]
    words = (f"took {effect:.0f} ms longer" if effect > 0 else
             f"were {abs(effect):.0f} ms faster")
    assert f"Result of S1234, stroop: You {words}" in done.stdout
    results = root / "screens" / "0002_results.png"
    # The figure: the student's bar and the textbook's bar are both on screen.
    assert share_near(results, TEXTBOOK) > 0.001
    # The student's bar, when it is tall enough to count pixels: eight trials
    # can give an effect near 0 ms (0.8 ms in one run), a bar a pixel or two
    # high on a scale that also shows the textbook's value.
    assert effect < 10 or share_near(results, YOU) > 0.002, effect
    menu = root / "screens" / "0001_menu.png"
    assert share_near(menu, np.array([255, 255, 255]), 40) > 0.005  # text is drawn
    outline = np.array([249, 198, 147])  # classroom_screens.HIGHLIGHT: the item under the mouse
    assert share_near(menu, outline, 12) == 0  # the pointer is not on an item yet
    # The autopilot clicked the first item: the pointer is still on it.
    assert share_near(root / "screens" / "0003_menu.png", outline, 12) > 0.001
