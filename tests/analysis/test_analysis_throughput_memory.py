"""Memory at scale (issue 15, "At any size"): the reader's and the pipeline's
memory savings must not change what is read or analysed."""

import pandas as pd
from analysis_helpers import stroop_row, write_session

from attentionlab.analysis import reading
from attentionlab.analysis.pipeline import run_analysis
from attentionlab.analysis.settings import AnalysisSettings


def _sessions(folder, people=3, trials=12):
    for p in range(1, people + 1):
        rows = [stroop_row(f"P{p}", "1", i, ("congruent", "incongruent", "neutral")[i % 3],
                           500.0 + 7 * i + p, correct=int(i % 5 != 0)) for i in range(trials)]
        write_session(folder, f"P{p}", "1", rows)
    return reading.find_files([folder])


def test_bodies_are_taken_as_they_are_joined(tmp_path):
    """parse_all frees each file's text once joined (one copy, not two, at 10^7 rows)."""
    files = _sessions(tmp_path)
    items = [(i, reading.split_csv(f.read_bytes(), str(f))) for i, f in enumerate(files)]
    assert all(isinstance(p.body, bytes) for _, p in items)
    frame = reading.parse_all(items)
    assert len(frame) == 3 * 12 and all(p.body is None for _, p in items)


def test_the_careful_path_reads_each_file_from_the_joined_text(tmp_path, monkeypatch):
    """When the joined parse does not give the expected row count, each file is
    parsed on its own from its slice of the joined bytes: the same rows result."""
    files = _sessions(tmp_path)
    expected = reading.read_sessions(files).trials
    real_read_csv = pd.read_csv
    monkeypatch.setattr(reading.pd, "read_csv",
                        lambda *a, **k: real_read_csv(*a, **k).iloc[:-1])  # one row lost
    careful = reading.read_sessions(files).trials
    pd.testing.assert_frame_equal(careful[expected.columns], expected, check_dtype=False)


def test_columns_of_other_analyses_are_dropped_once_the_task_is_known(tmp_path):
    """Without --task every analysis' columns are read; once the task is chosen
    only its own are kept (as --task would read), with the same results."""
    _sessions(tmp_path, people=4)
    found = run_analysis([tmp_path])
    named = run_analysis([tmp_path], AnalysisSettings(task="stroop"))
    assert list(found.test.columns) == list(named.test.columns)
    assert "trial_index" not in found.test  # read for other analyses, not Stroop's
    pd.testing.assert_frame_equal(found.participants, named.participants)
    pd.testing.assert_frame_equal(found.group, named.group)
