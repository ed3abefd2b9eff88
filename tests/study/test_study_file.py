"""The study file: every mistake is one line with a did-you-mean, exit
status 2, nothing created; the order rules; the study log."""

import json

import pytest
from cli_runner import run_cli

from attentionlab.core.errors import UsageError
from attentionlab.core.study_file import read_study
from attentionlab.experiments import study as study_module
from attentionlab.experiments.study import (
    StudyLog, balanced_latin_square, choose_order, load_study, read_log, read_state,
    write_state)
from attentionlab.tasks import TASKS

GOOD = """\
name = "battery"
order = "latin"

[[tasks]]
task = "stroop"
trials = 24
interference_ms = 80   # the autopilot's simulated participant

[[tasks]]
task = "search"
set_sizes = [4, 8]

[[tasks]]
task = "posner"
"""


def _write(tmp_path, text, name="study.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_file_gives_each_task_its_checked_parameters(tmp_path):
    loaded = load_study(_write(tmp_path, GOOD))
    assert loaded.study.name == "battery" and loaded.study.order == "latin"
    assert loaded.study.task_names == ["stroop", "search", "posner"]
    assert loaded.study.session == "1"
    assert loaded.params["stroop"].trials == 24
    assert loaded.params["search"].set_sizes == (4, 8)
    assert loaded.populations["stroop"].interference_ms == 80


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace('order = "latin"', 'odrer = "latin"'),
     "unknown key 'odrer' (did you mean 'order'?)"),
    (GOOD.replace('order = "latin"', 'order = "latn"'),
     "order 'latn' is not allowed (did you mean 'latin'?); allowed: fixed, latin, random"),
    (GOOD.replace('task = "search"', 'task = "serch"'),
     "[[tasks]] table 2: unknown task 'serch' (did you mean 'search'?)"),
    (GOOD.replace("trials = 24", "trails = 24"),
     "[[tasks]] table 1 (stroop): unknown parameter 'trails' (did you mean 'trials'?)"),
    (GOOD.replace("trials = 24", "trials = 0"),
     "[[tasks]] table 1 (stroop): parameter 'trials' must be >= 1, got 0"),
    (GOOD.replace("set_sizes = [4, 8]", 'set_sizes = "big"'),
     "[[tasks]] table 2 (search): parameter 'set_sizes' must be an integer"),
    (GOOD.replace('task = "posner"', 'task = "stroop"'),
     "task 'stroop' is listed twice"),
    (GOOD.replace('name = "battery"', 'name = "my battery"'), "study name"),
    (GOOD.replace('name = "battery"\n', ''), "no name"),
    (GOOD.replace("[[tasks]]", "[tasks]", 1), "not valid TOML"),
    ('name = "x"\n', "no tasks"),
    ('name = "x"\n[stroop]\ntrials = 3\n', "unknown key 'stroop'"),
    (GOOD + "[monitor]\nwidth_cm = 53\n", "distance"),
    (GOOD + '[[details]]\nname = "age"\ntype = "integer"\n', "type must be one of"),
])
def test_mistakes_are_one_line_naming_the_file(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_study(path)
    message = str(caught.value)
    assert expected in message and "\n" not in message
    assert message.startswith(f"study file {str(path)!r}")


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        read_study(tmp_path / "nope.toml", TASKS)


@pytest.mark.parametrize("command", ["run", "status"])
def test_the_command_exits_2_and_creates_nothing(tmp_path, command):
    path = _write(tmp_path, GOOD.replace("trials = 24", "trials = -1"))
    data = tmp_path / "data"
    extra = ["--participant", "P1", "--autopilot"] if command == "run" else []
    result = run_cli(["study", command, str(path), "--data-dir", str(data), *extra])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "parameter 'trials' must be >= 1" in result.stderr
    assert not data.exists()


def test_a_bad_participant_label_exits_2_and_creates_nothing(tmp_path):
    data = tmp_path / "data"
    result = run_cli(["study", "run", str(_write(tmp_path, GOOD)), "--participant", "P 1",
                      "--data-dir", str(data)])
    assert result.returncode == 2 and "participant" in result.stderr
    assert not data.exists()


def test_a_balanced_latin_square_puts_each_task_everywhere_and_after_each_other():
    for n in range(2, 7):
        rows = balanced_latin_square(n)
        assert len(rows) == (n if n % 2 == 0 else 2 * n)
        for row in rows:
            assert sorted(row) == list(range(n))
        for position in range(n):  # each task equally often in each position
            column = [row[position] for row in rows]
            assert all(column.count(t) == len(rows) // n for t in range(n))
        pairs = [(row[i], row[i + 1]) for row in rows for i in range(n - 1)]
        counts = {pair: pairs.count(pair) for pair in set(pairs)}
        assert len(counts) == n * (n - 1) and len(set(counts.values())) == 1


def test_latin_orders_come_from_the_allocation_and_are_kept(tmp_path):
    study = load_study(_write(tmp_path, GOOD)).study
    data = tmp_path / "data"
    orders = []
    for k in range(1, 7):
        facts = choose_order(study, f"P{k}", data)
        assert facts["order_rule"] == "latin" and facts["group_from"] == "allocation"
        write_state(data, f"P{k}", study, facts)
        orders.append(tuple(facts["order"]))
    assert len(set(orders)) == 6  # 3 tasks: 6 rows, one participant each
    allocation = json.loads((data / "allocation" / "study.battery.order.json").read_text())
    assert allocation["participants"]["P4"]["group"] == 3
    # Asked again (the study started again): the recorded order, not a new one.
    assert tuple(read_state(data, "P4", study)["order"]) == orders[3]
    assert choose_order(study, "P4", data)["group"] == 3


def test_random_order_records_its_seed_and_follows_from_it(tmp_path):
    import numpy as np

    study = load_study(_write(tmp_path, GOOD.replace('"latin"', '"random"'))).study
    facts = choose_order(study, "P1", tmp_path)
    names = study.task_names
    expected = [names[i] for i in np.random.default_rng(facts["seed"]).permutation(3)]
    assert facts["order"] == expected and facts["group"] is None


def test_fixed_order_is_the_file_order(tmp_path):
    study = load_study(_write(tmp_path, GOOD.replace('"latin"', '"fixed"'))).study
    assert choose_order(study, "P1", tmp_path)["order"] == ["stroop", "search", "posner"]


def test_a_changed_study_file_cannot_continue_a_participant(tmp_path):
    study = load_study(_write(tmp_path, GOOD)).study
    write_state(tmp_path, "P1", study, choose_order(study, "P1", tmp_path))
    changed = load_study(_write(tmp_path, GOOD.replace('task = "posner"', 'task = "flicker"'),
                                "changed.toml")).study
    with pytest.raises(UsageError, match="started study 'battery' with tasks"):
        read_state(tmp_path, "P1", changed)


def test_the_log_is_appended_line_by_line_with_one_header(tmp_path):
    log = StudyLog(study_module.log_path(tmp_path, "P1", "battery"))
    log.append("stroop", "started", "", "task 1 of 3, seed 5")
    log.append("stroop", "aborted", "sub-P1_ses-1_task-stroop_run-1_beh.csv",
               "escape key pressed\ttab")
    text = log.path.read_text()
    assert text.splitlines()[0] == "time\ttask\tevent\trun_file\tdetail"
    assert text.count("time\t") == 1
    rows = read_log(log.path)
    assert [r["event"] for r in rows] == ["started", "aborted"]
    assert rows[1]["detail"] == "escape key pressed tab"  # a tab never splits a line
    with pytest.raises(ValueError):
        log.append("stroop", "finished")
    # A half-written last line (kill -9 mid-write) is not an event.
    with open(log.path, "a") as fh:
        fh.write("2026-01-01T00:00:00\tsearch\tstar")
    assert len(read_log(log.path)) == 2


def test_the_example_in_docs_study_md_is_a_valid_study_file(tmp_path):
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "study.md"
    if not page.exists():
        pytest.skip("docs/study.md is not in this checkout")
    blocks = re.findall(r"```toml\n(# battery\.toml\n.*?)```", page.read_text(), re.S)
    assert len(blocks) == 1, "the full example (starting '# battery.toml') is missing"
    loaded = load_study(_write(tmp_path, blocks[0]))
    assert loaded.study.task_names == ["stroop", "search", "posner"]
    assert [f.name for f in loaded.fields] == ["age", "handedness"]
    assert loaded.geometry.distance_cm == 60
