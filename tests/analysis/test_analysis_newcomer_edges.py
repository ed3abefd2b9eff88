"""Smaller sharp edges of ``analyze`` and ``export bids`` (issue 13, item 6):
a folder without CSV files says so; ``export bids`` on empty or unreadable
input leaves no folder behind; the search summary gives no absent:present
ratio for feature search (where it means nothing)."""

from cli_runner import run_cli

from attentionlab.analysis import search_report
from attentionlab.analysis.pipeline import run_analysis
from attentionlab.simulation.sessions import write_sessions


def test_analyze_on_a_folder_without_csv_files_says_so(tmp_path):
    empty = tmp_path / "data"
    empty.mkdir()
    (empty / "notes.txt").write_text("no data here\n")
    done = run_cli(["analyze", str(empty), "--out", str(tmp_path / "results")])
    assert done.returncode == 2
    assert done.stderr == (f"attentionlab: error: no .csv files found in {str(empty)!r}: "
                           f"give session files, or folders that hold them\n")
    assert not (tmp_path / "results").exists()


def test_export_bids_of_an_empty_folder_creates_nothing(tmp_path):
    empty = tmp_path / "data"
    empty.mkdir()
    done = run_cli(["export", "bids", str(empty), str(tmp_path / "bids")])
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "no .csv files found" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_export_bids_of_unreadable_files_creates_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "other.csv").write_text("a,b\n1,2\n")
    done = run_cli(["export", "bids", str(data), str(tmp_path / "bids" / "deeper")])
    assert done.returncode == 2
    assert "nothing could be exported" in done.stderr.splitlines()[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_export_bids_still_writes_a_data_set(tmp_path):
    write_sessions("stroop", 2, tmp_path / "data", seed=1, trials=24)
    done = run_cli(["export", "bids", str(tmp_path / "data"), str(tmp_path / "bids")])
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(tmp_path / "bids").as_posix()
                     for p in (tmp_path / "bids").rglob("*") if p.is_file())
    assert written == ["dataset_description.json", "participants.tsv",
                       "sub-sim001/ses-1/beh/sub-sim001_ses-1_task-stroop_run-1_beh.json",
                       "sub-sim001/ses-1/beh/sub-sim001_ses-1_task-stroop_run-1_beh.tsv",
                       "sub-sim002/ses-1/beh/sub-sim002_ses-1_task-stroop_run-1_beh.json",
                       "sub-sim002/ses-1/beh/sub-sim002_ses-1_task-stroop_run-1_beh.tsv"]


def test_no_slope_ratio_for_feature_search_in_the_summary_and_methods(tmp_path):
    write_sessions("search", 3, tmp_path / "data", seed=1, trials=96)
    result = run_analysis([tmp_path / "data"])
    ratios = result.group[result.group["test"] == "slope_ratio"]
    assert "feature" in set(ratios["search_type"])  # still in group.csv, documented there
    lines = {line.split(":")[0].strip(): line for line in search_report.headline(result)[1:]}
    assert "absent:present" not in lines["feature"]
    assert "absent:present" in lines["conjunction"]
    methods = search_report.methods_paragraph(result)
    ratio_sentence = methods.split("The absent:present slope ratio")[1].split(
        "Slopes were compared")[0]
    assert "conjunction" in ratio_sentence and "feature" not in ratio_sentence
