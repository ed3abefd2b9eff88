"""simulate -> analyze: the analysis finds the slopes programmed into the
simulated searchers (each participant's true slopes are in their sidecar)."""

import json
import math

import pandas as pd
import pytest
from cli_runner import run_cli

N = 12
SIGMA, TAU = 70.0, 100.0  # the population defaults (trial noise)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    root = tmp_path_factory.mktemp("search_recovery")
    # A long deadline, so no slow absent trial is cut off (that would flatten slopes).
    sim = run_cli(["simulate", "search", "--participants", str(N), "--out", str(root / "x"),
                   "--seed", "4", "--set", "deadline_ms=20000"])
    assert sim.returncode == 0, sim.stderr
    result = run_cli(["analyze", str(root / "x"), "--out", str(root / "y")])
    assert result.returncode == 0, result.stderr
    estimated = pd.read_csv(root / "y" / "participants.csv", dtype={"participant": str})
    truth = []
    for path in sorted((root / "x").glob("sub-*/*_beh.json")):
        side = json.loads(path.read_text())
        model = side["simulation"]["participant"]
        for search_type in ("feature", "conjunction", "spatial"):
            present = model[f"{search_type}_slope_ms"]
            truth += [(side["participant"], search_type, 1, present),
                      (side["participant"], search_type, 0, present * model["absent_ratio"])]
    truth = pd.DataFrame(truth, columns=["participant", "search_type", "target_present",
                                         "true_slope"])
    return estimated.merge(truth, on=["participant", "search_type", "target_present"])


def test_participants_table_has_every_participant_and_condition(analysed):
    assert len(analysed) == N * 3 * 2
    assert {"slope_ms_per_item", "intercept_ms", "r2", "error_rate", "n_used"} <= set(
        analysed.columns)


def test_mean_slopes_come_back_within_their_standard_error(analysed):
    # Slope of a line through 4 set-size means of ~12 trials each:
    # SE = sd(RT) / sqrt(12) / sqrt(sum((x - mean x)^2)), x = 4, 8, 16, 32.
    ss_x = sum((x - 15) ** 2 for x in (4, 8, 16, 32))
    se_one = math.sqrt(SIGMA**2 + TAU**2) / math.sqrt(12) / math.sqrt(ss_x)
    tolerance = 3.5 * se_one / math.sqrt(N) * 1.3  # 1.3: tau varies between people
    for (search_type, present), cell in analysed.groupby(["search_type", "target_present"]):
        error = (cell.slope_ms_per_item - cell.true_slope).mean()
        assert abs(error) < tolerance, (search_type, present, error, tolerance)


def test_each_participants_slopes_track_their_true_slopes(analysed):
    inefficient = analysed[analysed.search_type != "feature"]
    assert inefficient.slope_ms_per_item.corr(inefficient.true_slope) > 0.95
