"""score shadowing with the automatic scores: flagged messages first, boxes
starting as the recogniser found (issue 18). The window itself is tested in
test_hand_scoring.py; here what it is given."""

from pathlib import Path

from attentionlab.experiments import hand_scoring
from attentionlab.experiments.hand_scoring import Message


def _message(folder, trial, flagged, auto=()):
    return Message(folder / "sub-P_beh.csv", trial, trial, "A1", "left", folder / "x.wav", 0.0,
                   ("the", "lamp"), ("The", "lamp."), auto, flagged)


def test_flagged_messages_come_first_in_file_order_otherwise(tmp_path, monkeypatch):
    (tmp_path / "sub-P_task-dichotic_run-1_beh.csv").write_text("x\n")
    given = [_message(tmp_path, 1, False), _message(tmp_path, 2, True),
             _message(tmp_path, 3, False), _message(tmp_path, 4, True)]
    seen = {}

    def fake(data_csv, automatic=False):
        seen["automatic"] = automatic
        return given
    monkeypatch.setattr(hand_scoring, "_messages_of", fake)
    found, skipped = hand_scoring.find_messages(tmp_path, automatic=True)
    assert [m.trial_index for m in found] == [2, 4, 1, 3] and skipped == 0
    assert seen["automatic"] is True


def test_automatic_scores_become_the_starting_state(tmp_path, monkeypatch):
    from attentionlab.speech import shadowing_sessions

    class Context:
        def __init__(self, data_csv):
            pass

        def automatic_score(self, row):
            return {"word_said": [True, None, False], "shadow_flagged": 1}
    monkeypatch.setattr(shadowing_sessions, "SessionContext", Context)
    said, flagged = hand_scoring._automatic(Path("d.csv"), {"message": 1}, 3)
    assert said == (True, False, False) and flagged is True  # unscorable starts not said
    # a passage whose words do not match (another text): no starting state
    assert hand_scoring._automatic(Path("d.csv"), {"message": 1}, 2) == ((), False)


def test_without_automatic_scores_the_boxes_start_blank(tmp_path, monkeypatch, capsys):
    from attentionlab.speech import shadowing_sessions
    from attentionlab.core.errors import UsageError

    class Broken:
        def __init__(self, data_csv):
            raise UsageError("speech recognition needs PocketSphinx")
    monkeypatch.setattr(shadowing_sessions, "SessionContext", Broken)
    assert hand_scoring._automatic(Path("d.csv"), {"message": 2}, 3) == ((), False)
    assert "start as not said" in capsys.readouterr().err


def test_blank_option_is_offered():
    import argparse

    parser = argparse.ArgumentParser()
    hand_scoring.register(parser.add_subparsers())
    args = parser.parse_args(["score", "shadowing", "data", "--blank"])
    assert args.blank is True
    assert parser.parse_args(["score", "shadowing", "data"]).blank is False


def test_doctests_of_the_scorer_and_the_human_shadower():
    import doctest

    from attentionlab.speech import shadowing
    from attentionlab.speech import shadowing_check

    for module in (shadowing, shadowing_check):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
