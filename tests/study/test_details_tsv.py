"""participants.tsv and participants.json: appended, fsynced, never overwritten."""

import json
import multiprocessing
import os

import pandas as pd
import pytest

from attentionlab.core import participant_details
from attentionlab.core.errors import UsageError
from attentionlab.core.participant_details import (DetailsExist, append_details,
                                                   has_details, parse_fields)

FIELDS = parse_fields([
    {"name": "age", "type": "int", "min": 18, "max": 99, "units": "year"},
    {"name": "handedness", "type": "choice", "choices": ["left", "right", "both"]},
    {"name": "notes", "type": "text", "max_length": 40, "required": False},
])


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def test_rows_are_appended_under_a_bids_header_with_a_column_dictionary(tmp_path):
    path = append_details(tmp_path, "P01", {"age": 25, "handedness": "left"}, FIELDS)
    assert path == tmp_path / "participants.tsv"
    first = path.read_bytes()
    append_details(tmp_path, "P02", {"age": "31", "handedness": "both", "notes": "glasses"},
                   FIELDS)
    assert path.read_bytes().startswith(first)  # appended, the first row untouched
    assert _lines(path) == ["participant_id\tage\thandedness\tnotes",
                            "sub-P01\t25\tleft\tn/a",
                            "sub-P02\t31\tboth\tglasses", ""]
    table = pd.read_csv(path, sep="\t", na_values="n/a", keep_default_na=False)
    assert table.participant_id.tolist() == ["sub-P01", "sub-P02"]
    columns = json.loads((tmp_path / "participants.json").read_text())
    assert list(columns) == ["participant_id", "age", "handedness", "notes"]
    assert columns["age"]["Units"] == "year" and "18 to 99" in columns["age"]["Description"]
    assert columns["handedness"]["Levels"] == {"left": "left", "right": "right",
                                               "both": "both"}
    assert "sub-<label>" in columns["participant_id"]["Description"]
    assert has_details(tmp_path, "P02") and not has_details(tmp_path, "P03")


def test_each_write_is_fsynced(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    monkeypatch.setattr(participant_details.os, "fsync", recording_fsync)
    append_details(tmp_path, "P01", {"age": 25, "handedness": "left"}, FIELDS)
    assert "participants.tsv" in synced
    synced.clear()
    append_details(tmp_path, "P02", {"age": 26, "handedness": "left"}, FIELDS)
    assert "participants.tsv" in synced  # the append, not only the first write


def test_tabs_and_line_breaks_in_a_text_cannot_break_the_table(tmp_path):
    notes = "two\tcells\nand a line\\break"
    path = append_details(tmp_path, "P01", {"age": 25, "handedness": "left", "notes": notes},
                          FIELDS)
    rows = _lines(path)
    assert rows[1] == "sub-P01\t25\tleft\ttwo\\tcells\\nand a line\\\\break" and rows[2] == ""
    table = pd.read_csv(path, sep="\t", keep_default_na=False)
    assert table.shape == (1, 4)


def test_a_second_entry_for_a_participant_is_refused_and_nothing_changes(tmp_path):
    append_details(tmp_path, "P01", {"age": 25, "handedness": "left"}, FIELDS)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(DetailsExist) as caught:
        append_details(tmp_path, "P01", {"age": 52, "handedness": "right"}, FIELDS)
    message = str(caught.value)
    assert "P01 already has details" in message and "not changed" in message
    assert "\n" not in message
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_new_field_grows_the_header_by_an_atomic_rewrite(tmp_path):
    append_details(tmp_path, "P01", {"age": 25}, FIELDS[:1])
    append_details(tmp_path, "P02", {"age": 40, "handedness": "right"}, FIELDS[:2])
    # A study that no longer asks for age: its column is kept, the new row has n/a.
    append_details(tmp_path, "P03", {"handedness": "both"}, FIELDS[1:2])
    assert _lines(tmp_path / "participants.tsv") == [
        "participant_id\tage\thandedness", "sub-P01\t25\tn/a", "sub-P02\t40\tright",
        "sub-P03\tn/a\tboth", ""]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".participants.lock", "participants.json", "participants.tsv"]  # no temporary left
    columns = json.loads((tmp_path / "participants.json").read_text())
    assert list(columns) == ["participant_id", "age", "handedness"]


