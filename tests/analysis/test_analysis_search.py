"""The visual-search analysis: set-size lines, group statistics and error
rates checked against values computed here by hand (numpy.polyfit, the t
formula), our files end to end, other labs' files through a mapping, and
Shi et al.'s (2019) published data against the README's reference numbers."""

import csv
import math
import warnings
from collections import defaultdict

import numpy as np
import pytest
from scipy import stats

from attentionlab.analysis.cleaning import CleaningSettings
from attentionlab.experiments.cli import main
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.analysis.search import PARTICIPANT_COLUMNS, participant_effects
from attentionlab.core.columns import column_names
from attentionlab.core.datafile import SessionFiles, write_sidecar
from attentionlab.core.errors import UsageError

from analysis_helpers import REAL_DATA, REPO

SHI_FILE = REAL_DATA / "search_shi2019_exp1.csv"
SHI_MAPPING = REPO / "docs" / "mappings" / "shi2019_search.toml"
HEADER = column_names(()) + ["search_type", "set_size", "target_present"]
SIZES = (4, 8, 16)
# programmed slopes (ms/item) per participant: (type, present) -> slope
SLOPES = {"P1": {("feature", 1): 1.0, ("feature", 0): 2.0, ("conjunction", 1): 20.0,
                 ("conjunction", 0): 45.0},
          "P2": {("feature", 1): -1.0, ("feature", 0): 3.0, ("conjunction", 1): 28.0,
                 ("conjunction", 0): 50.0},
          "P3": {("feature", 1): 2.0, ("feature", 0): 0.5, ("conjunction", 1): 15.0,
                 ("conjunction", 0): 35.0}}
WOBBLE = {4: 12.0, 8: -20.0, 16: 9.0}  # off-line deviations: r2 below 1


def trials_of(participant, base=500.0):
    """(search_type, set_size, target_present, rt_ms, correct) tuples: two
    correct trials per cell around the line, one error (RT 9999, which must not
    count), and one anticipation of 120 ms (removed by the 200 ms bound)."""
    out = []
    for (kind, present), slope in SLOPES[participant].items():
        for size in SIZES:
            line = base + 60 * (1 - present) + slope * size + WOBBLE[size]
            out += [(kind, size, present, line - 10, 1), (kind, size, present, line + 10, 1)]
        out.append((kind, 16, present, 9999.0, 0))
        out.append((kind, 4, present, 120.0, 1))
    return out


def write_search_session(folder, participant, trials, session="1", task="search"):
    files = SessionFiles.create(folder, participant, session, task, HEADER)
    for i, (kind, size, present, rt, ok) in enumerate(trials):
        files.append_row({"participant": participant, "session": session, "task": task,
                          "run": 1, "block": 1, "trial_index": i + 1, "phase": "test",
                          "onset_s": i * 2.0, "response": "f", "rt_ms": rt, "correct": ok,
                          "dropped_frames": 0, "simulated": 0,
                          "timestamp": "2025-01-01T10:00:00+00:00", "search_type": kind,
                          "set_size": size, "target_present": present})
    files.close()
    write_sidecar(files.sidecar_path, {"task": task, "completed": True,
                                       "trials_planned": len(trials),
                                       "trials_done": len(trials), "timing": {}})
    return files.csv_path


def by_hand(trials, min_rt=200.0):
    """Per (type, present): polyfit slope/intercept, r2 and error rate,
    computed from the tuples without pandas."""
    means, errors = defaultdict(list), defaultdict(list)
    for kind, size, present, rt, ok in trials:
        errors[(kind, present)].append(1 - ok)
        if ok == 1 and rt >= min_rt:
            means[(kind, present, size)].append(rt)
    out = {}
    for kind, present in errors:
        x = [s for s in SIZES if (kind, present, s) in means]
        y = [np.mean(means[(kind, present, s)]) for s in x]
        slope, intercept = np.polyfit(x, y, 1)
        out[(kind, present)] = dict(slope=slope, intercept=intercept,
                                    r2=np.corrcoef(x, y)[0, 1] ** 2,
                                    error_rate=np.mean(errors[(kind, present)]),
                                    n_used=sum(len(means[(kind, present, s)]) for s in x))
    return out


