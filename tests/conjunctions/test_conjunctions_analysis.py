"""Illusory-conjunction analysis on hand-made data, the simulated participant,
and simulate -> analyse through the command line."""

import json
import math
import random

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli

from attentionlab.analysis import conjunctions as ana
from attentionlab.simulation import conjunctions as sim
from attentionlab.simulation.sessions import session_rows, write_sessions
from attentionlab.core.columns import column_names
from attentionlab.core.errors import UsageError
from attentionlab.core.trial_row import SessionFacts
from attentionlab.stimuli import conjunctions as cj

FIVE = "red,green,blue,orange,purple"


def _trial(reports, correct=1, participant="P1", choices=FIVE, phase="test"):
    row = {"participant": participant, "session": "1", "phase": phase, "correct": correct,
           "letters": "T,X,O", "letter_colours": "red,green,blue", "colour_choices": choices,
           "exposure_ms": 200.0}
    for i, (letter, colour) in enumerate(reports, start=1):
        row[f"report{i}_letter"], row[f"report{i}_colour"] = letter, colour
    for i in range(len(reports) + 1, 4):
        row[f"report{i}_letter"] = row[f"report{i}_colour"] = ""
    return row


ALL_RIGHT = [("T", "red"), ("X", "green"), ("O", "blue")]
SWAP = [("T", "green"), ("X", "red"), ("O", "blue")]          # 2 conjunctions
FEATURE = [("T", "purple"), ("X", "green"), ("O", "blue")]     # 1 feature error
LETTER = [("N", "red"), ("X", "green"), ("O", "orange")]       # letter + feature error


def test_rates_on_a_hand_worked_example():
    data = pd.DataFrame([_trial(ALL_RIGHT), _trial(SWAP), _trial(FEATURE), _trial(LETTER),
                         _trial(SWAP, correct=0),  # digits wrong: left out
                         _trial(SWAP, phase="practice")])
    p = ana.participant_effects(data).iloc[0]
    # 4 trials analysed, 12 reports: correct 3+1+2+1 = 7, conj 2, feature 2, letter 1.
    assert (p.n_trials, p.n_used, p.n_reports) == (5, 4, 12)
    assert p.digit_accuracy == pytest.approx(4 / 5)
    assert p.correct_rate == pytest.approx(7 / 12)
    assert p.conjunction_rate == pytest.approx(2 / 12)
    assert p.feature_rate == pytest.approx(2 / 12)
    assert p.letter_error_rate == pytest.approx(1 / 12)
    assert p.conjunction_trial_rate == pytest.approx(1 / 4)
    assert p.feature_trial_rate == pytest.approx(2 / 4)
    # 5 colours: chance ratio (3 - 1) / (5 - 3) = 1.
    assert p.conjunction_chance_rate == pytest.approx(2 / 12)
    assert p.conjunction_corrected == pytest.approx(0.0)
    assert p.mean_exposure_ms == 200.0


def test_digit_error_trials_can_be_included_and_empty_correct_is_kept():
    data = pd.DataFrame([_trial(ALL_RIGHT), _trial(SWAP, correct=0)])
    assert ana.participant_rates(data, include_digit_errors=True).iloc[0].n_used == 2
    data.loc[1, "correct"] = np.nan  # no digit task in a foreign file: not flagged
    assert ana.participant_effects(data).iloc[0].n_used == 2


def test_chance_correction_uses_the_number_of_colours_offered():
    # Six colours: a guess lands on another shown colour 2 times for 3 times on an unshown one.
    data = pd.DataFrame([_trial(SWAP, choices=FIVE + ",brown"),
                         _trial(FEATURE, choices=FIVE + ",brown")])
    p = ana.participant_effects(data).iloc[0]
    assert p.conjunction_chance_rate == pytest.approx(1 * 2 / 3 / 6)
    assert p.conjunction_corrected == pytest.approx(2 / 6 - 2 / 18)


def test_missing_reports_are_not_counted_and_bad_displays_are_refused():
    data = pd.DataFrame([_trial(ALL_RIGHT[:2])])
    assert ana.participant_effects(data).iloc[0].n_reports == 2
    bad = pd.DataFrame([{**_trial(ALL_RIGHT), "letters": "T,X"}])
    with pytest.raises(UsageError, match="3 items"):
        ana.participant_effects(bad)
    with pytest.raises(UsageError, match="report1_letter"):
        ana.score_trials(pd.DataFrame([_trial(ALL_RIGHT)]).drop(columns="report1_letter"))


