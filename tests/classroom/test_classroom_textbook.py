"""The classroom entries, the class statistics and the demo's command line (no display)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from attentionlab.classroom.report import class_statistics, comparison_text, TaskSummary
from attentionlab.classroom.textbook import TEXTBOOK, available, get_entry
from attentionlab.core.errors import UsageError
from attentionlab.experiments.classroom import DemoOptions, new_label, task_command
from attentionlab.experiments.tasks import resolve_params
from attentionlab.stimuli.registry import TASKS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "classroom.md"


@pytest.mark.parametrize("task", list(TEXTBOOK))
def test_entry_is_complete(task):
    entry = TEXTBOOK[task]
    assert entry.task == task and task in TASKS
    assert entry.kind in ("mean", "proportion")
    low, high = entry.published
    assert low <= high
    assert re.search(r"\(\d{4}\)", entry.source), "source names author and year"
    assert len(entry.explanation.split()) >= 40 and entry.showed_rule and entry.references
    if entry.kind == "proportion":
        assert 0 <= low <= high <= 1 and len(entry.outcome_words) == 2


@pytest.mark.parametrize("task", [t for t in TEXTBOOK if t in available()])
def test_demo_overrides_are_valid_parameters(task):
    entry = TEXTBOOK[task]
    params, _ = resolve_params(task, sets=list(entry.demo_sets))
    for item in entry.demo_sets:
        name = item.split("=")[0]
        assert hasattr(params, name)
    resolve_params(task, sets=list(entry.demo_sets), autopilot=True)


def test_docs_page_covers_every_entry():
    text = DOCS.read_text(encoding="utf-8")
    for task, entry in TEXTBOOK.items():
        assert f"`{task}`" in text
        for item in entry.demo_sets:
            assert f"`{item}`" in text, (task, item)
    assert "nothing is sent" in text.lower()


def test_class_statistics_match_scipy():
    x = np.array([12.0, 80.5, 33.0, 61.2, -5.0, 47.0])
    out = class_statistics(x, "mean")
    low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (out["mean"], out["ci_low"], out["ci_high"]) == pytest.approx((x.mean(), low, high))
    y = np.array([1, 0, 1, 1, 0, 1, 1, 1.0])
    out = class_statistics(y, "proportion")
    ci = stats.binomtest(6, 8).proportion_ci(0.95, method="exact")
    assert (out["mean"], out["ci_low"], out["ci_high"]) == pytest.approx((0.75, ci.low, ci.high))
    one = class_statistics([np.nan, 3.0], "mean")
    assert one["n"] == 1 and np.isnan(one["ci_low"]) and one["ci_method"] == "none (one student)"


@pytest.mark.parametrize("low, high, words", [
    (50.0, 80.0, "lies within"), (90.0, 120.0, "higher than"), (5.0, 20.0, "lower than")])
def test_comparison_wording(low, high, words):
    entry = TEXTBOOK["stroop"]
    summary = TaskSummary(entry, pd.DataFrame(), {"n": 20, "mean": (low + high) / 2,
                                                  "ci_low": low, "ci_high": high},
                          0, 0, 0, 0)
    # Published 65 ms: inside [50, 80]; [90, 120] is above it; [5, 20] below it.
    assert words in comparison_text(summary)


def test_unknown_task_has_no_demo():
    with pytest.raises(UsageError, match="available: stroop"):
        get_entry("nosuchtask")


def test_anonymous_labels(tmp_path, monkeypatch):
    labels = {new_label(tmp_path) for _ in range(20)}
    assert all(re.fullmatch(r"S\d{4}", label) for label in labels)
    (tmp_path / "sub-S0000").mkdir()  # a label already used in this data folder
    draws = iter([0, 0, 7])
    monkeypatch.setattr("secrets.randbelow", lambda n: next(draws))
    assert new_label(tmp_path) == "S0007"


def test_options_checked_before_any_window(tmp_path, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":999")
    ok = DemoOptions.from_args(data_dir=tmp_path, tasks="search,stroop",
                               sets=["stroop.trials=24"])
    assert ok.tasks == ("search", "stroop") and re.fullmatch(r"S\d{4}", ok.student)
    command = task_command("stroop", ok)
    # The teacher's value comes after the demo's own, so it wins.
    sets = [command[i + 1] for i, a in enumerate(command) if a == "--set"]
    assert sets[-1] == "trials=24" and "trials=48" in sets
    assert command[command.index("--participant") + 1] == ok.student
    bad = [dict(tasks="stroop,nosuchtask"), dict(sets=["trials=24"]),
           dict(sets=["search.trials=24"], tasks="stroop"), dict(sets=["stroop.nosuch=1"]),
           dict(student="../x"), dict(sets=["stroop.trials=0"])]
    for kwargs in bad:
        with pytest.raises(UsageError):
            DemoOptions.from_args(data_dir=tmp_path, **kwargs)
    monkeypatch.delenv("DISPLAY")
    with pytest.raises(UsageError, match="no display"):
        DemoOptions.from_args(data_dir=tmp_path)


@pytest.mark.parametrize("task", list(TEXTBOOK))
def test_a_student_without_any_value_still_has_a_row(task, tmp_path):
    """A student whose analysis gave no numbers (too few usable trials) is
    counted as "without a value", never dropped: the search entry once lost
    such a student (pandas' pivot_table drops all-NaN rows), so class-report
    counted 29 of a browser class of 30."""
    import warnings

    from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
    from attentionlab.simulation.sessions import write_sessions

    files = write_sessions(task, 3, tmp_path, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # small-sample group statistics
        result = run_analysis(files, AnalysisSettings(task=task))
    participants = result.participants.copy()
    keys = ["participant", "session"]
    measures = [c for c in participants.columns
                if c not in keys and participants[c].dtype.kind == "f"]
    assert measures
    participants.loc[participants["participant"] == "sim002", measures] = np.nan
    values = get_entry(task).values(participants, result.test)
    students = sorted(map(tuple, values[keys].astype(str).to_numpy().tolist()))
    assert students == [("sim001", "1"), ("sim002", "1"), ("sim003", "1")]


@pytest.mark.parametrize("name", ["attentionlab.classroom.textbook",
                                  "attentionlab.classroom.report",
                                  "attentionlab.classroom.figures",
                                  "attentionlab.experiments.classroom"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