@pytest.fixture
def search_dir(tmp_path):
    folder = tmp_path / "data"
    for participant in SLOPES:
        write_search_session(folder, participant, trials_of(participant))
    return folder


def test_lines_match_polyfit_through_the_set_size_means():
    rows = [dict(zip(("search_type", "set_size", "target_present", "rt_ms", "correct"), t),
                 participant="P1", session="1") for t in trials_of("P1")]
    import pandas as pd
    result = participant_effects(pd.DataFrame(rows))
    assert list(result.columns) == [c.name for c in PARTICIPANT_COLUMNS] == [
        "participant", "session", "search_type", "target_present", "slope_ms_per_item",
        "intercept_ms", "r2", "error_rate", "n_used"]
    # report order: feature before conjunction, present before absent
    assert list(zip(result["search_type"], result["target_present"])) == [
        ("feature", 1), ("feature", 0), ("conjunction", 1), ("conjunction", 0)]
    expected = by_hand(trials_of("P1"))
    for row in result.to_dict("records"):
        hand = expected[(row["search_type"], row["target_present"])]
        assert row["slope_ms_per_item"] == pytest.approx(hand["slope"])
        assert row["intercept_ms"] == pytest.approx(hand["intercept"])
        assert row["r2"] == pytest.approx(hand["r2"]) and row["r2"] < 1
        assert row["error_rate"] == pytest.approx(hand["error_rate"]) == 1 / 8
        assert row["n_used"] == hand["n_used"] == 6


def test_a_single_set_size_gives_no_line_and_two_give_r2_of_one():
    import pandas as pd
    d = pd.DataFrame({"participant": "P1", "session": "1", "search_type": "feature",
                      "set_size": [8, 8, 4, 16, 4, 16], "target_present": [1, 1, 0, 0, 0, 0],
                      "rt_ms": [500.0, 520.0, 600.0, 680.0, 620.0, 700.0], "correct": 1})
    present, absent = participant_effects(d).to_dict("records")
    assert math.isnan(present["slope_ms_per_item"]) and math.isnan(present["r2"])
    assert present["n_used"] == 2
    assert absent["slope_ms_per_item"] == pytest.approx(80 / 12) and absent["r2"] == 1


def t_by_hand(values):
    x = np.asarray(values, dtype=float)
    m, sd = x.mean(), x.std(ddof=1)
    t = m / (sd / math.sqrt(len(x)))
    return m, sd, t, 2 * stats.t.sf(abs(t), len(x) - 1)


def test_group_statistics_by_hand(search_dir):
    result = run_analysis([search_dir])
    assert result.task == "search"
    g = result.group
    hand = {p: by_hand(trials_of(p)) for p in SLOPES}
    slopes = {key: [hand[p][key]["slope"] for p in SLOPES] for key in hand["P1"]}

    row = g[(g.test == "t_test") & (g.search_type == "conjunction")
            & (g.target_present == 1)].iloc[0]
    m, sd, t, p = t_by_hand(slopes[("conjunction", 1)])
    assert (row["n"], row["df"]) == (3, 2)
    assert row["mean"] == pytest.approx(m) and row["sd"] == pytest.approx(sd)
    assert row["t"] == pytest.approx(t) and row["p"] == pytest.approx(p)
    assert row["dz"] == pytest.approx(m / sd)
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    assert row["ci95_low"] == pytest.approx(m - half)

    diff = np.subtract(slopes[("conjunction", 0)], slopes[("feature", 0)])
    row = g[(g.test == "paired_t_test") & (g.search_type == "conjunction - feature")
            & (g.target_present == 0)].iloc[0]
    assert row["mean"] == pytest.approx(diff.mean())
    assert row["t"] == pytest.approx(t_by_hand(diff)[2])

    row = g[(g.test == "slope_ratio") & (g.search_type == "conjunction")].iloc[0]
    ratio = np.mean(slopes[("conjunction", 0)]) / np.mean(slopes[("conjunction", 1)])
    assert row["mean"] == pytest.approx(ratio)
    assert row["ci95_low"] <= ratio <= row["ci95_high"] and row["n_resamples"] == 2000

    row = g[(g.test == "paired_t_test") & (g.search_type == "feature")
            & (g.measure == "slope_absent_minus_present_ms_per_item")].iloc[0]
    assert row["mean"] == pytest.approx(np.mean(np.subtract(slopes[("feature", 0)],
                                                            slopes[("feature", 1)])))


