"""participant_effects on hand-worked examples (numbers computed by hand here)."""

import math

import pandas as pd
import pytest

from attentionlab.analysis.cleaning import CleaningSettings
from attentionlab.analysis.settings import AnalysisSettings
from attentionlab.analysis.stroop import PARTICIPANT_COLUMNS, participant_effects
from attentionlab.core.errors import UsageError


def trial(p, cond, rt, correct=1, phase="test", session="1"):
    return {"participant": p, "session": session, "phase": phase, "congruency": cond,
            "rt_ms": rt, "correct": correct}


def test_hand_worked_participant():
    rows = [
        trial("P1", "congruent", 500), trial("P1", "congruent", 600),
        trial("P1", "congruent", 900, correct=0),      # error: not in the RT mean
        trial("P1", "neutral", 560), trial("P1", "neutral", 150),  # 150 < 200 ms: out
        trial("P1", "incongruent", 640), trial("P1", "incongruent", 700),
        trial("P1", "incongruent", None, correct=0),  # miss
        trial("P1", "incongruent", 5000, phase="practice"),  # practice: ignored
    ]
    out = participant_effects(pd.DataFrame(rows))
    assert list(out.columns) == [c.name for c in PARTICIPANT_COLUMNS]
    row = out.iloc[0]
    assert row.rt_congruent_ms == 550          # (500 + 600) / 2
    assert row.rt_neutral_ms == 560            # 150 removed by the 200 ms bound
    assert row.rt_incongruent_ms == 670        # (640 + 700) / 2
    assert row.interference_ms == 120
    assert row.facilitation_ms == 10
    assert row.inhibition_ms == 110
    assert row.acc_congruent == pytest.approx(2 / 3)
    assert row.acc_neutral == 1.0              # accuracy counts all trials
    assert row.acc_incongruent == pytest.approx(2 / 3)
    assert row.error_cost == pytest.approx(0.0)
    assert (row.n_trials, row.n_used) == (8, 5)


def test_absent_condition_gives_empty_cells_and_sorting():
    rows = [trial("P10", "congruent", 500), trial("P10", "incongruent", 560),
            trial("P2", "congruent", 400), trial("P2", "incongruent", 430)]
    out = participant_effects(pd.DataFrame(rows))
    assert out.participant.tolist() == ["P2", "P10"]   # natural order
    assert out.interference_ms.tolist() == [30, 60]
    assert math.isnan(out.rt_neutral_ms[0]) and math.isnan(out.facilitation_ms[0])


def test_settings_change_the_means():
    rows = [trial("P1", "congruent", rt) for rt in (500, 510, 520, 530, 2500)]
    rows += [trial("P1", "incongruent", 600, correct=0), trial("P1", "incongruent", 620)]
    d = pd.DataFrame(rows)
    assert participant_effects(d).rt_congruent_ms[0] == 912          # mean of all five
    def cleaned(**options):
        return AnalysisSettings(cleaning=CleaningSettings(**options))
    assert participant_effects(d, settings=cleaned(max_rt_ms=2000)).rt_congruent_ms[0] == 515
    assert participant_effects(
        d, settings=cleaned(include_errors=True)).rt_incongruent_ms[0] == 610


def test_missing_column_is_a_usage_error():
    with pytest.raises(UsageError, match="rt_ms"):
        participant_effects(pd.DataFrame({"participant": ["P1"], "congruency": ["congruent"],
                                          "correct": [1]}))
