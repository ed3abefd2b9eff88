"""``simulate`` into a folder that already holds data is refused unless
--force, and ``analyze`` says in its summary and report which run it used
when a participant x session was recorded more than once (issue 13, item 3).
Also: ``simulate --help`` and ``power --help`` list their tasks, and power
says it supports Stroop only (item 6)."""

import html
import re

from cli_runner import run_cli


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_simulate_refuses_a_folder_that_holds_files(tmp_path):
    out = tmp_path / "class_data"
    done = run_cli(["simulate", "stroop", "--participants", "2", "--trials", "24",
                    "--out", str(out)])
    assert done.returncode == 0, done.stderr
    before = files(out)
    again = run_cli(["simulate", "stroop", "--participants", "2", "--trials", "24",
                     "--set", "interference_ms=0", "--out", str(out)])
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr
    assert "already holds files" in again.stderr and "--force" in again.stderr
    assert files(out) == before


def test_simulate_refuses_a_file_as_out(tmp_path):
    out = tmp_path / "data.csv"
    out.write_text("x\n")
    done = run_cli(["simulate", "stroop", "--participants", "1", "--out", str(out)])
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "is a file" in done.stderr


def test_with_force_the_runs_are_added_and_analyze_says_which_it_used(tmp_path):
    data, results = tmp_path / "data", tmp_path / "results"
    first = run_cli(["simulate", "stroop", "--participants", "2", "--trials", "24",
                     "--out", str(data)])
    assert first.returncode == 0, first.stderr
    old = files(data)
    second = run_cli(["simulate", "stroop", "--participants", "2", "--trials", "24",
                      "--seed", "5", "--set", "interference_ms=0", "--out", str(data),
                      "--force"])
    assert second.returncode == 0, second.stderr
    assert set(old) < set(files(data))  # nothing replaced, run-2 files added
    assert "further runs" in second.stdout
    done = run_cli(["analyze", str(data), "--out", str(results)])
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stdout.splitlines() if "recorded more than once" in line]
    assert len(notes) == 2, done.stdout
    assert "'sim001' session '1'" in notes[0]
    # the same number of test trials in both runs: the first found is used
    assert re.search(r"uses \S+_run-1_beh\.csv \(\d+ test trials\) and leaves out "
                     r"\S+_run-2_beh\.csv \(\d+ trials\)\.$", notes[0]), notes[0]
    report = html.unescape((results / "report.html").read_text(encoding="utf-8"))
    for note in notes:
        assert note.lstrip("- ") in report


def test_simulate_and_power_help_list_their_tasks():
    simulate = run_cli(["simulate", "--help"])
    for task in ("stroop", "search", "conjunctions", "flicker", "inattention", "dichotic"):
        assert task in simulate.stdout.split("positional arguments")[1]
    power = run_cli(["power", "--help"])
    assert "only stroop" in " ".join(power.stdout.split())


def test_power_for_another_task_says_stroop_only_and_does_no_work(tmp_path):
    done = run_cli(["power", "search", "--effect", "conjunction_slope_ms=10",
                    "--participants", "10", "--trials", "48", "--out",
                    str(tmp_path / "power")])
    assert done.returncode == 2
    assert done.stderr == ("attentionlab: error: power analysis is not available for "
                           "'search': it supports only stroop\n")
    assert "Simulating" not in done.stdout + done.stderr
    assert not (tmp_path / "power").exists()
