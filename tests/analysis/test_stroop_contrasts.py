"""Every Stroop contrast the design allows is printed (issue 15): a design
without congruent trials still gives incongruent - neutral, and a design with
one condition says plainly that no contrast can be computed."""

import numpy as np
import pandas as pd

from cli_runner import run_cli

MAPPING = '''task = "stroop"
[columns]
participant = "pid"
congruency = "cond"
rt_ms = "rt"
correct = "acc"
'''


def write_data(folder, conditions, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for pid in range(1, 7):
        for cond in conditions:
            for _ in range(20):
                rt = rng.normal(620 + (80 if cond == "incongruent" else 0), 60)
                rows.append({"pid": pid, "cond": cond, "rt": round(rt, 1), "acc": 1})
    frame = pd.DataFrame(rows)
    frame.to_csv(folder / "data.csv", index=False)
    (folder / "m.toml").write_text(MAPPING)
    return frame


def test_incongruent_minus_neutral_without_congruent_trials(tmp_path):
    frame = write_data(tmp_path, ["incongruent", "neutral"])
    result = run_cli(["analyze", str(tmp_path / "data.csv"), "--mapping",
                      str(tmp_path / "m.toml"), "--out", str(tmp_path / "out")])
    assert result.returncode == 0, result.stderr
    means = frame[frame["rt"] >= 200].groupby(["pid", "cond"])["rt"].mean().unstack()
    expected = (means["incongruent"] - means["neutral"]).mean()
    assert f"Incongruent - neutral: {expected:.1f} ms" in result.stdout
    assert "Interference:" not in result.stdout
    # the methods name only the contrast that was computed
    methods = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "condition mean RTs gave the inhibition effect (incongruent - neutral) (" in methods
    assert "gave the interference" not in methods and "facilitation effect" not in methods


def test_one_condition_says_no_contrast_can_be_computed(tmp_path):
    write_data(tmp_path, ["neutral"])
    result = run_cli(["analyze", str(tmp_path / "data.csv"), "--mapping",
                      str(tmp_path / "m.toml"), "--out", str(tmp_path / "out")])
    assert result.returncode == 0, result.stderr
    assert "No Stroop contrast can be computed from the conditions in these data (neutral)" \
        in result.stdout
