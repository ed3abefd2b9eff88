"""Stroop's one scoring (stimuli/stroop.py ``score``) for keys and voice, and
the one plan (``make_plan``) in both answer modes, without a session."""

import numpy as np
import pytest

from attentionlab.core.outcome import Outcome
from attentionlab.core.params import apply_overrides
from attentionlab.core.trial_row import SessionFacts
from attentionlab.simulation.sessions import session_rows
from attentionlab.simulation.stroop import StroopModel
from attentionlab.stimuli import stroop

KEYS = stroop.StroopParams(trials=12, blocks=1, practice_trials=0)
VOICE = apply_overrides(KEYS, {"response": "voice"})
RECORDING = ("recording_file", "recording_offset_ms", "voice_onset_ms")


def _trial(params, ink="blue"):
    return next(t for t in stroop.make_plan(params, "P1", 4)["test"] if t.ink == ink)


def test_a_key_means_the_colour_it_is_mapped_to():
    trial = _trial(KEYS)
    mapping = stroop.colour_to_key(KEYS, "P1")
    right = stroop.score(trial, Outcome(3.0, mapping["blue"], 650.0))
    assert (right["correct"], right["response_colour"], right["response_mode"]) == (
        1, "blue", "keys")
    wrong = stroop.score(trial, Outcome(3.0, mapping["red"], 650.0))
    assert (wrong["correct"], wrong["response_colour"]) == (0, "red")
    assert all(not right[c] for c in RECORDING)  # keys: no recording


def test_no_response_is_wrong_with_no_colour():
    for params in (KEYS, VOICE):
        scored = stroop.score(_trial(params), Outcome(3.0))
        assert (scored["correct"], scored["response_colour"]) == (0, "")
        assert scored["response_mode"] == params.response


def test_voice_the_heard_colour_counts_inside_the_response_window_only():
    trial = _trial(VOICE)
    heard = {"recording_file": "sub-P1_ses-1_task-stroop_run-1_rec-3.wav",
             "recording_offset_ms": 512.0, "voice_onset_ms": 701.5, "heard_colour": "blue"}
    inside = stroop.score(trial, Outcome(3.0, "blue", 701.5, details=heard))
    assert (inside["correct"], inside["response_colour"], inside["response_mode"]) == (
        1, "blue", "voice")
    assert {c: inside[c] for c in RECORDING} == {c: heard[c] for c in RECORDING}
    # The same word after the deadline: no answer, the voice onset is still recorded.
    late = stroop.score(trial, Outcome(3.0, "", None, details={**heard,
                                                               "voice_onset_ms": 2300.0}))
    assert (late["correct"], late["response_colour"], late["voice_onset_ms"]) == (0, "", 2300.0)
    # A voice in time but no colour name recognised: answered, wrong, no colour.
    mumble = stroop.score(trial, Outcome(3.0, "", 640.0, details={**heard, "heard_colour": ""}))
    assert (mumble["correct"], mumble["response_colour"]) == (0, "")
    named_other = stroop.score(trial, Outcome(3.0, "red", 640.0,
                                              details={**heard, "heard_colour": "red"}))
    assert (named_other["correct"], named_other["response_colour"]) == (0, "red")


def test_voice_plan_is_the_keys_plan_without_keys():
    keys, voice = stroop.make_plan(KEYS, "P1", 9), stroop.make_plan(VOICE, "P1", 9)
    strip = lambda t: {k: v for k, v in t.row().items() if k != "correct_key"}  # noqa: E731
    assert [strip(t) for t in voice["test"]] == [strip(t) for t in keys["test"]]
    assert {t.correct_key for t in voice["test"]} == {""}
    assert {t.response_mode for t in voice["test"]} == {"voice"}
    assert stroop.plan_facts(VOICE, "P1") == {}
    assert stroop.plan_facts(KEYS, "P5") == {"counterbalance_group": 1}


def test_simulated_rows_say_how_the_participant_answered():
    """The drift fixed with the contract: simulated Stroop rows had no
    response_mode (real ones always have it)."""
    model = StroopModel(deadline_ms=KEYS.deadline_ms)
    facts = SessionFacts("sim001", "1", "stroop", 1, 1)
    rows = session_rows("stroop", KEYS, model, facts, 3, np.random.default_rng(1))
    assert {r["response_mode"] for r in rows} == {"keys"}
    assert all(r["response"] in KEYS.keys for r in rows if r["rt_ms"] is not None)


def test_a_simulated_vocal_session_names_colours_and_waits_for_the_deadline():
    model = StroopModel(mu_ms=1700, sigma_ms=100, tau_ms=200, error_congruent=0.2,
                        error_neutral=0.2, error_incongruent=0.2, deadline_ms=2000)
    facts = SessionFacts("sim001", "1", "stroop", 1, 1)
    params = apply_overrides(VOICE, {"trials": 48})
    rows = session_rows("stroop", params, model, facts, 3, np.random.default_rng(1))
    answered = [r for r in rows if r["rt_ms"] is not None]
    missed = [r for r in rows if r["rt_ms"] is None]
    assert answered and missed and any(not r["correct"] for r in answered)
    for r in rows:
        assert r["response_mode"] == "voice" and r["correct_key"] == ""
        assert r["recording_file"] == "" and r["recording_offset_ms"] is None  # no recording
        assert r["response"] == r["response_colour"]
        assert r["correct"] == int(r["response"] == r["ink"])
        assert r["voice_onset_ms"] == r["rt_ms"]
    # The word stays until the deadline, answered or not: every trial lasts
    # fixation + deadline + interval.
    onsets = [r["onset_s"] for r in rows]
    step = (params.fixation_ms + params.deadline_ms + params.iti_ms) / 1000
    assert np.diff(onsets) == pytest.approx(step, abs=1e-3)
