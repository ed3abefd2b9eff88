"""Other labs' files through a mapping: the published reference numbers,
PsychoPy Builder output, and mapping errors that name the column and value."""

import csv

import numpy as np
import pytest

from attentionlab.analysis.cleaning import CleaningSettings
from attentionlab.analysis.mapping import load_mapping, read_mapped, sniff_separator
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.core.errors import UsageError

from analysis_helpers import FIXTURES, REPO

VON_BASTIAN_MAPPING = REPO / "docs" / "mappings" / "vonbastian2015_stroop.toml"
BUILDER_FILE = FIXTURES / "psychopy_builder_stroop_B02.csv"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_von_bastian_reproduces_the_reference_numbers(real_data):
    settings = AnalysisSettings(cleaning=CleaningSettings(min_rt_ms=200, max_rt_ms=2000),
                                mapping=str(VON_BASTIAN_MAPPING))
    result = run_analysis([real_data / "stroop_vonbastian2015.csv"], settings)
    p = result.participants
    assert len(p) == 121 and (p["n_trials"] == 144).all()
    assert round(p["interference_ms"].mean(), 1) == 65.0
    assert round(p["interference_ms"].std(), 1) == 47.4
    assert round(p["facilitation_ms"].mean(), 1) == 3.4
    assert round(p["acc_congruent"].mean(), 3) == 0.992
    assert round(p["acc_neutral"].mean(), 3) == 0.989
    assert round(p["acc_incongruent"].mean(), 3) == 0.952
    used = result.test[result.cleaning.used.to_numpy()]
    assert (used["congruency"] != "neutral").sum() == 11_245
    assert len(result.test) == 17_424 and result.problems == []
    interference = result.group.query("test == 't_test' and measure == 'interference_ms'")
    assert interference["mean"].iloc[0] == pytest.approx(p["interference_ms"].mean())


def builder_trials_by_hand():
    """The Builder fixture read with the csv module, trial rows only."""
    with open(BUILDER_FILE, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["congruent"] in ("0", "1")]
    return rows


def test_psychopy_builder_output_through_the_shipped_mapping():
    rows = builder_trials_by_hand()
    assert len(rows) == 30
    result = run_analysis([BUILDER_FILE], AnalysisSettings(mapping="psychopy_builder_stroop"))
    assert result.problems == []
    (row,) = result.participants.to_dict("records")
    assert (row["participant"], row["session"]) == ("B02", "01")
    for level, code in (("congruent", "1"), ("incongruent", "0")):
        mine = [r for r in rows if r["congruent"] == code]
        correct = [float(r["resp.rt"]) * 1000 for r in mine
                   if r["resp.corr"] == "1" and float(r["resp.rt"]) * 1000 >= 200]
        assert row[f"rt_{level}_ms"] == pytest.approx(np.mean(correct))
        assert row[f"acc_{level}"] == pytest.approx(
            sum(r["resp.corr"] == "1" for r in mine) / len(mine))
    assert np.isnan(row["rt_neutral_ms"]) and np.isnan(row["facilitation_ms"])
    assert row["n_trials"] == 30


MAPPING = """
task = "stroop"
[read]
rt_unit = "s"
[columns]
participant = "pid"
congruency = "cond"
rt_ms = "rt_s"
correct = "acc"
[values.congruency]
"0" = "congruent"
"1" = "neutral"
"2" = "incongruent"
[values.correct]
"True" = 1
"False" = 0
"""


def foreign(tmp_path, body, sep=";", mapping=MAPPING):
    data = write(tmp_path / "theirs.txt", sep.join(["pid", "cond", "rt_s", "acc", "block"])
                 + "\n" + body)
    return data, write(tmp_path / "map.toml", mapping)


