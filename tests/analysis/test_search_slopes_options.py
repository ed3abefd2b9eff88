"""Search slopes from set-size means or single trials (``--slopes-from``), and
by an extra factor (``--by``; a mapping's ``[factors]``) (issue 15).

Every expected slope is computed here independently with numpy.polyfit over
the tuples that built the files; the paired comparison of two levels with
scipy's ttest_rel."""

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from attentionlab.analysis.cleaning import CleaningSettings
from attentionlab.analysis.mapping import load_mapping
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.analysis.search import participant_effects
from attentionlab.core.columns import column_names
from attentionlab.core.datafile import SessionFiles, write_sidecar
from attentionlab.core.errors import UsageError
from attentionlab.experiments.cli import main

from analysis_helpers import HEADER as STROOP_HEADER, REAL_DATA, REPO, stroop_row

HEADER = column_names(()) + ["search_type", "set_size", "target_present", "reward"]
SIZES = (4, 8, 16)
# Trials per set size: unbalanced, so that a line over trials (each trial
# weighted) differs from one through the means (each set size weighted)
COUNTS = {4: 1, 8: 5, 16: 2}
# (participant, reward) -> present slope of conjunction search, ms/item
SLOPE = {("P1", "low"): 20.0, ("P1", "high"): 12.0, ("P2", "low"): 26.0,
         ("P2", "high"): 21.0, ("P3", "low"): 18.0, ("P3", "high"): 15.0}


def trials_of(participant):
    """(search_type, set_size, target_present, rt_ms, correct, reward) tuples,
    with a curved RT (not on a line) and per-trial noise."""
    rng = np.random.default_rng(sum(map(ord, participant)))
    out = []
    for reward in ("low", "high"):
        for present in (1, 0):
            slope = SLOPE[(participant, reward)] * (2 - present)
            for size in SIZES:
                for _ in range(COUNTS[size]):
                    rt = 450 + slope * size + 0.8 * size ** 2 + rng.normal(0, 30)
                    out.append(("conjunction", size, present, float(rt), 1, reward))
            out.append(("conjunction", 8, present, 9000.0, 0, reward))  # an error: not used
    return out


def write_session(folder, participant, trials, task="search"):
    files = SessionFiles.create(folder, participant, "1", task, HEADER)
    for i, (kind, size, present, rt, ok, reward) in enumerate(trials):
        files.append_row({"participant": participant, "session": "1", "task": task,
                          "run": 1, "block": 1, "trial_index": i + 1, "phase": "test",
                          "onset_s": i * 2.0, "response": "f", "rt_ms": rt, "correct": ok,
                          "dropped_frames": 0, "simulated": 0,
                          "timestamp": "2025-01-01T10:00:00+00:00", "search_type": kind,
                          "set_size": size, "target_present": present, "reward": reward})
    files.close()
    write_sidecar(files.sidecar_path, {"task": task, "completed": True,
                                       "trials_planned": len(trials),
                                       "trials_done": len(trials), "timing": {}})


def by_hand(trials, reward=None, present=1, slopes_from="means"):
    """polyfit slope of the correct trials of one cell (all rewards when None)."""
    rows = [t for t in trials if t[4] == 1 and t[2] == present
            and (reward is None or t[5] == reward)]
    x = np.array([t[1] for t in rows], dtype=float)
    y = np.array([t[3] for t in rows])
    if slopes_from == "trials":
        return np.polyfit(x, y, 1)
    sizes = sorted(set(x))
    return np.polyfit(sizes, [y[x == s].mean() for s in sizes], 1)


def frame_of(trials, participant="P1"):
    return pd.DataFrame(trials, columns=["search_type", "set_size", "target_present", "rt_ms",
                                         "correct", "reward"]).assign(participant=participant)


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    for participant in ("P1", "P2", "P3"):
        write_session(folder, participant, trials_of(participant))
    return folder


def test_slopes_from_trials_is_least_squares_over_the_trials():
    trials = trials_of("P1")
    for slopes_from in ("means", "trials"):
        got = participant_effects(frame_of(trials),
                                  settings=AnalysisSettings(slopes_from=slopes_from))
        for present in (1, 0):
            row = got[got["target_present"] == present].iloc[0]
            slope, intercept = by_hand(trials, present=present, slopes_from=slopes_from)
            assert row["slope_ms_per_item"] == pytest.approx(slope, rel=1e-9)
            assert row["intercept_ms"] == pytest.approx(intercept, rel=1e-9)
    means = participant_effects(frame_of(trials), settings=AnalysisSettings())
    over_trials = participant_effects(frame_of(trials),
                                      settings=AnalysisSettings(slopes_from="trials"))
    # unbalanced set sizes and a curved RT: the two options differ
    assert abs(means["slope_ms_per_item"] - over_trials["slope_ms_per_item"]).min() > 0.1


