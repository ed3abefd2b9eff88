"""Participant details: field declarations, answers, and the form's key logic
(no display needed)."""

import doctest

import numpy as np
import pytest

from attentionlab.core import participant_details
from attentionlab.core.errors import UsageError
from attentionlab.core.participant_details import Field, parse_fields
from attentionlab.experiments import participant_form
from attentionlab.experiments.participant_form import (FormState, autopilot_answers,
                                                       autopilot_keys)

STUDY_DETAILS = [
    {"name": "age", "type": "int", "min": 18, "max": 99, "units": "year"},
    {"name": "handedness", "type": "choice", "choices": ["left", "right", "both"]},
    {"name": "sex", "type": "choice", "choices": ["female", "male", "prefer not to say"],
     "label": "Sex"},
    {"name": "height", "type": "float", "min": 1.2, "max": 2.2, "units": "m",
     "required": False},
    {"name": "notes", "type": "text", "max_length": 10, "required": False},
]


def test_a_study_files_details_tables_become_fields():
    fields = parse_fields(STUDY_DETAILS)
    age, hand, sex, height, notes = fields
    assert (age.type, age.min, age.max, age.units, age.required) == ("int", 18, 99, "year",
                                                                     True)
    assert age.label == "Age" and hand.label == "Handedness" and sex.label == "Sex"
    assert hand.choices == ("left", "right", "both")
    assert (height.type, height.min, height.required) == ("float", 1.2, False)
    assert (notes.type, notes.max_length) == ("text", 10)


@pytest.mark.parametrize("tables, expected", [
    ([{"type": "int"}], "table 1 has no 'name'"),
    ([{"name": "Age", "type": "int"}], "name 'Age'"),
    ([{"name": "age", "type": "number"}], "type must be one of int, float, choice, text"),
    ([{"name": "age", "type": "int", "mni": 18}], "unknown key 'mni' (did you mean 'min'?)"),
    ([{"name": "age", "type": "int", "min": 99, "max": 18}], "min (99) is above max (18)"),
    ([{"name": "age", "type": "int", "min": 18.5}], "min must be a whole number, got 18.5"),
    ([{"name": "age", "type": "int", "max": "99"}], "max must be a whole number"),
    ([{"name": "age", "type": "int", "required": "yes"}], "required must be true or false"),
    ([{"name": "hand", "type": "choice", "choices": ["left"]}], "choices must be a list of 2 to 9"),
    ([{"name": "hand", "type": "choice"}], "choices must be a list of 2 to 9"),
    ([{"name": "hand", "type": "choice", "choices": ["left", "left"]}], "must all differ"),
    ([{"name": "hand", "type": "choice", "choices": ["left", " right"]}], "each choice"),
    ([{"name": "hand", "type": "choice", "choices": ["a", "b"], "min": 1}],
     "min is for int or float questions, not choice"),
    ([{"name": "notes", "type": "text", "max_length": 0}], "max_length must be a whole number"),
    ([{"name": "eyes", "type": "choice", "choices": ["corrected to normal vision", "glasses",
                                                    "contact lenses", "other, not sure",
                                                    "prefer not to say"]}],
     "too long for one line of the form (79 characters in 5 choices"),
    ([{"name": "notes", "type": "text", "label": "two\nlines"}], "label must be a text"),
    ([{"name": "participant_id", "type": "text"}], "participant_id is written by attentionlab"),
    ([{"name": "age", "type": "int"}, {"name": "age", "type": "float"}], "declared twice"),
    ([{"name": f"q{i}", "type": "text"} for i in range(9)], "at most 8"),
    ({"name": "age"}, "must be a list of tables"),
])
def test_a_bad_declaration_is_one_line_that_says_what_is_allowed(tables, expected):
    with pytest.raises(UsageError) as caught:
        parse_fields(tables)
    message = str(caught.value)
    assert expected in message and "\n" not in message
    assert message.startswith("[[details]]")


def test_a_declaration_error_names_the_study_file_and_the_table():
    tables = [{"name": "age", "type": "int"}, {"name": "age2", "type": "int", "min": 9, "max": 1}]
    with pytest.raises(UsageError) as caught:
        parse_fields(tables, where="study file 'b.toml'")
    assert str(caught.value) == ("study file 'b.toml', [[details]] table 2 (age2): min (9) is "
                                 "above max (1)")


