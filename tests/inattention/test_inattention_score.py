"""What an inattention trial's raw answers mean (stimuli.inattention.score),
and the simulated participant's outcomes (simulation.inattention.outcomes)."""

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.simulation.inattention import Population, outcomes
from attentionlab.stimuli import inattention as ia


def _plan(**params):
    return ia.make_plan(ia.InattentionParams(trials=2, **params), "P3", 4)["test"]


def _answers(**details):
    return {"arm_key": "", "notice_key": "", "notice_rt_ms": None,
            "recognition_choice": "", "recognition_rt_ms": None, **details}


def test_the_arm_key_means_what_the_params_say():
    trial = _plan(arm_keys=("a", "b"))[0]
    key = "a" if trial.longer_arm == "horizontal" else "b"
    wrong = "b" if key == "a" else "a"
    right = ia.score(trial, Outcome(1.0, key, 800.0, _answers(arm_key=key)))
    assert (right["arm_response"], right["arm_correct"], right["correct"]) == (
        trial.longer_arm, 1, 1)
    assert ia.score(trial, Outcome(1.0, wrong, 800.0, _answers(arm_key=wrong)))["correct"] == 0


def test_full_phase_yes_is_correct_only_on_the_object_trial():
    plain, critical = [t for t in _plan(yes_no_keys=("j", "k")) if t.attention == "full"]
    yes = _answers(notice_key="j", notice_rt_ms=600.0, recognition_choice="",
                   recognition_rt_ms=None)
    assert ia.score(plain, Outcome(1.0, "j", 600.0, yes))["correct"] == 0
    scored = ia.score(critical, Outcome(1.0, "j", 600.0, {
        **yes, "recognition_choice": critical.object_shape, "recognition_rt_ms": 900.0}))
    assert (scored["correct"], scored["noticed"], scored["identified"],
            scored["arm_response"], scored["arm_correct"]) == (1, 1, 1, "", None)
    no = ia.score(plain, Outcome(1.0, "k", 600.0, {**yes, "notice_key": "k"}))
    assert (no["correct"], no["noticed"]) == (1, 0)


def test_no_click_in_the_recognition_display_is_not_identified():
    critical = next(t for t in _plan() if t.critical and t.attention == "inattention")
    scored = ia.score(critical, Outcome(1.0, "h", 700.0, _answers(arm_key="h",
                                                                    notice_key="n",
                                                                    notice_rt_ms=500.0)))
    assert (scored["recognition_choice"], scored["identified"],
            scored["recognition_rt_ms"]) == ("", 0, None)


def test_simulated_outcomes_are_keys_that_score_reads_back():
    params = ia.InattentionParams(trials=3)
    trials = ia.make_plan(params, "sim001", 9)["test"]
    model = Population(arm_accuracy=1.0, notice_fixation=1.0, identify_rate=1.0,
                       false_yes=0.0).draw(np.random.default_rng(1), params)
    out = outcomes(params, model, trials, np.random.default_rng(2))
    assert len(out) == len(trials)
    assert all(a.end_s < b.onset_s for a, b in zip(out, out[1:]))  # one clock
    for trial, outcome in zip(trials, out):
        scored = ia.score(trial, outcome)
        if trial.attention != "full":
            assert outcome.response in params.arm_keys and scored["arm_correct"] == 1
        else:
            assert outcome.response in params.yes_no_keys
            assert scored["correct"] == 1
        if trial.critical:
            assert scored["noticed"] == 1 and scored["identified"] == 1
