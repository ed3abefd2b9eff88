"""``study status``: who has done what, what is missing, each participant's
group; read from the runs' sidecars (the data are the truth)."""

import json

from cli_runner import run_cli

from attentionlab.experiments.study import (
    load_study, study_status, task_status, write_state)

STUDY = """\
name = "lab"
order = "latin"
[[tasks]]
task = "stroop"
[[tasks]]
task = "search"
[[tasks]]
task = "posner"
"""


def _run(data, participant, task, run, completed, study="lab", **extra):
    folder = data / f"sub-{participant}"
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"sub-{participant}_ses-1_task-{task}_run-{run}_beh"
    stem.with_suffix(".csv").write_text("trial_index\n1\n")
    sidecar = {"task": task, "completed": completed, **extra}
    if study:
        sidecar["study"] = {"name": study, "position": 1, "of": 3}
    stem.with_suffix(".json").write_text(json.dumps(sidecar))


def _fixture(tmp_path):
    path = tmp_path / "lab.toml"
    path.write_text(STUDY)
    study = load_study(path).study
    data = tmp_path / "data"
    for participant, group in (("P1", 0), ("P2", 4), ("P3", 1)):
        order = ["stroop", "search", "posner"]
        write_state(data, participant, study, {"order_rule": "latin", "group": group,
                                               "seed": None, "order": order})
    # P1: everything, search in two pieces (killed, then resumed).
    _run(data, "P1", "stroop", 1, True)
    _run(data, "P1", "search", 1, False)
    _run(data, "P1", "search", 2, True, continues_run=1)
    _run(data, "P1", "posner", 1, True)
    # P2: stroop done, search stopped; a stroop run outside the study is not counted.
    _run(data, "P2", "stroop", 1, True)
    _run(data, "P2", "search", 1, False)
    _run(data, "P2", "posner", 1, True, study=None)
    _run(data, "P2", "posner", 2, True, study="other")
    # P3: started, nothing on disk yet.
    return path, study, data


def test_each_task_is_done_partial_or_missing_with_its_runs(tmp_path):
    _, study, data = _fixture(tmp_path)
    rows = {r["participant"]: r for r in study_status(data, study)}
    assert list(rows) == ["P1", "P2", "P3"]
    p1 = rows["P1"]["tasks"]
    assert [p1[t].state for t in ("stroop", "search", "posner")] == ["done"] * 3
    assert p1["search"].runs == ["sub-P1_ses-1_task-search_run-1_beh.csv",
                                 "sub-P1_ses-1_task-search_run-2_beh.csv"]
    assert rows["P2"]["missing"] == ["search", "posner"]
    assert rows["P2"]["tasks"]["search"].state == "partial"
    assert rows["P2"]["tasks"]["posner"].state == "missing"  # runs of other studies
    assert rows["P3"]["missing"] == ["stroop", "search", "posner"]
    assert rows["P2"]["group"] == "latin 5"
    assert task_status(tmp_path / "nowhere", "P9", study, "stroop").state == "missing"


def test_the_command_prints_the_table_and_what_is_missing(tmp_path):
    path, _, data = _fixture(tmp_path)
    result = run_cli(["study", "status", str(path), "--data-dir", str(data)])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("participant"))
    assert header.split() == ["participant", "group", "stroop", "search", "posner"]
    table = {line.split()[0]: line.split()[1:] for line in lines
             if line[:2] in ("P1", "P2", "P3")}
    assert table["P1"] == ["latin", "1", "done", "(run-1)", "done", "(run-1", "run-2)",
                           "done", "(run-1)"]
    assert table["P2"] == ["latin", "5", "done", "(run-1)", "partial", "(run-1)", "missing"]
    assert table["P3"] == ["latin", "2", "missing", "missing", "missing"]
    assert "1 of 3 participants have done every task." in lines
    assert "Missing for P2: search (partial), posner (missing)" in lines
    assert "Missing for P3: stroop (missing), search (missing), posner (missing)" in lines


def test_no_participant_yet(tmp_path):
    path = tmp_path / "lab.toml"
    path.write_text(STUDY)
    result = run_cli(["study", "status", str(path), "--data-dir", str(tmp_path / "none")])
    assert result.returncode == 0
    assert "No participant has started study 'lab'" in result.stdout
    assert not (tmp_path / "none").exists()
