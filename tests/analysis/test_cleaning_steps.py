"""Published cleaning pipelines as declared steps (issue 15): each step against an
independent pandas computation of the same rule, the declared order, the
participant exclusions with their reasons, and the errors for bad steps."""

import numpy as np
import pandas as pd
import pytest

from attentionlab.analysis.cleaning_steps import clean_published, parse_steps
from attentionlab.analysis.mapping import load_mapping
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.core.errors import UsageError


def lab_data(seed=1, participants=4, blocks=3, per_block=24):
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(1, participants + 1):
        for b in range(1, blocks + 1):
            for t in range(per_block):
                cond = ("congruent", "incongruent")[int(rng.integers(0, 2))]
                rt = float(rng.lognormal(6.3 + 0.1 * (cond == "incongruent"), 0.25))
                rows.append({"participant": str(p), "session": "1", "block": str(b),
                             "congruency": cond, "rt_ms": rt,
                             "correct": float(rng.random() > 0.12)})
    return pd.DataFrame(rows)


def run(data, *tables):
    return clean_published(data, parse_steps(list(tables), "test"))


def test_drop_first_and_after_error_count_in_file_order():
    data = lab_data()
    result, _ = run(data, {"step": "drop_first", "n": 3}, {"step": "drop_after_error"})
    position = data.groupby(["participant", "session", "block"]).cumcount()
    previous = data.groupby(["participant", "session", "block"])["correct"].shift(1)
    expected = (position >= 3) & (previous != 0)
    assert result.used.tolist() == expected.tolist()
    assert [s.n_removed for s in result.steps[:2]] == [
        int((position < 3).sum()), int(((position >= 3) & (previous == 0)).sum())]


@pytest.mark.parametrize("errors_first", [True, False])
def test_one_sided_cut_over_all_conditions_before_or_after_errors(errors_first):
    data = lab_data(seed=2)
    cut = {"step": "sd_cut", "k": 2.0, "tail": "upper", "over": "participant"}
    steps = [{"step": "remove_errors"}, cut] if errors_first else [cut, {"step": "remove_errors"}]
    result, _ = run(data, *steps)
    basis = data[data["correct"] == 1] if errors_first else data
    stats = basis.groupby("participant")["rt_ms"].agg(["mean", "std"])
    limit = data["participant"].map(stats["mean"] + 2.0 * stats["std"])
    expected = (data["rt_ms"] <= limit) & (data["correct"] == 1)
    assert result.used.tolist() == expected.tolist()
    assert (~expected).sum() > (data["correct"] == 0).sum()  # the cut removed something


def test_strict_and_inclusive_bounds_differ_only_at_the_bound():
    data = pd.DataFrame({"participant": "1", "session": "1", "congruency": "congruent",
                         "rt_ms": [199.0, 200.0, 1000.0, 2000.0, 2001.0], "correct": 1.0})
    inclusive, _ = run(data, {"step": "rt_bounds", "min": 200, "max": 2000})
    strict, _ = run(data, {"step": "rt_bounds", "min": 200, "max": 2000, "inclusive": False})
    assert inclusive.used.tolist() == [False, True, True, True, False]
    assert strict.used.tolist() == [False, False, True, False, False]


def test_blocks_below_accuracy_and_participants_with_reasons():
    data = lab_data(seed=3)
    data.loc[(data["participant"] == "2") & (data["block"] == "3"), "correct"] = 0.0
    data.loc[data["participant"] == "4", "correct"] = 0.0
    result, excluded = run(data, {"step": "min_block_accuracy", "p": 0.5},
                           {"step": "min_accuracy", "p": 0.5},
                           {"step": "exclude_participants", "ids": ["1", "9"],
                            "reason": "reported seeing colour words before (authors)"})
    block_step = result.steps[0]
    accuracy = data.groupby(["participant", "block"])["correct"].mean()
    assert f"({int((accuracy < 0.5).sum())} block(s))" in block_step.description
    assert (accuracy < 0.5).sum() >= 4  # participant 4's three and participant 2's last
    assert block_step.n_removed == int(data.set_index(["participant", "block"]).index.map(
        accuracy).to_series().lt(0.5).sum())
    reasons = dict(zip(excluded["participant"], excluded["reason"]))
    assert reasons == {"4": "accuracy below 0.5",
                       "1": "reported seeing colour words before (authors)"}
    assert "not in the data: 9" in result.steps[2].description


