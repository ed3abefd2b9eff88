import pytest

from attentionlab.core.errors import UsageError
from attentionlab.core.params import (apply_overrides, describe, parse_set_options,
                                      read_config)
from attentionlab.stimuli.stroop import StroopParams


def test_set_options_convert_to_the_field_types():
    p = apply_overrides(StroopParams(), parse_set_options(
        ["deadline_ms=1500", "show_legend_in_test=yes", "keys=a,s,k,l", "word_height=0.2"]))
    assert p.deadline_ms == 1500 and p.show_legend_in_test is True
    assert p.keys == ("a", "s", "k", "l") and p.word_height == pytest.approx(0.2)


@pytest.mark.parametrize("item, message", [
    ("nonsense=1", "unknown parameter 'nonsense'"),
    ("deadline_ms=abc", "must be an integer"),
    ("deadline_ms=50", "must be >= 100"),
    ("lang=xx", "allowed: en, de, fr, es, nl"),
    ("neutral=blank", "allowed: word, xxxx"),
    ("keys=a,b,c", "four different keys"),
    ("condition_weights=1,2", "one weight per condition"),
    ("key_mapping=red,red,blue,green", "key_mapping must be"),
    ("show_legend_in_test=maybe", "true or false"),
])
def test_bad_values_say_what_is_allowed(item, message):
    with pytest.raises(UsageError, match=message):
        apply_overrides(StroopParams(), parse_set_options([item]))


def test_set_without_equals_is_refused():
    with pytest.raises(UsageError, match="NAME=VALUE"):
        parse_set_options(["deadline_ms"])


def test_config_file_top_level_or_task_table(tmp_path):
    flat = tmp_path / "flat.toml"
    flat.write_text('deadline_ms = 1800\nconditions = ["congruent", "incongruent"]\n'
                    'condition_weights = [1, 1]\n')
    p = apply_overrides(StroopParams(), read_config(flat, "stroop"))
    assert p.deadline_ms == 1800 and p.conditions == ("congruent", "incongruent")
    nested = tmp_path / "nested.toml"
    nested.write_text('[stroop]\nlang = "de"\n[search]\nset_sizes = [4, 8]\n')
    assert apply_overrides(StroopParams(), read_config(nested, "stroop")).lang == "de"


def test_config_errors_are_usage_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("deadline_ms = = 3")
    with pytest.raises(UsageError, match="not valid TOML"):
        read_config(bad, "stroop")
    with pytest.raises(UsageError, match="does not exist"):
        read_config(tmp_path / "missing.toml", "stroop")


def test_every_parameter_is_documented():
    for row in describe(StroopParams()):
        assert row["doc"], row["name"]
        if row["name"].endswith("_ms"):
            assert row["unit"] == "ms", row["name"]
