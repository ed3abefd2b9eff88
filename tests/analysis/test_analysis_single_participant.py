"""Every task's analysis works for one participant (a pilot, a classroom demo),
and for one participant with a condition missing: exit 0, the outputs
written, and a plain note of what needs more participants or could not be
computed, in the printed summary and in the report (issue 13, item 1).

The data come from the simulator (what ``attentionlab simulate TASK
--participants 1`` writes); a condition is removed by deleting its rows from
the session file. The command runs in this process (``cli.main``: a
subprocess per run would take minutes on a busy machine), except for the end
to end search test below, which runs both commands as a user does.
"""

import csv
import html

import pytest
from cli_runner import run_cli

from attentionlab.simulation.sessions import write_sessions
from attentionlab.experiments.cli import main

from attentionlab.tasks import TASKS  # noqa: E402  every task, the new ones too
FIGURES = {"stroop": ("condition_means", "interference", "rt_distributions"),
           "search": ("rt_by_set_size", "slopes"),
           "conjunctions": ("error_rates", "published"),
           "flicker": ("km_interest",),
           "inattention": ("noticing",),
           "dichotic": ("detection", "recognition"),
           "posner": ("rt_by_soa", "validity_effect")}
# task -> (column, value whose rows are deleted, what the note must say).
# Conjunctions has no conditions (every trial alike): instead every trial's
# digit report is made wrong, which leaves no trial to analyse.
MISSING = {
    "stroop": ("congruency", "incongruent",
               "Interference (incongruent - congruent) not computed: no incongruent trials"),
    "search": ("target_present", "0", "search has no target-absent trials"),
    "conjunctions": ("correct", None, "no trial with both digits reported correctly"),
    "flicker": ("interest", "marginal",
                "marginal vs central (blank trials) not compared: no marginal trials"),
    "inattention": ("attention", "full", "No full-phase trial with the object"),
    "dichotic": ("manipulation", "name", "No message with the change(s) name"),
    "posner": ("validity", "invalid", "Validity effect (invalid - valid) not computed: "
               "no cell has usable valid and invalid trials"),
}


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """task -> folder with one simulated participant's session (made once)."""
    root = tmp_path_factory.mktemp("single")
    folders = {}
    for task in TASKS:
        write_sessions(task, 1, root / task, seed=1)
        folders[task] = root / task
    return folders


def _session_file(folder):
    (path,) = folder.rglob("*_beh.csv")
    return path


def _drop_condition(source, target, column, value):
    """Copy the session (CSV + sidecar) without the test rows of ``column == value``
    (``value`` None: set ``column`` to 0 on every test row)."""
    target.mkdir(parents=True)
    path = _session_file(source)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    test = [r for r in rows if r["phase"] == "test"]
    if value is None:
        for row in test:
            row[column] = "0"
    else:
        assert any(r[column] == value for r in test), (column, value)
        rows = [r for r in rows if not (r["phase"] == "test" and r[column] == value)]
    with open(target / path.name, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sidecar = path.with_suffix(".json")
    (target / sidecar.name).write_bytes(sidecar.read_bytes())
    return target


class Done:
    def __init__(self, status, captured):
        self.returncode, self.stdout, self.stderr = status, captured.out, captured.err


def _analyse(data, out, capsys):
    capsys.readouterr()
    status = main(["analyze", str(data), "--out", str(out)])
    done = Done(status, capsys.readouterr())
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _check_outputs(task, out):
    names = {p.name for p in out.iterdir()}
    expected = {"participants.csv", "group.csv", "report.html"}
    expected |= {f"{stem}.{ext}" for stem in FIGURES[task] for ext in ("png", "svg")}
    assert expected <= names, expected - names
    with open(out / "participants.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) >= 1
    return html.unescape((out / "report.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("task", TASKS)
def test_one_participant_is_analysed_and_the_note_says_what_needs_more(task, simulated,
                                                                        tmp_path, capsys):
    out = tmp_path / "out"
    done = _analyse(simulated[task], out, capsys)
    report = _check_outputs(task, out)
    assert "Analysed" in done.stdout and "of 1 participant(s)" in done.stdout
    assert "Only 1 participant:" in done.stdout
    note = next(line for line in done.stdout.splitlines() if "Only 1 participant:" in line)
    assert note.lstrip("- ") in report
    assert not list(tmp_path.glob(".out.partial-*"))  # no temporary folder left behind


@pytest.mark.parametrize("task", TASKS)
def test_one_participant_with_a_condition_missing(task, simulated, tmp_path, capsys):
    column, value, says = MISSING[task]
    data = _drop_condition(simulated[task], tmp_path / "data", column, value)
    out = tmp_path / "out"
    done = _analyse(data, out, capsys)
    report = _check_outputs(task, out)
    assert says in done.stdout
    assert says in report
    assert "Only 1 participant:" in done.stdout


def test_a_participant_without_a_condition_is_named_among_others(tmp_path, capsys):
    data = tmp_path / "data"
    write_sessions("stroop", 3, data, seed=1, trials=48)
    second = next(p for p in data.rglob("*_beh.csv") if "sub-sim002" in p.name)
    _drop_condition(second.parent, tmp_path / "tmp", "congruency", "incongruent")
    (tmp_path / "tmp" / second.name).replace(second)
    done = _analyse(data, tmp_path / "out", capsys)
    assert "Only 1 participant" not in done.stdout
    assert ("Interference (incongruent - congruent): 1 of 3 participant x session(s) have "
            "no usable incongruent or congruent trials and are left out of it ('sim002' "
            "session '1')") in done.stdout


def test_a_single_search_session_end_to_end_as_a_user_runs_it(tmp_path):
    """The reported case: simulate one search participant, analyse it (it
    used to exit 1 with KeyError: 'ci95_high' after writing two CSVs)."""
    data, out = tmp_path / "pilot", tmp_path / "results"
    done = run_cli(["simulate", "search", "--participants", "1", "--trials", "48",
                    "--out", str(data)])
    assert done.returncode == 0, done.stderr
    done = run_cli(["analyze", str(data), "--out", str(out)])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    _check_outputs("search", out)
    assert "Only 1 participant: slopes are tested against zero" in done.stdout


@pytest.mark.parametrize("task", ["search", "stroop"])
def test_everyone_excluded_is_said_plainly(simulated, task):
    from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis

    result = run_analysis([simulated[task]], AnalysisSettings(min_accuracy=1.0))
    assert len(result.excluded) == 1  # the simulated participant made errors
    assert result.notices == ["Every participant x session was excluded (accuracy below "
                              "1), so there are no group statistics; participants.csv "
                              "still has everyone."]
    assert not any("can be computed" in line for line in result.analysis.headline(result))