def test_slopes_from_unknown_value_is_refused():
    with pytest.raises(UsageError, match="--slopes-from must be one of means, trials"):
        participant_effects(frame_of(trials_of("P1")),
                            settings=AnalysisSettings(slopes_from="medians"))


def test_cli_slopes_from_trials_and_methods_say_so(data_dir, tmp_path, capsys):
    result = run_analysis([data_dir], AnalysisSettings(slopes_from="trials"))
    p1 = result.participants[(result.participants["participant"] == "P1")
                             & (result.participants["target_present"] == 1)]
    assert p1["slope_ms_per_item"].iloc[0] == pytest.approx(
        by_hand(trials_of("P1"), slopes_from="trials")[0])
    methods = result.analysis.methods_paragraph(result)
    assert "fitted over the single correct, cleaned trials" in methods
    means = run_analysis([data_dir], AnalysisSettings())
    assert "through these means" in means.analysis.methods_paragraph(means)
    out = tmp_path / "out"
    assert main(["analyze", str(data_dir), "--slopes-from", "trials", "--out", str(out)]) == 0
    assert "single correct, cleaned trials" in (out / "report.html").read_text(encoding="utf-8")


def test_by_factor_cells_group_tests_and_level_comparison(data_dir):
    result = run_analysis([data_dir], AnalysisSettings(by="reward"))
    p = result.participants
    assert list(p.columns[:5]) == ["participant", "session", "search_type", "reward",
                                   "target_present"]
    assert len(p) == 3 * 2 * 2  # participants x reward levels x presence
    assert p["reward"].tolist()[:4] == ["high", "high", "low", "low"]  # natural order
    for participant in ("P1", "P2", "P3"):
        for reward in ("low", "high"):
            row = p[(p["participant"] == participant) & (p["reward"] == reward)
                    & (p["target_present"] == 1)].iloc[0]
            assert row["slope_ms_per_item"] == pytest.approx(
                by_hand(trials_of(participant), reward)[0])
    g = result.group
    tests = g[(g["test"] == "t_test") & (g["target_present"] == 1)].set_index("reward")
    for reward in ("low", "high"):
        slopes = [by_hand(trials_of(q), reward)[0] for q in ("P1", "P2", "P3")]
        assert tests.loc[reward, "mean"] == pytest.approx(np.mean(slopes))
        assert tests.loc[reward, "t"] == pytest.approx(stats.ttest_1samp(slopes, 0).statistic)
    compare = g[(g["test"] == "paired_t_test") & (g["reward"] == "low - high")]
    assert sorted(compare["target_present"]) == [0, 1]
    row = compare[compare["target_present"] == 1].iloc[0]
    low = [by_hand(trials_of(q), "low")[0] for q in ("P1", "P2", "P3")]
    high = [by_hand(trials_of(q), "high")[0] for q in ("P1", "P2", "P3")]
    expected = stats.ttest_rel(low, high)
    assert row["t"] == pytest.approx(expected.statistic)
    assert row["p"] == pytest.approx(expected.pvalue)
    # the report tables show the factor, after the search type
    tables = result.analysis.report_tables(g)
    assert all(list(t.frame.columns).index("reward") == list(t.frame.columns).index(
        "search_type") + 1 for t in tables if "search_type" in t.frame.columns)
    methods = result.analysis.methods_paragraph(result)
    assert "reward (an extra factor)" in methods and "Slope reward low - high" in methods


def test_by_trims_within_levels_and_skips_rows_without_a_level(tmp_path):
    folder = tmp_path / "data"
    trials = trials_of("P1") + [("conjunction", 8, 1, 700.0, 1, "")]
    write_session(folder, "P1", trials)
    result = run_analysis([folder], AnalysisSettings(by="reward"))
    assert sorted(result.participants["reward"].unique()) == ["high", "low"]
    assert any("no reward" in p.message for p in result.problems)


def cli_error(args, capsys):
    code = main(args)
    err = capsys.readouterr().err.strip().splitlines()
    return code, err


