"""The screens' words say which cue comes next (practice and breaks), as the plan has it."""

from attentionlab.core.params import apply_overrides
from attentionlab.experiments.posner import CUE_WORDS, PosnerPresenter
from attentionlab.stimuli import posner


def presenter(participant="P2", **overrides):
    """The presenter's text part, without a window (no PsychoPy needed)."""
    p = object.__new__(PosnerPresenter)
    p.params = apply_overrides(posner.PosnerParams(), overrides)
    p.block_types = posner.block_cue_types(p.params, participant)
    return p


def test_practice_screen_names_both_cues_in_the_plans_order():
    p = presenter("P2")  # even: endogenous first
    plan = posner.make_plan(p.params, "P2", 1)["practice"]
    text = p.text("practice")
    assert "In the first 6 the signal is: " + CUE_WORDS["endogenous"] in text
    assert "In the other 6: " + CUE_WORDS["exogenous"] in text
    assert [t.cue_type for t in plan] == ["endogenous"] * 6 + ["exogenous"] * 6
    only = presenter("P2", cue_types="exogenous").text("practice")
    assert CUE_WORDS["exogenous"] in only and CUE_WORDS["endogenous"] not in only


def test_the_double_arrow_is_promised_only_when_there_are_neutral_cues():
    assert "double arrow" in presenter("P2").intro_pages()[0]
    demo = presenter("P2", cue_types="endogenous", validity_weights="3,1,0")
    assert "double arrow" not in demo.intro_pages()[0] + demo.text("practice")


def test_break_screen_names_the_next_blocks_cue():
    p = presenter("P3")  # odd: exogenous, endogenous, endogenous, exogenous
    assert CUE_WORDS["endogenous"] in p.text("break", block=1, n_blocks=4)
    assert CUE_WORDS["exogenous"] in p.text("break", block=3, n_blocks=4)
    assert "Press SPACE" in p.text("break", block=1, n_blocks=4)
