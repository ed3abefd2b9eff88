"""`attentionlab export bids` carries the participant details (participants.tsv
and its column dictionary) into the BIDS folder."""

import json
import shutil

import pytest
from cli_runner import run_cli

from attentionlab.core.participant_details import append_details, parse_fields

FIELDS = parse_fields([
    {"name": "age", "type": "int", "min": 18, "max": 99, "units": "year"},
    {"name": "handedness", "type": "choice", "choices": ["left", "right", "both"]},
    {"name": "notes", "type": "text", "required": False},
])


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    data = tmp_path_factory.mktemp("simulated") / "data"
    result = run_cli(["simulate", "stroop", "--participants", "3", "--out", str(data),
                      "--trials", "12", "--seed", "4"])
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(simulated, tmp_path):
    """A fresh copy of three simulated sessions."""
    return shutil.copytree(simulated, tmp_path / "data")


def test_export_bids_merges_the_details_of_the_participants_exported(data, tmp_path):
    append_details(data, "sim002", {"age": 31, "handedness": "right",
                                    "notes": "tab\there"}, FIELDS)
    append_details(data, "sim001", {"age": 25, "handedness": "left"}, FIELDS)
    append_details(data, "nosession", {"age": 40, "handedness": "both"}, FIELDS)
    out = tmp_path / "bids"
    result = run_cli(["export", "bids", str(data), str(out)])
    assert result.returncode == 0, result.stderr
    assert (out / "participants.tsv").read_text().split("\n") == [
        "participant_id\tage\thandedness\tnotes",
        "sub-sim001\t25\tleft\tn/a",
        "sub-sim002\t31\tright\ttab\\there",
        "sub-sim003\tn/a\tn/a\tn/a",  # simulated, never saw the form
        ""]
    columns = json.loads((out / "participants.json").read_text())
    assert columns == json.loads((data / "participants.json").read_text())
    assert columns["age"]["Units"] == "year" and "Levels" in columns["handedness"]
    # Someone with details but no session file is not in the BIDS folder; said so.
    assert "details of sub-nosession not exported" in result.stderr
    assert not (out / ".participants.lock").exists()


def test_export_bids_without_details_lists_the_labels_only(data, tmp_path):
    out = tmp_path / "bids"
    assert run_cli(["export", "bids", str(data), str(out)]).returncode == 0
    assert (out / "participants.tsv").read_text().split() == [
        "participant_id", "sub-sim001", "sub-sim002", "sub-sim003"]
    assert not (out / "participants.json").exists()


def test_a_broken_details_table_is_reported_and_the_labels_still_exported(data, tmp_path):
    (data / "participants.tsv").write_text("name\tage\nAnna\t30\n")
    out = tmp_path / "bids"
    result = run_cli(["export", "bids", str(data), str(out)])
    assert result.returncode == 0
    assert "is not a participants table" in result.stderr
    assert (out / "participants.tsv").read_text().split()[0] == "participant_id"
    assert (data / "participants.tsv").read_text() == "name\tage\nAnna\t30\n"
