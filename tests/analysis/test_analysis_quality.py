"""The data-quality section's accuracy flag follows the task's ACCURACY_CHECK."""

from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.analysis.registry import get_analysis
from attentionlab.analysis.report import render
from attentionlab.simulation.sessions import write_sessions


def _quality_html(task, tmp_path, n=6):
    write_sessions(task, n, tmp_path / task, seed=3)
    result = run_analysis([tmp_path / task], AnalysisSettings(task=task))
    return result, render(result, {})


def test_tasks_whose_correct_is_no_accuracy_are_not_flagged(tmp_path):
    assert get_analysis("dichotic").accuracy_check is False
    result, html = _quality_html("dichotic", tmp_path)
    assert len(result.quality["low_accuracy"]) > 0  # the raw proportions are low ...
    assert "No accuracy check" in html and "with accuracy below" not in html  # ... no flag


def test_accuracy_is_still_checked_for_stroop(tmp_path):
    assert get_analysis("stroop").accuracy_check is True
    _, html = _quality_html("stroop", tmp_path)
    assert "No accuracy check" not in html and "accuracy below" in html
