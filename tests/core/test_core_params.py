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


TASKS = ("stroop", "search")


def test_config_file_top_level_or_task_table(tmp_path):
    flat = tmp_path / "flat.toml"
    flat.write_text('deadline_ms = 1800\nconditions = ["congruent", "incongruent"]\n'
                    'condition_weights = [1, 1]\n')
    p = apply_overrides(StroopParams(), read_config(flat, "stroop", TASKS)["stroop"])
    assert p.deadline_ms == 1800 and p.conditions == ("congruent", "incongruent")
    nested = tmp_path / "nested.toml"
    nested.write_text('[stroop]\nlang = "de"\n[search]\nset_sizes = [4, 8]\n')
    tables = read_config(nested, "stroop", TASKS)
    assert apply_overrides(StroopParams(), tables["stroop"]).lang == "de"
    assert tables["search"] == {"set_sizes": [4, 8]}


def test_config_errors_are_usage_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("deadline_ms = = 3")
    with pytest.raises(UsageError, match="not valid TOML"):
        read_config(bad, "stroop", TASKS)
    with pytest.raises(UsageError, match="does not exist"):
        read_config(tmp_path / "missing.toml", "stroop", TASKS)
    with pytest.raises(UsageError, match="is a folder"):
        read_config(tmp_path, "stroop", TASKS)


@pytest.mark.parametrize("text, message", [
    ("[stropp]\ndeadline_ms = 1500\n",
     r"unknown table \[stropp\] \(did you mean 'stroop'\?\); tables allowed: \[stroop\], "
     r"\[search\]"),
    ("deadline_ms = 1500\n[stroop]\niti_ms = 500\n",
     r"top-level parameters \(deadline_ms\) beside task tables \(\[stroop\]\)"),
    ("[stroop.timing]\ndeadline_ms = 1500\n", None),  # a sub-table is a parameter: caller
])
def test_config_structure_mistakes_are_refused(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    if message is None:
        assert read_config(path, "stroop", TASKS) == {"stroop": {"timing": {"deadline_ms": 1500}}}
        with pytest.raises(UsageError, match="unknown parameter 'timing'"):
            apply_overrides(StroopParams(), read_config(path, "stroop", TASKS)["stroop"])
    else:
        with pytest.raises(UsageError, match=message):
            read_config(path, "stroop", TASKS)


def test_unknown_parameter_suggests_the_closest_name():
    with pytest.raises(UsageError, match=r"unknown parameter 'deadlin_ms' \(did you mean "
                                         r"'deadline_ms'\?\); allowed: trials, "):
        apply_overrides(StroopParams(), {"deadlin_ms": 1500})
    with pytest.raises(UsageError) as info:
        apply_overrides(StroopParams(), {"zzzzzz": 1})
    assert "did you mean" not in str(info.value)


def test_every_parameter_is_documented():
    for row in describe(StroopParams()):
        assert row["doc"], row["name"]
        if row["name"].endswith("_ms"):
            assert row["unit"] == "ms", row["name"]