def test_values_units_sniffing_and_single_session(tmp_path):
    data, mapping = foreign(tmp_path, "a;0;0.5;True;1\na;2;0.6;True;1\na;1;0.55;False;2\n")
    trials = read_mapped([data], load_mapping(mapping)).trials
    assert trials["congruency"].tolist() == ["congruent", "incongruent", "neutral"]
    assert trials["rt_ms"].tolist() == pytest.approx([500.0, 600.0, 550.0])
    assert trials["correct"].tolist() == [1.0, 1.0, 0.0]
    assert set(trials["session"]) == {"1"} and set(trials["phase"]) == {"test"}


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separator_is_sniffed(sep):
    decimal = "2.5" if sep == "," else "2,5"  # a decimal comma must not fool it
    text = sep.join(["a", "b", "c"]) + "\n" + sep.join(["1", decimal, "3"]) + "\n"
    assert sniff_separator(text) == sep


def test_keep_filters_rows_by_their_column(tmp_path):
    mapping = MAPPING + '[keep]\nblock = ["2", "3"]\n'
    data, mapping = foreign(tmp_path, "a;0;0.5;True;1\na;2;0.6;True;2.0\na;1;0.5;True;3\n",
                            mapping=mapping)
    result = read_mapped([data], load_mapping(mapping))
    assert result.trials["congruency"].tolist() == ["incongruent", "neutral"]
    assert result.n_not_kept == 1


def test_unmapped_value_names_column_value_and_line(tmp_path):
    data, mapping = foreign(tmp_path, "a;0;0.5;True;1\na;7;0.6;True;1\na;0;0.5;maybe;1\n")
    result = read_mapped([data], load_mapping(mapping))
    texts = [str(p) for p in result.problems]
    assert any(t.startswith(f"{data}:3: column 'cond' value(s) '7' not in "
                            f"[values.congruency]") for t in texts)
    assert any(t.startswith(f"{data}:4: column 'acc' value(s) 'maybe' not in "
                            f"[values.correct]") for t in texts)
    assert len(result.trials) == 1


def test_non_numeric_rt_in_a_foreign_file(tmp_path):
    data, mapping = foreign(tmp_path, "a;0;0.5;True;1\na;0;slow;True;1\na;0;;True;1\n")
    result = read_mapped([data], load_mapping(mapping))
    assert [str(p) for p in result.problems] == [
        f"{data}:3: RT 'slow' (column 'rt_s') is not a number; row skipped"]
    assert np.isnan(result.trials["rt_ms"].iloc[1])  # an empty RT is a missing response


def test_their_column_missing_names_it(tmp_path):
    data = write(tmp_path / "other.csv", "pid,condition,rt_s,acc\na,0,0.5,True\n")
    mapping = write(tmp_path / "map.toml", MAPPING)
    result = read_mapped([data], load_mapping(mapping))
    (problem,) = result.problems
    assert "column 'cond' (mapped to congruency) is not in this file" in problem.message
    assert "'condition'" in problem.message  # lists what the file has


def test_default_correct_values_without_a_values_table(tmp_path):
    mapping = MAPPING.replace('[values.correct]\n"True" = 1\n"False" = 0\n', "")
    data, mapping = foreign(tmp_path, "a;0;0.5;TRUE;1\na;0;0.5;0;1\na;0;0.5;1.0;1\n",
                            mapping=mapping)
    assert read_mapped([data], load_mapping(mapping)).trials["correct"].tolist() == [1, 0, 1]


@pytest.mark.parametrize("text, needle", [
    ('task = "stroop"\ncolour = 1\n', "unknown key 'colour'"),
    ('task = "nback"\n', "task = 'nback'"),
    (MAPPING.replace('rt_unit = "s"', 'rt_unit = "sec"'), "rt_unit"),
    (MAPPING.replace('participant = "pid"', 'subject = "pid"'), "'subject' is not one of our"),
    (MAPPING.replace('correct = "acc"\n', ""), "must map correct"),
    (MAPPING + '[values.block]\n"1" = 1\n', "[values.block] is for a column not mapped"),
    (MAPPING + "[keep]\nblock = 2\n", "[keep] block must be a list"),
    ("task = \n", "not valid TOML"),
])
def test_mapping_errors_name_the_key(tmp_path, text, needle):
    with pytest.raises(UsageError) as caught:
        load_mapping(write(tmp_path / "m.toml", text))
    assert needle in str(caught.value)


def test_unknown_mapping_name_lists_the_shipped_ones():
    with pytest.raises(UsageError, match="psychopy_builder_stroop"):
        load_mapping("no_such_mapping")