def test_group_paired_test_against_a_hand_computation():
    # Differences conjunction - feature: 0.1, 0.2, 0.3 -> mean 0.2, SD 0.1,
    # t = 0.2 / (0.1 / sqrt 3) = 3.4641, df = 2.
    participants = pd.DataFrame({
        "participant": ["A", "B", "C"], "session": "1",
        "conjunction_rate": [0.15, 0.25, 0.35], "feature_rate": [0.05, 0.05, 0.05],
        **{m: 0.5 for m in ana.RATES if m not in ("conjunction_rate", "feature_rate")}})
    group = ana.group_results(participants, used=None, test=None, settings=None)
    assert list(group.columns) == [c.name for c in ana.GROUP_COLUMNS]
    paired = group[group.test == "paired_t_test"].iloc[0]
    assert paired["mean"] == pytest.approx(0.2)
    assert paired["t"] == pytest.approx(0.2 / (0.1 / math.sqrt(3)), rel=1e-9)
    assert paired["df"] == 2
    published = group[group.test == "published"].iloc[0]
    assert published["published"] == 0.18 and published["mean"] == 0.5


def test_sessions_of_a_participant_count_once_in_the_group():
    participants = pd.DataFrame({
        "participant": ["A", "A", "B"], "session": ["1", "2", "1"],
        **{m: [0.1, 0.3, 0.4] for m in ana.RATES}})
    group = ana.group_results(participants, used=None, test=None, settings=None)
    row = group.query("measure == 'conjunction_rate'").iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(0.3)


# -- simulated participant -------------------------------------------------------------
def test_model_errors_are_scored_as_what_they_were_meant_to_be():
    model = sim.ConjunctionsModel(digit_error=0.2, p_conjunction=0.3, p_feature=0.15,
                                  p_letter=0.1)
    trials = cj.make_trials(cj.ConjunctionsParams(), random.Random(2), n_trials=2000)
    rng = np.random.default_rng(3)
    outcomes, digits_ok = [], []
    for trial in trials:
        answer = model.respond(trial, rng)
        letters = [letter for letter, _ in answer.reports]
        assert len(set(letters)) == 3  # each letter reported once
        digits_ok.append(cj.score_digits(trial.digit_left, trial.digit_right, answer.typed))
        outcomes += [cj.score_report(trial.letters, trial.colours, *r) for r in answer.reports]
    n = len(outcomes)
    for kind, p in (("conjunction_error", 0.3), ("feature_error", 0.15),
                    ("letter_error", 0.1), ("correct", 0.45)):
        assert outcomes.count(kind) / n == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n))
    assert 1 - np.mean(digits_ok) == pytest.approx(0.2, abs=4 * math.sqrt(0.16 / 2000))


def test_simulated_rows_have_exactly_the_session_columns(tmp_path):
    params = cj.ConjunctionsParams(trials=10, practice_trials=2, staircase=True)
    model = sim.Population().draw(np.random.default_rng(1))
    rows = session_rows("conjunctions", params, model,
                        SessionFacts("sim1", "1", "conjunctions", 1, 1), 5,
                        np.random.default_rng(2))
    header = column_names(cj.COLUMNS)
    assert all(set(row) == set(header) for row in rows)
    assert [r["phase"] for r in rows] == ["practice"] * 2 + ["test"] * 10
    for before, after in zip(rows, rows[1:]):  # the staircase ran on the digit reports
        assert after["requested_exposure_ms"] == cj.staircase_next(
            before["requested_exposure_ms"], before["digits_correct"], params)
    assert all(r["correct"] == r["digits_correct"] and r["response"] == r["digits_typed"]
               for r in rows)


def test_simulate_then_analyse_recovers_the_programmed_rates(tmp_path):
    sets = {"conjunction_rate": 0.12, "conjunction_sd": 0, "feature_rate": 0.03,
            "feature_sd": 0, "letter_error_rate": 0.02, "letter_error_sd": 0,
            "digit_error_rate": 0.1, "digit_error_sd": 0}
    write_sessions("conjunctions", 12, tmp_path / "data", seed=4, trials=100, overrides=sets)
    result = run_cli(["analyze", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    assert result.returncode == 0, result.stderr
    assert "Illusory conjunctions:" in result.stdout
    participants = pd.read_csv(tmp_path / "out" / "participants.csv")
    group = pd.read_csv(tmp_path / "out" / "group.csv")
    reports = participants["n_reports"].sum()  # about 12 x 90 x 3
    for measure, p in (("conjunction_rate", 0.12), ("feature_rate", 0.03),
                       ("letter_error_rate", 0.02)):
        pooled = (participants[measure] * participants["n_reports"]).sum() / reports
        assert pooled == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / reports)), measure
    assert participants["digit_accuracy"].mean() == pytest.approx(0.9, abs=0.04)
    assert (participants["n_used"] < participants["n_trials"]).all()
    paired = group[group.test == "paired_t_test"].iloc[0]
    assert paired["mean"] > 0 and paired["p"] < 0.001
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Treisman" in report and "0.18" in report
    assert (tmp_path / "out" / "error_rates.png").exists()
    side = json.loads(next((tmp_path / "data").glob("sub-sim001/*.json")).read_text())
    assert side["simulation"]["participant"]["p_conjunction"] == 0.12