def test_participants_with_several_low_blocks_are_excluded():
    """exclude_from: one low block drops that block, two drop the participant
    (the accuracy rule of Rey-Mermet, Gade & Oberauer's 2018 merge script)."""
    data = lab_data(seed=6)
    one = (data["participant"] == "1") & (data["block"] == "2")
    two = (data["participant"] == "3") & data["block"].isin(["1", "3"])
    data.loc[one | two, "correct"] = 0.0
    result, excluded = run(data, {"step": "min_block_accuracy", "p": 0.5, "exclude_from": 2})
    accuracy = data.groupby(["participant", "block"])["correct"].transform("mean")
    assert result.used.tolist() == ((accuracy >= 0.5) & data["rt_ms"].notna()).tolist()
    assert excluded["participant"].tolist() == ["3"]
    assert excluded["reason"].tolist() == ["2 blocks with accuracy below 0.5"]
    assert excluded["accuracy"].iloc[0] == pytest.approx(
        data.loc[data["participant"] == "3", "correct"].mean())
    assert "(3 block(s)); participants with 2 or more such blocks excluded (1)" in \
        result.steps[0].description


@pytest.mark.parametrize("table, says", [
    ({"step": "drop_frist", "n": 2}, "step must be one of"),
    ({"step": "drop_first"}, "needs n"),
    ({"step": "drop_first", "n": 0}, "n must be at least 1"),
    ({"step": "sd_cut", "k": 2.5, "tail": "up"}, "tail must be one of upper, lower, both"),
    ({"step": "rt_bounds"}, "needs min, max or both"),
    ({"step": "min_accuracy", "p": "0.8"}, "p must be a number"),
    ({"step": "remove_errors", "n": 1}, "unknown key 'n'"),
    ({"step": "min_block_accuracy", "p": 0.5, "exclude_from": 0},
     "exclude_from must be at least 1"),
])
def test_bad_steps_are_refused_with_what_is_allowed(table, says):
    with pytest.raises(UsageError) as caught:
        parse_steps([table], "mapping x.toml")
    assert says in str(caught.value)


def test_a_mapping_pipeline_runs_in_analyze_and_lists_its_steps(tmp_path):
    data = lab_data(seed=4)
    data.to_csv(tmp_path / "their.csv", index=False)
    mapping = tmp_path / "m.toml"
    mapping.write_text('''task = "stroop"
[columns]
participant = "participant"
block = "block"
congruency = "congruency"
rt_ms = "rt_ms"
correct = "correct"
[[clean]]
step = "drop_first"
n = 2
[[clean]]
step = "remove_errors"
[[clean]]
step = "exclude_participants"
ids = ["3"]
reason = "fell asleep"
''')
    assert [s.name for s in load_mapping(mapping).clean] == [
        "drop_first", "remove_errors", "exclude_participants"]
    result = run_analysis([tmp_path / "their.csv"], AnalysisSettings(mapping=str(mapping)))
    names = [s.name for s in result.cleaning.steps]
    assert names == ["drop_first", "remove_errors", "exclude_participants", "no_rt"]
    assert result.excluded["participant"].tolist() == ["3"]
    position = data.groupby(["participant", "block"]).cumcount()
    used = data[(position >= 2) & (data["correct"] == 1)]
    means = used.groupby(["participant", "congruency"])["rt_ms"].mean().unstack()
    p = result.participants.set_index("participant")
    for pid in means.index:  # the default 200 ms bound was not applied on top
        assert p.loc[pid, "rt_incongruent_ms"] == pytest.approx(means.loc[pid, "incongruent"])


def test_report_methods_list_the_declared_steps_and_reasons(tmp_path):
    from cli_runner import run_cli

    lab_data(seed=5).to_csv(tmp_path / "their.csv", index=False)
    (tmp_path / "m.toml").write_text('''task = "stroop"
[columns]
participant = "participant"
block = "block"
congruency = "congruency"
rt_ms = "rt_ms"
correct = "correct"
[[clean]]
step = "drop_after_error"
[[clean]]
step = "remove_errors"
[[clean]]
step = "exclude_participants"
ids = ["2"]
reason = "fell asleep"
''')
    result = run_cli(["analyze", str(tmp_path / "their.csv"), "--mapping",
                      str(tmp_path / "m.toml"), "--out", str(tmp_path / "out")])
    assert result.returncode == 0, result.stderr
    assert "Cleaning followed the 3 step(s) declared in the mapping" in result.stdout
    html = (tmp_path / "out" / "report.html").read_text()
    assert "Cleaning followed the published pipeline declared in the mapping" in html
    assert "trials following an error in the same block removed" in html
    assert "fell asleep: 1" in html
