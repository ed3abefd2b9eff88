"""Bad input: each problem names the file and line, and the rest is analysed."""

import json

import pytest

from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.analysis.reading import find_files, read_sessions
from attentionlab.core.errors import UsageError

from analysis_helpers import HEADER, simple_rows, stroop_row, write_session


def problems_text(result_or_data):
    return [str(p) for p in result_or_data.problems]


def test_truncated_last_line_is_dropped_and_reported(tmp_path):
    path = write_session(tmp_path, "P1", "1", simple_rows("P1"), completed=False)
    with open(path, "a", encoding="utf-8") as fh:  # a crash in the middle of a row
        fh.write("P1,1,stroop,1,1,7,test,13.0,d,6")
    data = read_sessions(find_files([tmp_path]))
    assert len(data.trials) == 6
    (problem,) = [p for p in data.problems if "incomplete last line" in p.message]
    assert problem.file == str(path) and problem.line == 8  # header + 6 rows + 1


def test_non_numeric_rt_names_file_and_line(tmp_path):
    rows = simple_rows("P1")
    rows[2]["rt_ms"] = "fast"
    path = write_session(tmp_path, "P1", "1", rows)
    result = run_analysis([tmp_path])
    assert f"{path}:4: rt_ms 'fast' is not a number; row skipped" in problems_text(result)
    assert len(result.test) == 5
    assert result.participants["rt_incongruent_ms"].iloc[0] == 600  # 580 was the bad row


def test_empty_file_and_missing_column_do_not_stop_the_others(tmp_path):
    good = write_session(tmp_path, "P1", "1", simple_rows("P1"))
    empty = tmp_path / "sub-P2" / "sub-P2_ses-1_task-stroop_run-1_beh.csv"
    empty.parent.mkdir()
    empty.write_text("")
    no_rt = tmp_path / "sub-P3" / "sub-P3_ses-1_task-stroop_run-1_beh.csv"
    no_rt.parent.mkdir()
    no_rt.write_text("participant,session,task,phase,correct,congruency\n"
                     "P3,1,stroop,test,1,congruent\n")
    result = run_analysis([tmp_path])
    texts = problems_text(result)
    assert f"{empty}: empty file; skipped" in texts
    assert any(t.startswith(f"{no_rt}:1: not an attentionlab session file: no column rt_ms")
               for t in texts)
    assert result.participants["participant"].tolist() == ["P1"]
    assert len(result.data.files) == 3 and str(good) in result.data.files


def test_wrong_number_of_fields_reports_each_line(tmp_path):
    path = write_session(tmp_path, "P1", "1", simple_rows("P1"))
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n") + ",extra,cells\n"
    lines[5] = "P1,1,stroop\n"
    path.write_text("".join(lines))
    data = read_sessions(find_files([tmp_path]))
    (problem,) = data.problems
    assert problem.line == 3 and problem.more_lines == (6,)
    assert f"fields where the header has {len(HEADER)}" in problem.message
    assert len(data.trials) == 4


def test_bad_correct_phase_and_condition_values(tmp_path):
    rows = simple_rows("P1")
    rows[0]["correct"] = "yes"
    rows[1]["phase"] = "warmup"
    rows[2]["congruency"] = "weird"
    path = write_session(tmp_path, "P1", "1", rows)
    texts = problems_text(run_analysis([tmp_path]))
    assert f"{path}:2: correct 'yes' is not 0 or 1; row skipped" in texts
    assert f"{path}:3: phase 'warmup' is not practice or test; row skipped" in texts
    assert any(t.startswith(f"{path}:4: congruency 'weird' is not one of") for t in texts)


def test_mixed_tasks_analyse_the_majority_and_report_the_rest(tmp_path):
    write_session(tmp_path, "P1", "1", simple_rows("P1"))
    write_session(tmp_path, "P2", "1", simple_rows("P2"))
    other = tmp_path / "sub-P3" / "sub-P3_ses-1_task-search_run-1_beh.csv"
    other.parent.mkdir()
    other.write_text(",".join(HEADER[:14]) + "\n"
                     + "P3,1,search,1,1,1,test,1.0,j,700.0,1,0,0,2025-01-01T10:00:00+00:00\n")
    result = run_analysis([tmp_path])
    assert result.task == "stroop"
    assert sorted(result.participants["participant"]) == ["P1", "P2"]
    assert any(str(other) in t and "task 'search'" in t for t in problems_text(result))