def test_miss_rates_by_set_size_and_mean_rts(search_dir):
    g = run_analysis([search_dir]).group
    # every participant has 2 correct + 1 error at set size 16, and 3 correct
    # trials (one of them an anticipation, still correct) at set size 4
    miss = g[(g.test == "miss_rate") & (g.search_type == "conjunction")].set_index("set_size")
    assert miss.loc[16, "mean"] == pytest.approx(1 / 3)
    assert miss.loc[4, "mean"] == 0 and miss.loc[8, "mean"] == 0 and miss.loc[4, "n"] == 3
    fa = g[(g.test == "false_alarm_rate") & (g.search_type == "feature")]
    assert fa.set_index("set_size").loc[16, "mean"] == pytest.approx(1 / 3)
    rt = g[(g.test == "mean_rt") & (g.search_type == "conjunction") & (g.target_present == 1)]
    rt = rt.set_index("set_size")
    expected = np.mean([500 + SLOPES[p][("conjunction", 1)] * 8 + WOBBLE[8] for p in SLOPES])
    assert rt.loc[8, "mean"] == pytest.approx(expected)
    assert rt.loc[8, "ci95_low"] < expected < rt.loc[8, "ci95_high"]


def test_our_files_end_to_end(search_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["analyze", str(search_dir), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Search slopes (ms/item, mean over participants):" in printed
    conj = np.mean([by_hand(trials_of(p))[("conjunction", 1)]["slope"] for p in SLOPES])
    assert f"conjunction: present {conj:.1f} (n = 3)" in printed
    with open(out / "participants.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12 and rows[0]["target_present"] == "1"
    assert {p.name for p in out.iterdir()} >= {"rt_by_set_size.png", "slopes.svg",
                                               "group.csv", "report.html"}
    report = (out / "report.html").read_text()
    assert "<h1>Visual search analysis</h1>" in report and "Miss rate" in report
    # 3 participants x 4 cells x (6 + 2) trials
    assert "included 96 test trials from 3 participants" in report.replace("\n", " ")


def test_foreign_labels_and_bad_values_through_a_mapping(tmp_path):
    data = tmp_path / "theirs.csv"
    lines = ["subj,display,n,tp,rt,acc"]
    for subj in ("a", "b"):
        for size, rt in ((6, 0.6), (12, 0.75), (18, 0.9)):
            lines.append(f"{subj},Odd,{size},yes,{rt},1")
    lines += ["a,Odd,6,maybe,0.5,1", "a,,6,yes,0.5,1", "a,Odd,six,yes,0.5,1"]
    data.write_text("\n".join(lines) + "\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text('task = "search"\n[read]\nrt_unit = "s"\n[columns]\n'
                       'participant = "subj"\nsearch_type = "display"\nset_size = "n"\n'
                       'target_present = "tp"\nrt_ms = "rt"\ncorrect = "acc"\n'
                       '[values.target_present]\nyes = 1\nno = 0\n')
    result = run_analysis([data], AnalysisSettings(mapping=str(mapping)))
    texts = [str(p) for p in result.problems]
    assert any(t.startswith(f"{data}:8: column 'tp' value(s) 'maybe' not in") for t in texts)
    assert f"{data}:9: no search_type (empty cell, or no search_type column in the file); " \
           f"row skipped" in texts
    # set_size is read as a number (a declared int column); the row is skipped
    assert any(t.startswith(f"{data}:10: set_size ") for t in texts)
    assert any(t.startswith(f"{data}:10: ") and t.endswith("row skipped") for t in texts)
    p = result.participants
    assert p["search_type"].tolist() == ["Odd", "Odd"]  # a free label is kept
    assert p["slope_ms_per_item"].tolist() == pytest.approx([25.0, 25.0])


def test_a_mapping_must_map_the_search_columns(tmp_path):
    from attentionlab.analysis.mapping import load_mapping
    mapping = tmp_path / "m.toml"
    mapping.write_text('task = "search"\n[columns]\nparticipant = "s"\nrt_ms = "rt"\n'
                       'correct = "c"\n')
    with pytest.raises(UsageError, match="must map search_type, set_size, target_present"):
        load_mapping(mapping)


@pytest.fixture
def shi():
    if not SHI_FILE.exists():
        pytest.skip(f"other labs' data not found at {REAL_DATA} (the shared/ folder is "
                    f"expected beside the repository)")
    return SHI_FILE


def shi_by_hand():
    """Slopes per (display, target, participant) from the raw file: correct
    trials (1/True), RT in s -> ms, polyfit through the set-size means."""
    means = defaultdict(list)
    with open(SHI_FILE, newline="") as fh:
        for r in csv.DictReader(fh):
            if r["correct"] in ("1", "True"):
                means[(r["dyn"], r["target"], r["sub"], int(r["setsize"]))].append(
                    float(r["rt"]) * 1000)
    cells = defaultdict(dict)
    for (dyn, target, sub, size), rts in means.items():
        cells[(dyn, target, sub)][size] = np.mean(rts)
    return cells


def test_shi_2019_reproduces_the_readme_references(shi):
    settings = AnalysisSettings(cleaning=CleaningSettings(min_rt_ms=None),
                                mapping=str(SHI_MAPPING))
    result = run_analysis([shi], settings)
    assert result.problems == [] and len(result.test) == 9620
    g = result.group[result.group.test == "t_test"].set_index(["search_type",
                                                                "target_present"])
    # README: static displays (11 participants): present 21.8, absent 76.5 ms/item
    assert round(g.loc[("static", 1), "mean"], 1) == 21.8
    assert round(g.loc[("static", 0), "mean"], 1) == 76.5
    assert g.loc[("static", 1), "n"] == g.loc[("static", 0), "n"] == 11

    # Dynamic displays: participant 666 saw set size 12 only (5,000 trials), so no
    # line can be fitted: we leave them out (n = 11). The README's 28.2 / 34.2
    # (12 participants) include a 'slope' that numpy.polyfit returns for a single
    # point (its minimum-norm solution after column scaling: mean RT / 24).
    cells = shi_by_hand()
    for target, present, readme in (("Present", 1, 28.2), ("Absent", 0, 34.2)):
        ours = []
        for sub in sorted({s for d, t, s in cells if d == "Dynamic" and t == target}):
            sizes = cells[("Dynamic", target, sub)]
            if len(sizes) >= 2:
                ours.append(np.polyfit(list(sizes), list(sizes.values()), 1)[0])
            else:
                artefact = sizes[12] / 24
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    assert np.polyfit([12], [sizes[12]], 1)[0] == pytest.approx(artefact)
        assert g.loc[("dynamic", present), "n"] == len(ours) == 11
        assert g.loc[("dynamic", present), "mean"] == pytest.approx(np.mean(ours))
        assert round((sum(ours) + artefact) / 12, 1) == readme
    p = result.participants
    assert p[p.participant == "666"]["slope_ms_per_item"].isna().all()
