"""The analyze and export commands end to end: outputs, exit codes, the
report's escaping and self-containment, the output-folder rules, BIDS."""

import csv
import json
import re

import pytest

from attentionlab.experiments.cli import main
from attentionlab.analysis.stroop import PARTICIPANT_COLUMNS

from analysis_helpers import run_analysis_cli, simple_rows, stroop_row, write_session


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    write_session(folder, "P1", "1", simple_rows("P1"))
    write_session(folder, "P2", "1", simple_rows("P2", congruent=(450, 470),
                                                 incongruent=(560, 590)))
    write_session(folder, "P3", "1", simple_rows("P3", congruent=(600, 610),
                                                 incongruent=(640, 700)))
    return folder


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_analyze_end_to_end_in_a_subprocess(data_dir, tmp_path):
    out = tmp_path / "results"
    done = run_analysis_cli("analyze", data_dir, "--out", out)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["participants.csv", "group.csv", "report.html"]
        + [f"{s}.{e}" for s in ("condition_means", "interference", "rt_distributions")
           for e in ("png", "svg")])
    rows = read_csv(out / "participants.csv")
    assert list(rows[0]) == [c.name for c in PARTICIPANT_COLUMNS]
    # P1: (590 - 510) = 80, P2: (575 - 460) = 115, P3: (670 - 605) = 65
    assert [float(r["interference_ms"]) for r in rows] == [80, 115, 65]
    assert rows[0]["facilitation_ms"] == "10" and rows[1]["rt_neutral_ms"] == "520"
    group = {(r["test"], r["measure"]): r for r in read_csv(out / "group.csv")}
    assert float(group[("t_test", "interference_ms")]["mean"]) == pytest.approx(260 / 3)
    assert ("rm_anova", "rt_ms") in group and ("split_half", "interference_ms") in group
    assert "Interference: 86.7 ms" in done.stdout
    # the raw data folder is untouched
    assert sorted(p.suffix for p in data_dir.rglob("*.*")) == [".csv"] * 3 + [".json"] * 3