def test_rows_of_another_task_inside_a_file(tmp_path):
    rows = simple_rows("P1")
    rows[3]["task"] = "search"
    path = write_session(tmp_path, "P1", "1", rows)
    texts = problems_text(run_analysis([tmp_path]))
    assert any(t.startswith(f"{path}:5: 1 row(s) of task 'search' skipped") for t in texts)


def test_duplicate_sessions_keep_the_file_with_more_trials(tmp_path):
    short = write_session(tmp_path, "P1", "1", simple_rows("P1")[:3], completed=False)
    full = write_session(tmp_path, "P1", "1", simple_rows("P1", congruent=(400, 420)))
    assert short.name.endswith("run-1_beh.csv") and full.name.endswith("run-2_beh.csv")
    result = run_analysis([tmp_path])
    assert len(result.participants) == 1
    assert result.participants["rt_congruent_ms"].iloc[0] == 410  # from the full run
    (problem,) = [p for p in result.problems if "duplicate session" in p.message]
    assert problem.file == str(short) and str(full) in problem.message


def test_practice_rows_are_not_analysed(tmp_path):
    rows = simple_rows("P1") + [stroop_row("P1", "1", 9, "congruent", 5000.0,
                                           phase="practice")]
    write_session(tmp_path, "P1", "1", rows)
    result = run_analysis([tmp_path])
    assert result.participants["n_trials"].iloc[0] == 6
    assert result.participants["rt_congruent_ms"].iloc[0] == 510


def test_sidecar_facts_reach_the_quality_section(tmp_path):
    write_session(tmp_path, "P1", "1", simple_rows("P1"), completed=False,
                  dropped_frames_total=3)
    write_session(tmp_path, "P2", "1", simple_rows("P2"), simulated=True)
    path = write_session(tmp_path, "P3", "1", simple_rows("P3"), sidecar=False)
    bad_sidecar = write_session(tmp_path, "P4", "1", simple_rows("P4"))
    bad_sidecar.with_suffix(".json").write_text("{not json")
    result = run_analysis([tmp_path])
    q = result.quality
    assert q["incomplete"]["participant"].tolist() == ["P1"]
    assert q["simulated"]["participant"].tolist() == ["P2"]
    assert q["no_sidecar"] == 2
    assert q["sidecar_dropped_frames_total"] == 3
    assert any(p.file == str(path) and "no JSON sidecar" in p.message for p in result.problems)
    assert any("sidecar unreadable" in p.message for p in result.problems)


def test_utf8_bom_and_crlf_files_are_read(tmp_path):
    path = write_session(tmp_path, "P1", "1", simple_rows("P1"))
    text = path.read_text()
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    data = read_sessions(find_files([tmp_path]))
    assert data.problems == [] and len(data.trials) == 6


def test_not_utf8_is_reported(tmp_path):
    path = tmp_path / "x_beh.csv"
    path.write_bytes(b"participant,session\n\xff\xfe\x00bad\n")
    (problem,) = read_sessions(find_files([tmp_path])).problems
    assert problem.file == str(path) and "not utf-8-sig text" in problem.message


def test_nothing_usable_is_a_usage_error_listing_the_problems(tmp_path):
    (tmp_path / "a.csv").write_text("")
    with pytest.raises(UsageError, match="nothing could be analysed") as caught:
        run_analysis([tmp_path])
    assert [str(p) for p in caught.value.problems] == [f"{tmp_path / 'a.csv'}: empty file; "
                                                       f"skipped"]


def test_missing_path_and_unknown_task_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        run_analysis([tmp_path / "nope"])
    with pytest.raises(UsageError, match="has no analysis; available"):
        run_analysis([tmp_path], AnalysisSettings(task="nback"))


def test_sidecar_json_is_not_mistaken_for_data(tmp_path):
    path = write_session(tmp_path, "P1", "1", simple_rows("P1"))
    assert json.loads(path.with_suffix(".json").read_text())["completed"] is True
    assert find_files([tmp_path]) == [path]
