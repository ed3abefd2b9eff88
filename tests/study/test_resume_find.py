"""find_unfinished and the checks of run --resume on hand-made files."""

import pytest

from attentionlab.core.errors import UsageError
from attentionlab.experiments.resume import check_plan, find_unfinished, nothing_to_resume
from cli_runner import run_cli
from resume_files import SEED, TASK, session_of, write_run


def _split(rows, n_test):
    """Practice rows and the first ``n_test`` test rows (where a session stopped)."""
    practice = [r for r in rows if r["phase"] == "practice"]
    test = [r for r in rows if r["phase"] == "test"]
    return practice + test[:n_test], test[n_test:]


def test_nothing_on_disk_is_nothing_to_resume(tmp_path):
    assert find_unfinished(tmp_path, "P1", "1", TASK) is None
    assert "no stroop run of participant P1 session 1" in nothing_to_resume(
        tmp_path, "P1", "1", TASK)


def test_a_stopped_run_is_found_with_its_seed_params_and_trials_on_disk(tmp_path):
    params, rows = session_of()
    done, _ = _split(rows, 7)
    write_run(tmp_path, done, params, run=1, completed=False, half_line=True)
    point = find_unfinished(tmp_path, "P1", "1", TASK)
    assert (point.run, point.seed, point.params) == (1, SEED, params)
    n_practice = sum(r["phase"] == "practice" for r in rows)
    # The half-written last line is not a trial on disk.
    assert (point.test_done, point.last_trial_index) == (7, n_practice + 7)
    assert point.remaining == 24 - 7
    assert point.sidecar_facts()["continues_run"] == 1
    assert point.sidecar_facts()["resumed"]["first_test_trial"] == 8


def test_the_latest_run_completed_means_nothing_to_resume(tmp_path):
    params, rows = session_of()
    write_run(tmp_path, _split(rows, 5)[0], params, run=1, completed=False)
    write_run(tmp_path, rows, params, run=2, completed=True)
    assert find_unfinished(tmp_path, "P1", "1", TASK) is None
    message = nothing_to_resume(tmp_path, "P1", "1", TASK)
    assert "run-1 stopped (5 of 24" in message and "run-2 completed (24 of 24" in message


def test_a_resumed_run_stopped_again_counts_the_trials_of_both(tmp_path):
    params, rows = session_of()
    first, rest = _split(rows, 5)
    write_run(tmp_path, first, params, run=1, completed=False)
    point1 = find_unfinished(tmp_path, "P1", "1", TASK)
    write_run(tmp_path, rest[:6], params, run=2, completed=False,
              extra=point1.sidecar_facts())
    point = find_unfinished(tmp_path, "P1", "1", TASK)
    assert (point.run, point.test_done, point.runs) == (2, 11, [1, 2])
    assert point.last_trial_index == int(rest[5]["trial_index"])
    # ...and a third run killed before its first row still knows where it was.
    write_run(tmp_path, [], params, run=3, completed=False, extra=point.sidecar_facts())
    again = find_unfinished(tmp_path, "P1", "1", TASK)
    assert (again.run, again.test_done, again.last_trial_index, again.runs) == (
        3, 11, point.last_trial_index, [1, 2, 3])


def test_a_run_without_sidecar_is_passed_over(tmp_path):
    params, rows = session_of()
    write_run(tmp_path, _split(rows, 4)[0], params, run=1, completed=False)
    write_run(tmp_path, [], params, run=2, completed=False, sidecar=False)
    assert find_unfinished(tmp_path, "P1", "1", TASK).run == 1


def test_other_participants_sessions_and_tasks_are_not_resumed(tmp_path):
    params, rows = session_of()
    write_run(tmp_path, _split(rows, 4)[0], params, run=1, completed=False)
    assert find_unfinished(tmp_path, "P1", "2", TASK) is None
    assert find_unfinished(tmp_path, "P2", "1", TASK) is None
    assert find_unfinished(tmp_path, "P1", "1", "search") is None


def test_check_plan_refuses_rows_that_are_not_the_plan(tmp_path):
    from attentionlab.stimuli.registry import get_task

    params, rows = session_of()
    write_run(tmp_path, _split(rows, 6)[0], params, run=1, completed=False)
    point = find_unfinished(tmp_path, "P1", "1", TASK)
    plan = get_task(TASK).make_plan(params, "P1", SEED)["test"]
    check_plan(point, plan)  # the same plan: fine
    other = get_task(TASK).make_plan(params, "P1", SEED + 1)["test"]
    with pytest.raises(UsageError, match="not the planned one"):
        check_plan(point, other)


def test_cli_resume_with_nothing_to_resume_is_one_line_exit_2_and_creates_nothing(tmp_path):
    data = tmp_path / "data"
    result = run_cli(["run", TASK, "--participant", "P1", "--data-dir", str(data), "--resume"])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nothing to resume" in result.stderr
    assert not data.exists()


def test_cli_resume_refuses_a_new_seed_or_trials(tmp_path):
    params, rows = session_of()
    write_run(tmp_path, _split(rows, 4)[0], params, run=1, completed=False)
    result = run_cli(["run", TASK, "--participant", "P1", "--data-dir", str(tmp_path),
                      "--resume", "--seed", "3", "--trials", "8"])
    assert result.returncode == 2
    assert "leave out --seed, --trials" in result.stderr
    assert sorted(p.name for p in (tmp_path / "sub-P1").iterdir()) == [
        "sub-P1_ses-1_task-stroop_run-1_beh.csv", "sub-P1_ses-1_task-stroop_run-1_beh.json"]


def test_cli_resume_of_a_run_with_every_test_trial_on_disk_says_so(tmp_path):
    params, rows = session_of()
    write_run(tmp_path, rows, params, run=1, completed=False)
    result = run_cli(["run", TASK, "--participant", "P1", "--data-dir", str(tmp_path),
                      "--resume"])
    assert result.returncode == 2 and "has all 24 test trials on disk" in result.stderr