@pytest.mark.parametrize("field, text, expected", [
    (Field("age", "int", "Age", min=18, max=99), "25", 25),
    (Field("age", "int", "Age", min=18, max=99), " 99 ", 99),
    (Field("height", "float", "Height", min=1.2, max=2.2), "1,75", 1.75),
    (Field("height", "float", "Height", min=1.2, max=2.2, required=False), "", None),
    (Field("hand", "choice", "Hand", choices=("left", "right")), "right", "right"),
    (Field("notes", "text", "Notes", max_length=5), "ok", "ok"),
])
def test_good_answers_are_parsed(field, text, expected):
    assert field.parse(text) == expected


@pytest.mark.parametrize("field, text, message", [
    (Field("age", "int", "Age", min=18, max=99), "15", "age must be a whole number from 18 to 99"),
    (Field("age", "int", "Age", min=18, max=99), "2.5", "age must be a whole number from 18 to 99"),
    (Field("age", "int", "Age", min=18, max=99), "", "age is needed: type a whole number from 18 to 99"),
    (Field("age", "int", "Age", min=18), "x", "age must be a whole number of at least 18"),
    (Field("height", "float", "Height", max=2.2), "nan", "height must be a number of at most 2.2"),
    (Field("height", "float", "Height", min=1.2, max=2.2), "3", "height must be a number from 1.2 to 2.2"),
    (Field("hand", "choice", "Hand", choices=("left", "right")), "",
     "hand is needed: choose one of: left, right"),
    (Field("hand", "choice", "Hand", choices=("left", "right")), "up",
     "hand must be one of: left, right"),
    (Field("first_language", "text", "First language", max_length=5), "English",
     "first language can be at most 5 characters (it has 7)"),
])
def test_wrong_answers_get_a_message_in_plain_words(field, text, message):
    with pytest.raises(ValueError) as caught:
        field.parse(text)
    assert str(caught.value) == message


def test_the_form_types_moves_chooses_and_finishes_only_when_every_answer_is_valid():
    form = FormState(parse_fields(STUDY_DETAILS))
    for key in ["1", "5", "return"]:
        form.press(key)
    assert form.focus == 0 and form.errors[0] == "age must be a whole number from 18 to 99"
    form.press("a")  # a letter in a number: said at once, not typed
    assert form.texts[0] == "15" and "whole number" in form.errors[0]
    for key in ["backspace", "backspace", "num_4", "2", "return"]:
        form.press(key)
    assert form.texts[0] == "42" and form.errors[0] == "" and form.focus == 1
    form.press("7")  # no 7th choice
    assert form.texts[1] == "" and "press a number from 1 to 3" in form.errors[1]
    form.press("right"), form.press("right")
    assert form.texts[1] == "right" and form.errors[1] == ""
    form.press("tab")
    form.press("3")
    assert form.texts[2] == "prefer not to say"
    form.press("down")
    for key in ["1", "comma", "8", "tab"]:
        form.press(key)
    form.press("h", shift=True)
    for key in ["i", "space", "t", "h", "e", "r", "e", "period", "period", "x"]:
        form.press(key)  # 10 characters at most
    assert form.texts[4] == "Hi there.." and "at most 10 characters" in form.errors[4]
    form.press("up"), form.press("up"), form.press("up")
    form.press("backspace")  # clears the chosen 'right'
    assert form.focus == 1 and form.texts[1] == ""
    form.press("up"), form.press("up")  # wraps round to the last question
    form.press("return")
    assert not form.finished and form.focus == 1 and "handedness is needed" in form.errors[1]
    form.press("1")
    for _ in range(4):
        form.press("return")
    assert form.finished
    assert form.values() == {"age": 42, "handedness": "left", "sex": "prefer not to say",
                             "height": 1.8, "notes": "Hi there.."}


def test_optional_questions_may_stay_empty():
    form = FormState(parse_fields(STUDY_DETAILS[:1] + STUDY_DETAILS[3:]))
    for key in ["3", "0", "return", "return", "return"]:
        form.press(key)
    assert form.finished and form.values() == {"age": 30, "height": None, "notes": None}


def test_the_autopilot_types_a_valid_answer_to_every_question():
    fields = parse_fields(STUDY_DETAILS + [{"name": "tiny", "type": "float", "min": 0.55,
                                            "max": 0.56}])
    for seed in range(20):
        answers = autopilot_answers(fields, np.random.default_rng(seed))
        assert answers == {f.name: f.parse(str(answers[f.name])) for f in fields}
        form = FormState(fields)
        xnames = {"Return": "return", "period": "period", "minus": "minus"}
        for key in autopilot_keys(fields, answers):
            form.press(xnames.get(key, key))
        assert form.finished and form.values() == answers


def test_module_examples_run():
    for module in (participant_details, participant_form):
        assert doctest.testmod(module).failed == 0
