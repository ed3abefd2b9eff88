"""A real inattention session on Xvfb with the autopilot: phases, questions,
recognition clicks and the screens as captured; its trials are the plan's and
its columns are filled like its simulated twin's (tests/contract_checks.py)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from cli_runner import run_cli
from contract_checks import assert_filled_like_simulation, assert_same_plan

pytestmark = pytest.mark.display


@pytest.fixture(scope="module")
def session(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("inattention")
    captures = root / "captures"
    # A deterministic participant: blind on the critical trial, sees the object
    # when expecting it, always names the shape and the longer arm.
    args = ["run", "inattention", "--participant", "P1", "--windowed", "--autopilot",
            "--photodiode",
            "--data-dir", str(root / "data"), "--seed", "8", "--trials", "2",
            "--set", "fixation_ms=300", "--set", "iti_ms=200",
            "--set", "notice_fixation=0", "--set", "notice_divided=1",
            "--set", "notice_full=1", "--set", "identify_rate=1", "--set", "false_yes=0",
            "--set", "arm_accuracy=1", "--set", "arm_rt_ms=400", "--set", "notice_rt_ms=400",
            "--set", "recognition_ms=500"]
    done = run_cli(args, display=x_display, timeout=600,
                   env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(captures)})
    assert done.returncode == 0, done.stderr
    csv = next((root / "data").rglob("*_beh.csv"))
    return {"csv": csv, "rows": pd.read_csv(csv), "sidecar": json.loads(csv.with_suffix(".json").read_text()),
            "captures": captures}


def test_answers_are_recorded_as_given(session):
    rows = session["rows"]
    assert list(rows["attention"]) == ["inattention"] * 2 + ["divided"] * 2 + ["full"] * 2
    crit = rows[rows["critical"] == 1].set_index("attention")
    assert crit["noticed"].to_dict() == {"inattention": 0, "divided": 1, "full": 1}
    assert (crit.loc[["divided", "full"], "identified"] == 1).all()
    assert (crit["recognition_choice"].loc[["divided", "full"]]
            == crit["object_shape"].loc[["divided", "full"]]).all()
    judged = rows[rows["attention"] != "full"]
    assert (judged["arm_correct"] == 1).all() and (judged["correct"] == 1).all()
    assert (judged["response"] == judged["longer_arm"].str[0]).all()  # h / v keys
    full = rows[rows["attention"] == "full"]
    assert full["arm_response"].isna().all() and list(full["response"]) == ["n", "y"]
    assert (rows["rt_ms"] > 300).all()


def _shot(captures, name):
    return next(p for p in sorted(Path(captures).glob("*.png")) if p.stem.endswith(name))


def test_the_object_appears_at_fixation_only_on_object_trials(session):
    captures = session["captures"]
    centre = lambda p: np.asarray(Image.open(p).convert("L"))[374:394, 502:522]
    plain = centre(_shot(captures, "inattention_cross"))
    critical = centre(_shot(captures, "inattention_critical"))
    assert plain.max() < 50            # nothing at fixation while the cross is off-centre
    assert (critical > 200).sum() > 20  # the object is there
    names = [p.stem.split("_", 1)[1] for p in sorted(Path(captures).glob("*.png"))]
    assert names.count("mask") == 6
    assert names.count("recognition_inattention") == 1
    assert session["sidecar"]["inattention"]["cross_frames"] == 12  # 200 ms at 60 Hz


def test_the_photodiode_square_is_on_the_cross_frames_only(session):
    captures = session["captures"]
    corner = lambda name: np.asarray(Image.open(_shot(captures, name)).convert("L"))[-30:, :30]
    assert corner("inattention_cross").min() > 200 and corner("inattention_critical").min() > 200
    assert corner("mask").max() < 50 and corner("arm_question").max() < 50


def test_trials_are_the_plan_and_columns_are_filled_like_the_simulation(session):
    assert_same_plan(session["csv"])
    assert_filled_like_simulation(session["csv"])