def test_a_choice_gaining_answers_keeps_the_old_levels(tmp_path):
    append_details(tmp_path, "P01", {"handedness": "left"}, FIELDS[1:2])
    wider = parse_fields([{"name": "handedness", "type": "choice",
                           "choices": ["left", "right", "ambidextrous"]}])
    append_details(tmp_path, "P02", {"handedness": "ambidextrous"}, wider)
    levels = json.loads((tmp_path / "participants.json").read_text())["handedness"]["Levels"]
    assert list(levels) == ["left", "right", "both", "ambidextrous"]


@pytest.mark.parametrize("participant, values, expected", [
    ("../x", {"age": 25, "handedness": "left"}, "participant label '../x' is not allowed"),
    ("P01", {"age": 15, "handedness": "left"}, "age must be a whole number from 18 to 99"),
    ("P01", {"age": True, "handedness": "left"}, "age must be a whole number"),
    ("P01", {"age": 25}, "handedness is needed"),
    ("P01", {"age": 25, "handedness": "left", "agee": 3}, "'agee' is not a declared details "
                                                          "field (did you mean 'age'?)"),
])
def test_a_wrong_label_or_value_is_refused_before_anything_is_written(tmp_path, participant,
                                                                      values, expected):
    with pytest.raises(UsageError) as caught:
        append_details(tmp_path / "data", participant, values, FIELDS)
    assert expected in str(caught.value)
    assert not (tmp_path / "data").exists()


def test_someone_elses_file_or_a_broken_dictionary_is_never_replaced(tmp_path):
    table = tmp_path / "participants.tsv"
    table.write_text("name\tage\nAnna\t30\n")
    with pytest.raises(UsageError, match="is not a participants table"):
        append_details(tmp_path, "P01", {"age": 25, "handedness": "left"}, FIELDS)
    assert table.read_text() == "name\tage\nAnna\t30\n"
    table.unlink()
    broken = tmp_path / "participants.json"
    broken.write_text("{not json")
    with pytest.raises(UsageError, match="not a readable JSON column dictionary"):
        append_details(tmp_path, "P01", {"age": 25, "handedness": "left"}, FIELDS)
    assert broken.read_text() == "{not json" and not table.exists()


def test_a_file_cut_short_by_a_crash_is_continued_on_a_new_line(tmp_path):
    table = tmp_path / "participants.tsv"
    table.write_text("")  # created, then the power went
    append_details(tmp_path, "P01", {"age": 25, "handedness": "left"}, FIELDS)
    with open(table, "a") as fh:
        fh.write("sub-P02\t3")  # a row cut short
    append_details(tmp_path, "P03", {"age": 33, "handedness": "left"}, FIELDS)
    assert _lines(table)[-3:] == ["sub-P02\t3", "sub-P03\t33\tleft\tn/a", ""]


def _append_many(folder, first, wide):
    fields = FIELDS if wide else FIELDS[:1]
    for n in range(first, first + 30):
        values = {"age": 20 + n % 50, **({"handedness": "right"} if wide else {})}
        append_details(folder, f"P{n:03d}", values, fields)


def test_two_computers_appending_at_once_lose_no_row(tmp_path):
    # One process grows the header (atomic rewrite) while the other appends:
    # without the lock, a rewrite would drop rows appended meanwhile.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(tmp_path, 0, False)),
             ctx.Process(target=_append_many, args=(tmp_path, 100, True))]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    table = pd.read_csv(tmp_path / "participants.tsv", sep="\t", keep_default_na=False)
    assert sorted(table.participant_id) == sorted(
        [f"sub-P{n:03d}" for n in list(range(30)) + list(range(100, 130))])
