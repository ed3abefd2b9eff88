"""The analysis plugin contract: every registered module meets it, and the
worked example of registry.py's docstring runs through the whole pipeline
(our files, a mapping, the report), with and without RT cleaning."""

import inspect
import re
import sys
import textwrap
import types

import pandas as pd
import pytest

from attentionlab.analysis import registry
from attentionlab.experiments.cli import main
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.core.columns import COMMON_COLUMNS

from analysis_helpers import REPO


@pytest.mark.parametrize("task", sorted(registry.ANALYSES))
def test_every_registered_analysis_meets_the_contract(task):
    analysis = registry.get_analysis(task)
    assert analysis.task == task
    names = [c.name for c in analysis.participant_columns]
    assert names[:2] == ["participant", "session"]
    assert "participant" in analysis.required_columns
    assert all(isinstance(f, registry.Factor) for f in analysis.factors)
    assert set(analysis.factor_names) <= set(analysis.required_columns)


@pytest.mark.parametrize("task", sorted(registry.ANALYSES))
def test_every_analysis_has_the_same_signatures(task):
    """The pipeline calls both functions by keyword with the same names for
    every task (issue 14): no task may rename, drop or add a parameter."""
    module = registry.get_analysis(task).module
    effects = inspect.signature(module.participant_effects).parameters
    assert [(n, p.kind) for n, p in effects.items()] == [
        ("test", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        ("used", inspect.Parameter.KEYWORD_ONLY), ("settings", inspect.Parameter.KEYWORD_ONLY)]
    group = inspect.signature(module.group_results).parameters
    assert [(n, p.kind, p.default) for n, p in group.items()] == [
        (n, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty)
        for n in ("participants", "used", "test", "settings")]


def example_module(name="analysis_demo_example", **overrides):
    """The docstring's worked example, executed as a module."""
    code = re.search(r"# attentionlab/analysis/demo.py\n(.*?)\n\s*and its line",
                     registry.__doc__, flags=re.S).group(1)
    module = types.ModuleType(name)
    exec(compile(textwrap.dedent(code), name, "exec"), module.__dict__)
    module.__dict__.update(overrides)
    return module


@pytest.fixture
def demo(monkeypatch):
    def install(**overrides):
        module = example_module(**overrides)
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setitem(registry.ANALYSES, "demo", module.__name__)
        monkeypatch.delitem(registry._loaded, "demo", raising=False)
        return module
    yield install
    registry._loaded.pop("demo", None)


def write_demo(folder, participant, rows):
    """rows: (side, rt_ms, correct); our file format with a 'side' column."""
    path = folder / f"sub-{participant}" / f"sub-{participant}_ses-1_task-demo_run-1_beh.csv"
    path.parent.mkdir(parents=True)
    header = [c.name for c in COMMON_COLUMNS] + ["side"]
    lines = [",".join(header)]
    for i, (side, rt, ok) in enumerate(rows):
        values = {"participant": participant, "session": "1", "task": "demo", "run": 1,
                  "block": 1, "trial_index": i + 1, "phase": "test", "onset_s": i,
                  "response": "f", "rt_ms": rt, "correct": ok, "dropped_frames": 0,
                  "simulated": 0, "timestamp": "2025-01-01T10:00:00+00:00", "side": side}
        lines.append(",".join("" if values[h] is None else str(values[h]) for h in header))
    path.write_text("\n".join(lines) + "\n")
    return path


def demo_data(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_demo(folder, "P1", [("left", 500, 1), ("left", 150, 1), ("right", 600, 1),
                              ("right", 700, 0), ("up", 100, 1)])
    write_demo(folder, "P2", [("left", 400, 1), ("right", 450, 1), ("right", 550, 1)])
    return folder


def test_the_documented_example_runs_through_the_pipeline(tmp_path, demo, capsys):
    demo()
    folder = demo_data(tmp_path)
    result = run_analysis([folder], AnalysisSettings(task="demo"))
    p = result.participants.set_index("participant")
    # P1: 150 ms removed by the 200 ms bound, the error removed; 'up' is no level
    assert p.loc["P1", "rt_left_ms"] == 500 and p.loc["P1", "rt_right_ms"] == 600
    assert p.loc["P2", "rt_right_ms"] == 500
    assert any("side 'up' is not one of left, right" in str(x) for x in result.problems)
    assert result.group["mean"].tolist() == [450, 550]
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--task", "demo", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "2 participant x session(s)"
    report = (out / "report.html").read_text()
    assert "<h1>demo analysis</h1>" in report and "Mean RTs were computed per side." in report


def test_a_task_without_rt_cleaning_uses_every_test_trial(tmp_path, demo):
    demo(RT_CLEANING=False)
    result = run_analysis([demo_data(tmp_path)], AnalysisSettings(task="demo"))
    assert result.cleaning.n_used == len(result.test) == 7 and result.cleaning.steps == []
    p = result.participants.set_index("participant")
    assert p.loc["P1", "rt_left_ms"] == 325  # (500 + 150) / 2: nothing removed
    from attentionlab.analysis.report import methods_text
    assert "no RT cleaning applied, and all 7 test trials were used" in methods_text(result)


def test_a_mapping_for_a_task_without_rt_needs_no_rt_column(tmp_path, demo):
    demo(REQUIRED_COLUMNS=("participant", "side"), RT_CLEANING=False)
    data = tmp_path / "theirs.csv"
    data.write_text("who,where\na,L\na,R\nb,L\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text('task = "demo"\n[columns]\nparticipant = "who"\nside = "where"\n'
                       '[values.side]\nL = "left"\nR = "right"\n')
    result = run_analysis([data], AnalysisSettings(mapping=str(mapping)))
    assert result.test["side"].tolist() == ["left", "right", "left"]
    assert result.test["rt_ms"].isna().all() and result.problems == []
    assert not result.quality["scored"]


def test_a_module_missing_part_of_the_contract_is_named(monkeypatch):
    module = types.ModuleType("analysis_broken_example")
    module.TASK = "broken"
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(registry.ANALYSES, "broken", module.__name__)
    with pytest.raises(TypeError, match="missing FACTORS, REQUIRED_COLUMNS"):
        registry.get_analysis("broken")


def test_the_docs_explain_how_to_add_an_analysis():
    doc = (REPO / "docs" / "analysis.md").read_text(encoding="utf-8")
    assert "## Adding a task's analysis" in doc and "registry.py" in doc


def test_default_report_tables_split_group_by_test():
    analysis = registry.TaskAnalysis(example_module())
    group = pd.DataFrame({"test": ["a", "b", "a"], "x": [1.0, None, 2.0], "y": [None] * 3})
    tables = analysis.report_tables(group)
    assert [t.title for t in tables] == ["a", "b"]
    assert list(tables[0].frame.columns) == ["x"] and len(tables[0].frame) == 2
