"""A real PsychoPy Stroop session on Xvfb, answered by the autopilot: the
analysis of its file shows the interference that was programmed in."""

import json
import math

import pandas as pd
import pytest
from cli_runner import run_cli

from attentionlab.analysis.stroop import participant_effects

pytestmark = pytest.mark.display


def test_autopilot_session_shows_the_programmed_interference(x_display, tmp_path):
    programmed, sigma, tau = 150.0, 60.0, 40.0
    result = run_cli([
        "run", "stroop", "--participant", "R1", "--data-dir", str(tmp_path), "--autopilot",
        "--skip-intro", "--windowed", "--trials", "72", "--set", "blocks=1", "--seed", "5",
        "--set", "fixation_ms=100", "--set", "iti_ms=100",
        "--set", f"interference_ms={programmed}", "--set", "interference_sd_ms=0",
        "--set", f"tau_ms={tau}", "--set", "tau_sd_ms=0", "--set", "error_rate=0",
        "--set", "error_cost=0", "--set", "error_sd=0",
        # A quicker participant (neutral RT about 440 ms, not 640): a shorter session, the
        # same check (no RT near the 200 ms cleaning floor: 3 SD of the normal part away).
        "--set", "mu_ms=400", "--set", "mu_sd_ms=0"], display=x_display, timeout=400)
    assert result.returncode == 0, result.stderr
    csv_path = next(tmp_path.glob("sub-R1/*_beh.csv"))
    data = pd.read_csv(csv_path, dtype={"participant": str, "session": str})
    side = json.loads(csv_path.with_suffix(".json").read_text())
    assert side["autopilot"]["participant"]["interference_ms"] == programmed
    effects = participant_effects(data).iloc[0]
    n = (data.congruency == "congruent").sum()  # 24 per condition
    # SE of a difference of two condition means of n trials each (ex-Gaussian variance
    # sigma^2 + tau^2); 3.5 SE leaves a false alarm rate of about 1 in 2000.
    tolerance = 3.5 * math.sqrt((sigma**2 + tau**2) * 2 / n)
    assert abs(effects.interference_ms - programmed) < tolerance, (effects, tolerance)
    assert effects.acc_congruent == 1.0 and effects.acc_incongruent == 1.0