def test_by_mistakes_are_one_line_and_write_nothing(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    for args, message in (
            (["--by", "colour"], "--by colour: no such column in the data"),
            (["--by", "set_size"], "--by set_size: set_size is already part of"),
    ):
        code, err = cli_error(["analyze", str(data_dir), "--out", str(out), *args], capsys)
        assert code == 2 and len(err) == 1 and message in err[0], err
        assert not out.exists()
    stroop_dir = tmp_path / "stroop"
    files = SessionFiles.create(stroop_dir, "P1", "1", "stroop", STROOP_HEADER)
    for i in range(4):
        files.append_row(stroop_row("P1", "1", i, ("congruent", "incongruent")[i % 2], 600.0))
    files.close()
    for option in (["--by", "block"], ["--slopes-from", "trials"]):
        code, err = cli_error(["analyze", str(stroop_dir), "--out", str(out), *option],
                              capsys)
        assert code == 2 and len(err) == 1, err
        assert re.search(rf"{option[0]} is not an option of the stroop analysis; it is for: "
                         rf"search", err[0]), err
        assert not out.exists()


FOREIGN_MAPPING = """task = "search"
[read]
rt_unit = "s"
[columns]
participant = "sub"
search_type = "dyn"
set_size = "n"
target_present = "tp"
rt_ms = "rt"
correct = "ok"
[factors]
reward = "rew"
[values.reward]
"1" = "high"
"0" = "low"
"""


def test_mapping_factors_carry_an_extra_factor(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    lines = ["sub,dyn,n,tp,rt,ok,rew"]
    for participant in ("P1", "P2", "P3"):
        for kind, size, present, rt, ok, reward in trials_of(participant):
            lines.append(f"{participant},{kind},{size},{present},{rt / 1000},{ok},"
                         f"{1 if reward == 'high' else 0}")
    (folder / "all.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(FOREIGN_MAPPING, encoding="utf-8")
    assert load_mapping(mapping).factors == ("reward",)
    result = run_analysis([folder], AnalysisSettings(mapping=str(mapping), by="reward"))
    row = result.participants[(result.participants["participant"] == "P2")
                              & (result.participants["reward"] == "high")
                              & (result.participants["target_present"] == 0)].iloc[0]
    assert row["slope_ms_per_item"] == pytest.approx(
        by_hand(trials_of("P2"), "high", present=0)[0])
    # an extra factor not declared in [factors] is not readable
    plain = tmp_path / "plain.toml"
    plain.write_text(FOREIGN_MAPPING.split("[factors]")[0], encoding="utf-8")
    with pytest.raises(UsageError, match=r"declare it in the mapping's \[factors\] table"):
        run_analysis([folder], AnalysisSettings(mapping=str(plain), by="reward"))


@pytest.mark.parametrize("table, message", [
    ('rt_ms = "rew"', r"\[factors\] 'rt_ms' must be a new plain name"),
    ('"my factor" = "rew"', r"\[factors\] 'my factor' must be a new plain name"),
    ("reward = 3", r"\[factors\] reward must be the name of one of their columns"),
])
def test_mapping_factors_are_validated(tmp_path, table, message):
    mapping = tmp_path / "m.toml"
    mapping.write_text(FOREIGN_MAPPING.split("[factors]")[0] + "[factors]\n" + table + "\n",
                       encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_mapping(mapping)


@pytest.mark.skipif(not (REAL_DATA / "search_shi2019_exp1.csv").exists(),
                    reason="needs ../shared/data/real/search_shi2019_exp1.csv (Shi et al. 2019)")
def test_shi_slopes_from_trials_match_polyfit_over_trials():
    """One participant of Shi et al.'s published data, OLS over trials."""
    mapping = REPO / "docs" / "mappings" / "shi2019_search.toml"
    result = run_analysis([REAL_DATA / "search_shi2019_exp1.csv"],
                          AnalysisSettings(mapping=str(mapping), slopes_from="trials",
                                           cleaning=CleaningSettings(min_rt_ms=None)))
    raw = pd.read_csv(REAL_DATA / "search_shi2019_exp1.csv")
    raw = raw[(raw["sub"] == 1) & (raw["dyn"] == "Static") & (raw["target"] == "Present")
              & raw["correct"].astype(str).isin(["1", "True"])]
    slope = np.polyfit(raw["setsize"].astype(float), raw["rt"] * 1000, 1)[0]
    row = result.participants[(result.participants["participant"] == "1")
                              & (result.participants["search_type"] == "static")
                              & (result.participants["target_present"] == 1)].iloc[0]
    assert row["slope_ms_per_item"] == pytest.approx(slope, rel=1e-9)


def test_by_a_numeric_column_of_ours_gives_plain_labels_and_a_note(data_dir):
    """block is read as numbers: its levels are '1', not '1.0'; with one level
    there is no comparison, and the notes say so."""
    result = run_analysis([data_dir], AnalysisSettings(by="block"))
    assert result.participants["block"].unique().tolist() == ["1"]
    assert not (result.group["test"] == "paired_t_test").any() or \
        not result.group["block"].astype(str).str.contains(" - ").any()
    assert any("block has 1 level(s) (1)" in n for n in result.notices)
    assert any("The figures pool the levels of block" in n for n in result.notices)
