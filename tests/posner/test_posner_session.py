"""A real Posner session on Xvfb with the autopilot: the dot in the box the
plan says, the cue where it says, the photodiode on the dot's onset, catch
trials without presses; its trials are the plan's and its columns are filled
like its simulated twin's (tests/contract_checks.py)."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from cli_runner import run_cli
from contract_checks import assert_filled_like_simulation, assert_same_plan

pytestmark = pytest.mark.display

# 1024 x 768 window, 'height' units: 1 unit = 768 px; boxes 0.3 from the centre.
CENTRE_X, CENTRE_Y, UNIT_PX = 512, 384, 768
BOX_X = {"left": CENTRE_X - round(0.3 * UNIT_PX), "right": CENTRE_X + round(0.3 * UNIT_PX)}
BOX_HALF = round(0.06 * UNIT_PX)


@pytest.fixture(scope="module")
def session(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("posner")
    captures = root / "captures"
    # --skip-intro leaves the practice out, and contract_checks compares the rows
    # with the whole plan (practice + test): so no practice is planned either.
    # Short: two blocks (one per cue type) of 6 dots and 2 catch trials; a
    # participant who never misses a dot and never presses without one.
    args = ["run", "posner", "--participant", "P2", "--windowed", "--autopilot",
            "--photodiode", "--skip-intro", "--set", "practice_trials=0", "--data-dir", str(root / "data"), "--seed", "4",
            "--trials", "1", "--set", "blocks=2", "--set", "soas=300",
            "--set", "validity_weights=1,1,1", "--set", "catch_percent=20",
            "--set", "fixation_ms=300", "--set", "fixation_jitter_ms=100",
            "--set", "iti_ms=200", "--set", "miss_rate=0", "--set", "false_alarm_rate=0",
            "--set", "false_alarm_sd=0"]
    done = run_cli(args, display=x_display, timeout=600,
                   env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(captures)})
    assert done.returncode == 0, done.stderr
    csv = next((root / "data").rglob("*_beh.csv"))
    return {"csv": csv, "rows": pd.read_csv(csv, keep_default_na=False),
            "sidecar": json.loads(csv.with_suffix(".json").read_text()),
            "shots": sorted(Path(captures).glob("*.png"))}


def test_trials_are_the_plan_and_filled_like_the_simulation(session):
    assert_same_plan(session["csv"])
    assert_filled_like_simulation(session["csv"])


def test_dots_are_answered_and_catch_trials_are_not(session):
    rows = session["rows"]
    assert len(rows) == 16 and session["sidecar"]["completed"]
    assert session["sidecar"]["block_cue_types"] == ["endogenous", "exogenous"]
    catch, dots = rows[rows["validity"] == "catch"], rows[rows["validity"] != "catch"]
    assert len(catch) == 4
    assert (catch["response"] == "").all() and (catch["false_alarm"] == "0").all()
    assert (dots["response"] == "space").all() and (dots["false_alarm"] == "").all()
    assert (rows["correct"] == 1).all()
    assert (pd.to_numeric(dots["rt_ms"]) > 150).all()
    planned = [t["planned_rt_ms"] for t in session["sidecar"]["autopilot"]["trials"]]
    assert sum(p is None for p in planned) == 4


def grey(path):
    return np.asarray(Image.open(path).convert("L")).astype(int)


def stems(shots, pattern):
    return [p for p in shots if re.fullmatch(pattern, p.stem.split("_", 1)[1])]


def test_the_dot_is_in_the_planned_box_with_the_photodiode(session):
    shots = stems(session["shots"], r"test_(valid|invalid|neutral|catch)")
    rows = session["rows"]
    assert len(shots) == len(rows)
    for shot, (_, row) in zip(shots, rows.iterrows()):
        image = grey(shot)
        centre = {side: image[CENTRE_Y - 5:CENTRE_Y + 5, x - 5:x + 5].mean()
                  for side, x in BOX_X.items()}
        for side, brightness in centre.items():
            assert (brightness > 200) == (side == row["target_side"]), (shot.name, centre)
        assert image[-20:, :20].min() > 200  # the photodiode square, bottom left


def test_cues_look_as_documented(session):
    shots = session["shots"]
    for shot in stems(shots, r"cue_exogenous_(left|right|neutral)"):
        cue = shot.stem.rsplit("_", 1)[1]
        image = grey(shot)
        for side, x in BOX_X.items():
            edge = image[CENTRE_Y - 10:CENTRE_Y + 10, x - BOX_HALF - 4:x - BOX_HALF + 4].max()
            brightened = cue in (side, "neutral")
            assert (edge > 230) == brightened, (shot.name, side, edge)
        assert image[-20:, :20].max() < 50  # no photodiode on the cue
    for shot in stems(shots, r"cue_endogenous_(left|right|neutral)"):
        cue = shot.stem.rsplit("_", 1)[1]
        image = grey(shot)
        arrow = image[CENTRE_Y - 20:CENTRE_Y + 20, CENTRE_X - 40:CENTRE_X + 40] > 200
        assert arrow.sum() > 100
        left, right = arrow[:, :40].sum(), arrow[:, 40:].sum()
        cols = np.nonzero(arrow.any(axis=0))[0]
        # the arrow head (the tall end) is on the cued side
        heights = arrow.sum(axis=0)
        if cue == "left":
            assert heights[cols[:8]].max() > heights[cols[-8:]].max()
        elif cue == "right":
            assert heights[cols[-8:]].max() > heights[cols[:8]].max()
        else:
            assert abs(int(left) - int(right)) < 0.2 * (left + right)
