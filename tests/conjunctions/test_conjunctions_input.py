"""Digit entry rules of the presentation (no window needed)."""

from attentionlab.experiments.conjunctions import _Typing, feedback_slots


def test_backspace_corrects_the_first_digit_and_the_keypad_counts():
    typing = _Typing()
    typing.add([("4", 0.52), ("backspace", 0.61), ("3", 0.70)])
    typing.add([("num_7", 0.90), ("5", 1.00), ("backspace", 1.10)])
    assert typing.digits == ["3", "7"]  # full after two: later keys are ignored
    assert typing.first_rt == 0.52  # the first digit key pressed, even if deleted


def test_presses_before_the_display_and_other_keys_are_ignored():
    typing = _Typing()
    typing.add([("8", -0.05), ("a", 0.3), ("space", 0.4), ("6", 0.5), ("return", 0.6)])
    assert typing.digits == ["6"] and typing.first_rt == 0.5


def test_feedback_puts_each_report_under_its_letter():
    slots = feedback_slots(["T", "X", "O"], [("X", "red"), ("H", "blue"), ("O", "blue")])
    assert slots == [("H", "blue"), ("X", "red"), ("O", "blue")]
    assert feedback_slots(["T", "X", "O"], [("T", "red")]) == [
        ("T", "red"), ("", None), ("", None)]
