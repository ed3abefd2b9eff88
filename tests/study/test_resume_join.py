"""The analysis joins a resumed run with the run it continues (hand-made files)."""

from attentionlab.analysis.pipeline import run_analysis
from attentionlab.analysis.settings import AnalysisSettings
from attentionlab.experiments.resume import find_unfinished
from resume_files import TASK, session_of, write_run


def _stopped_and_resumed(data_dir, participant, stop_after=15, continues=True):
    """run-1 stopped after ``stop_after`` test trials, run-2 with the rest."""
    params, rows = session_of(participant)
    practice = [r for r in rows if r["phase"] == "practice"]
    test = [r for r in rows if r["phase"] == "test"]
    write_run(data_dir, practice + test[:stop_after], params, run=1, completed=False,
              participant=participant)
    facts = find_unfinished(data_dir, participant, "1", TASK).sidecar_facts()
    write_run(data_dir, test[stop_after:], params, run=2, completed=True,
              participant=participant, extra=facts if continues else None)
    return test


def _analyse(data_dir):
    return run_analysis([data_dir], AnalysisSettings(task=TASK))


def test_the_pieces_are_one_session_and_the_notes_say_so(tmp_path):
    planned = _stopped_and_resumed(tmp_path, "P1")
    _stopped_and_resumed(tmp_path, "P2", stop_after=3)
    result = _analyse(tmp_path)
    for participant in ("P1", "P2"):
        rows = result.test[result.test["participant"] == participant]
        # Every planned test trial once, in order (run-1's rows, then run-2's).
        assert rows["congruency"].tolist() == [r["congruency"] for r in planned]
        assert rows["rt_ms"].tolist() == [round(r["rt_ms"], 4) for r in planned]
    assert "sub-P1 ses-1 stroop: run-2 continues run-1 (trials 16-24); the analysis joins " \
           "them into one session." in result.notices
    assert any(n.startswith("sub-P2 ses-1 stroop: run-2 continues run-1 (trials 4-24)")
               for n in result.notices)
    assert not any("duplicate session" in p.message for p in result.problems)
    # run-1 is not an incomplete session of its own: its continuation completed.
    assert result.quality["incomplete"].empty


def test_without_continues_run_two_runs_are_a_repeated_session(tmp_path):
    # The control: the same files without the sidecar key are not joined.
    _stopped_and_resumed(tmp_path, "P1", continues=False)
    result = _analyse(tmp_path)
    assert len(result.test) == 15
    assert any("duplicate session" in p.message for p in result.problems)
    assert not any("continues run-" in n for n in result.notices), result.notices


def test_a_continued_run_not_read_is_named(tmp_path):
    _stopped_and_resumed(tmp_path, "P1")
    run2 = tmp_path / "sub-P1" / "sub-P1_ses-1_task-stroop_run-2_beh.csv"
    result = run_analysis([run2], AnalysisSettings(task=TASK))
    assert len(result.test) == 9
    assert any("continues run-1 (run --resume), which is not among the files read"
               in p.message for p in result.problems)


def test_two_runs_continuing_one_run_are_not_both_joined(tmp_path):
    # Two computers resumed the same run at once: joining both would count
    # trials twice; the second is a repeated session (one of the two is kept).
    from resume_files import session_of, write_run

    _stopped_and_resumed(tmp_path, "P1")
    params, rows = session_of("P1")
    facts = {"continues_run": 1, "resumed": {"first_test_trial": 16}}
    test = [r for r in rows if r["phase"] == "test"]
    write_run(tmp_path, test[15:], params, run=3, completed=True, extra=facts)
    result = _analyse(tmp_path)
    assert len(result.test) == 24
    assert any("which another file read continues too" in p.message for p in result.problems)
