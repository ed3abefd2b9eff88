"""A real visual-search session on Xvfb, answered by the autopilot through the
real presenter; the captured screens are read back pixel by pixel and must
show exactly the items each data row says."""

import json

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli
from contract_checks import assert_filled_like_simulation, assert_same_plan
from PIL import Image
from scipy import ndimage

from attentionlab.core.columns import column_names
from attentionlab.stimuli import search
from attentionlab.stimuli.search_layout import decode_items

pytestmark = pytest.mark.display

# Which edges of its bounding box a shape fills completely (PsychoPy's ori is clockwise).
FULL_EDGES = {"T0": {"top"}, "T90": {"right"}, "T180": {"bottom"}, "T270": {"left"},
              "L0": {"left", "bottom"}, "L90": {"top", "left"}, "L180": {"right", "top"},
              "L270": {"bottom", "right"}}


@pytest.fixture(scope="module")
def session(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("search_session")
    captures = root / "screens"
    result = run_cli([
        "run", "search", "--participant", "P4", "--data-dir", str(root), "--autopilot",
        "--windowed", "--seed", "6", "--trials", "12",
        "--set", "set_sizes=4,32", "--set", "blocks_per_type=1",
        "--set", "practice_trials=2", "--set", "fixation_ms=100", "--set", "iti_ms=100",
        "--set", "feedback_ms=200", "--set", "deadline_ms=1000",
        "--set", "mu_ms=300", "--set", "conjunction_slope_ms=8",
        "--set", "spatial_slope_ms=15", "--set", "miss_rate=0.2",
        "--set", "false_alarm_rate=0.2", "--set", "error_sd=0"],
        display=x_display, timeout=600,
        env_extra={"ATTENTIONLAB_CAPTURE_DIR": str(captures)})
    assert result.returncode == 0, result.stderr
    csv_path = next(root.glob("sub-P4/*_beh.csv"))
    data = pd.read_csv(csv_path, dtype={"participant": str, "session": str, "response": str,
                                        "target_kind": str}, keep_default_na=False)
    sidecar = json.loads(csv_path.with_suffix(".json").read_text())
    return data, sidecar, sorted(captures.glob("*.png")), csv_path


def test_trials_are_the_plan_and_columns_are_filled_like_the_simulation(session):
    csv_path = session[3]
    assert_same_plan(csv_path)
    assert_filled_like_simulation(csv_path)
    # The sidecar's counterbalancing is the definition's plan_facts.
    params = search.SearchParams(trials=12, set_sizes=(4, 32), blocks_per_type=1)
    assert session[1]["counterbalance"] == search.plan_facts(params, "P4", 6)["counterbalance"]


def test_session_file_and_sidecar(session):
    data, sidecar, *_ = session
    assert list(data.columns) == column_names(search.COLUMNS)
    assert (data.phase == "practice").sum() == 6 and (data.phase == "test").sum() == 12
    assert sidecar["completed"] and sidecar["trials_done"] == 12
    assert sidecar["key_mapping"]["present"] == "f"  # P4: even number
    assert sidecar["counterbalance"]["block_types"] == ["conjunction", "feature", "spatial"]
    test = data[data.phase == "test"]
    assert list(dict.fromkeys(test.search_type)) == ["conjunction", "feature", "spatial"]
    assert (test.groupby(["search_type", "set_size"]).target_present.mean() == 0.5).all()
    answered = data[data.response != ""]
    assert len(answered) > 0 and set(answered.response) <= {"f", "j"}
    assert (answered.correct == (answered.response == answered.correct_key)).all()
    assert (answered.answered_present.astype(int) == (answered.response == "f")).all()
    # The recorded RTs are the injected presses (timestamped by the keyboard
    # backend): never before the press was made. How much later depends on the
    # machine's load; benchmarks/autopilot_timing.py prints it.
    plans = {t["trial_index"]: t for t in sidecar["autopilot"]["trials"]}
    for row in answered.itertuples():
        assert float(row.rt_ms) >= plans[row.trial_index]["injected_rt_ms"] - 1.0  # µs rounding
    # only trials with a planned press have an answer
    assert set(answered.trial_index) <= {i for i, t in plans.items()
                                         if t["planned_rt_ms"] is not None}


def test_screens_follow_the_procedure(session):
    data, _, screens, _ = session
    names = ["_".join(p.stem.split("_")[1:]) for p in screens]
    assert names[:3] == ["instructions", "practice_intro", "practice_block_conjunction"]
    assert names.count("test_intro") == 1 and names.count("break") == 2
    assert [n for n in names if n.startswith("test_block_")] == [
        "test_block_conjunction", "test_block_feature", "test_block_spatial"]
    feedback = [n for n in names if n.startswith("feedback_")]
    practice = data[data.phase == "practice"]
    expected = ["feedback_too_slow" if r.response == "" else
                "feedback_correct" if r.correct == 1 else "feedback_wrong"
                for r in practice.itertuples()]
    assert feedback == expected
    # seed 6 makes the simulated participant err, and miss the deadline, in practice
    assert set(feedback) == {"feedback_correct", "feedback_wrong", "feedback_too_slow"}
    assert names[-1] == "thanks"


def _shapes_in(path):
    """Each shape of a display screenshot: centre ('height' units), colour, kind."""
    image = np.asarray(Image.open(path).convert("RGB")).astype(int)
    height, width, _ = image.shape
    field = np.zeros(image.shape[:2], bool)
    field[: int(height * 0.93)] = True  # leave out the practice key reminder at the bottom
    lit = (image.max(axis=2) > 80) & field
    labels, n = ndimage.label(lit)
    shapes = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        mask = labels[box] == index
        if mask.sum() < 20:
            continue
        ys, xs = box
        cx, cy = (xs.start + xs.stop - 1) / 2, (ys.start + ys.stop - 1) / 2
        r, g, b = image[box][mask].mean(axis=0)
        colour = "red" if r > 150 and g < 100 else "green" if g > 120 and r < 100 else "white"
        h, w = mask.shape
        if colour == "white":
            edges = {"top": mask[0].mean(), "bottom": mask[-1].mean(),
                     "left": mask[:, 0].mean(), "right": mask[:, -1].mean()}
            full = {e for e, v in edges.items() if v > 0.9}
            kind = next((k for k, v in FULL_EDGES.items() if v == full), "?")
        else:
            kind = colour[0].upper() + ("V" if h > w else "H")
        shapes.append(((cx - width / 2) / height, (height / 2 - cy) / height, kind))
    return shapes


def test_every_display_shows_exactly_the_items_of_its_row(session):
    data, _, screens, _ = session
    displays = [p for p in screens
                if p.stem.split("_")[1] in ("practice", "test") and
                p.stem.split("_")[-1] in ("present", "absent")]
    assert len(displays) == len(data)
    tolerance = 2.5 / 768  # two pixels and a half, in 'height' units
    for path, row in zip(displays, data.itertuples()):
        assert path.stem.endswith(f"{row.search_type}_{row.set_size}_"
                                  f"{'present' if row.target_present else 'absent'}")
        shapes = _shapes_in(path)
        items = decode_items(row.items)
        assert len(shapes) == row.set_size == len(items), path.name
        for item in items:
            match = [s for s in shapes
                     if abs(s[0] - item.x) < tolerance and abs(s[1] - item.y) < tolerance]
            assert len(match) == 1, (path.name, item)
            assert match[0][2] == item.kind, (path.name, item, match[0])
        targets = [s for s in shapes if s[2] == "RV" or s[2].startswith("T")]
        assert len(targets) == row.target_present