def test_output_folder_rules(data_dir, tmp_path, capsys):
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["analyze", str(data_dir), "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["analyze", str(data_dir), "--out", str(out), "--force"]) == 0
    assert (out / "report.html").exists() and (out / "notes.txt").read_text() == "mine"
    inside = data_dir / "analysis"
    assert main(["analyze", str(data_dir), "--out", str(inside)]) == 2
    assert "inside the input folder" in capsys.readouterr().err
    assert not inside.exists()


def test_exit_2_when_nothing_could_be_analysed(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.csv").write_text("participant,session\n")
    code = main(["analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "broken.csv:1: not an attentionlab session file" in err
    assert err.strip().splitlines()[-1].startswith("attentionlab: error: nothing could be "
                                                   "analysed")
    assert not (tmp_path / "out").exists()


def test_bad_options_are_one_line_usage_errors(data_dir, tmp_path, capsys):
    assert main(["analyze", str(data_dir), "--out", str(tmp_path / "o"), "--trim",
                 "sd"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(SystemExit) as caught:  # argparse's own check of the number
        main(["analyze", str(data_dir), "--out", str(tmp_path / "o"), "--min-rt-ms", "x"])
    assert caught.value.code == 2


def test_problems_are_listed_and_the_rest_analysed(data_dir, tmp_path, capsys):
    bad = write_session(data_dir, "P4", "1", simple_rows("P4"))
    with open(bad, "a", encoding="utf-8") as fh:
        fh.write("P4,1,stroop,1,1,7,te")
    out = tmp_path / "out"
    assert main(["analyze", str(data_dir), "--out", str(out)]) == 0
    assert f"{bad}:8: incomplete last line" in capsys.readouterr().err
    report = (out / "report.html").read_text()
    assert "incomplete last line" in report and "1 problem(s)" in report


def test_report_escapes_labels_from_foreign_files_and_is_self_contained(tmp_path):
    data = tmp_path / "theirs.csv"
    label = '<script>alert("x")</script>'
    with open(data, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["subject", "cond", "rt", "ok"])
        for subject in (label, "S&2", "S3"):
            for cond, rt in (("c", 500), ("i", 570), ("c", 520), ("i", 600)):
                out.writerow([subject, cond, rt, 1])
    mapping = tmp_path / "m.toml"
    mapping.write_text('task = "stroop"\n[columns]\nparticipant = "subject"\n'
                       'congruency = "cond"\nrt_ms = "rt"\ncorrect = "ok"\n'
                       '[values.congruency]\nc = "congruent"\ni = "incongruent"\n')
    out_dir = tmp_path / "out"
    assert main(["analyze", str(data), "--mapping", str(mapping), "--out", str(out_dir)]) == 0
    report = (out_dir / "report.html").read_text()
    assert "<script" not in report
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in report  # Jinja2 autoescape
    assert "S&amp;2" in report and "S&2" not in report
    # self-contained: no external resources, three embedded PNGs
    assert not re.search(r'(src|href)="(?!data:)', report)
    assert len(re.findall(r'src="data:image/png;base64,', report)) == 3


def test_methods_paragraph_reports_the_settings_and_counts(data_dir, tmp_path):
    rows = [stroop_row("P5", "1", i, c, rt, correct=ok) for i, (c, rt, ok) in enumerate([
        ("congruent", 500.0, 1), ("congruent", 150.0, 1), ("congruent", 530.0, 0),
        ("incongruent", 3000.0, 1), ("incongruent", 600.0, 1), ("neutral", 520.0, 1)])]
    write_session(data_dir, "P5", "1", rows)
    out = tmp_path / "out"
    assert main(["analyze", str(data_dir), "--out", str(out), "--max-rt-ms", "2500",
                 "--trim", "sd:2.5", "--min-accuracy", "0.9"]) == 0
    text = re.sub(r"<[^>]+>", " ", (out / "report.html").read_text())
    # 24 test trials; 1 error; then 150 and 3000 outside 200-2500 ms
    assert "included 24 test trials from 4 participants" in text
    assert "(1 trial, 4.2%)" in text
    assert "RTs below 200 ms or above 2500 ms were removed (2 trials, 8.3%)" in text
    assert "more than 2.5 SD from the mean" in text
    assert "1 participant x session combination(s) were excluded from the group analyses (accuracy below 0.9: 1)" in text
    group = {(r["test"], r["measure"]): r for r in read_csv(out / "group.csv")}
    assert group[("t_test", "interference_ms")]["n"] == "3"  # P5 excluded


def test_export_bids(data_dir, tmp_path):
    rows = simple_rows("P9", "2")
    rows[1]["rt_ms"], rows[1]["response"], rows[1]["correct"] = None, "", 0
    write_session(data_dir, "P9", "2", rows)
    out = tmp_path / "bids"
    assert main(["export", "bids", str(data_dir), str(out)]) == 0
    description = json.loads((out / "dataset_description.json").read_text())
    assert description["BIDSVersion"] and description["Name"]
    tsv = out / "sub-P9" / "ses-2" / "beh" / "sub-P9_ses-2_task-stroop_run-1_beh.tsv"
    lines = [line.split("\t") for line in tsv.read_text().splitlines()]
    header, first, second = lines[0], dict(zip(lines[0], lines[1])), dict(zip(lines[0],
                                                                              lines[2]))
    assert "participant" not in header and "rt_ms" not in header
    assert first["response_time"] == "0.5" and first["onset"] == "1"
    assert second["response_time"] == "n/a" and second["response"] == "n/a"
    assert first["correct"] == "1" and first["run"] == "1"
    sidecar = json.loads(tsv.with_suffix(".json").read_text())
    assert set(header) <= set(sidecar)  # every column described
    assert sidecar["response_time"]["Units"] == "s"
    assert set(sidecar["congruency"]["Levels"]) == {"congruent", "incongruent", "neutral"}
    participants = (out / "participants.tsv").read_text().split()
    assert participants == ["participant_id", "sub-P1", "sub-P2", "sub-P3", "sub-P9"]
    assert main(["export", "bids", str(data_dir), str(out)]) == 2  # not empty now


def test_simulated_sessions_are_flagged_in_the_methods(tmp_path):
    folder = tmp_path / "data"
    write_session(folder, "P1", "1", simple_rows("P1"), simulated=True)
    write_session(folder, "P2", "1", simple_rows("P2"))
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out)]) == 0
    report = (out / "report.html").read_text()
    assert "Note: 1 of 2 session file(s) contain simulated responses" in report
    assert "1 session(s) contain simulated responses" in report
