import csv
import json
import os

import numpy as np
import pytest

from attentionlab.core import datafile
from attentionlab.core.errors import UsageError

HEADER = ["participant", "rt_ms", "word"]


def test_rows_are_on_disk_after_each_append(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(datafile.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    f = datafile.SessionFiles.create(tmp_path, "P1", "1", "stroop", HEADER)
    f.append_row({"participant": "P1", "rt_ms": 512.3456789, "word": "GRÜN"})
    # Read with a separate handle while the writer is still open: the row is there.
    rows = list(csv.DictReader(open(f.csv_path, encoding="utf-8")))
    assert rows == [{"participant": "P1", "rt_ms": "512.3457", "word": "GRÜN"}]
    assert len(synced) == 2  # header and row each forced to disk
    f.append_rows([{"rt_ms": np.float64(3.25), "word": None}, {"participant": np.int64(7)}])
    rows = list(csv.DictReader(open(f.csv_path, encoding="utf-8")))
    assert rows[1:] == [{"participant": "", "rt_ms": "3.25", "word": ""},
                        {"participant": "7", "rt_ms": "", "word": ""}]
    assert len(synced) == 3
    f.close()


def test_next_run_never_touches_an_existing_file(tmp_path):
    first = datafile.SessionFiles.create(tmp_path, "P1", "1", "stroop", HEADER)
    first.append_row({"participant": "P1"})
    first.close()
    before = first.csv_path.read_bytes()
    second = datafile.SessionFiles.create(tmp_path, "P1", "1", "stroop", HEADER)
    second.close()
    assert (first.run, second.run) == (1, 2)
    assert second.csv_path.name == "sub-P1_ses-1_task-stroop_run-2_beh.csv"
    assert first.csv_path.read_bytes() == before


def test_a_sidecar_alone_also_reserves_its_run(tmp_path):
    folder = tmp_path / "sub-P1"
    folder.mkdir()
    (folder / "sub-P1_ses-1_task-stroop_run-1_beh.json").write_text("{}")
    f = datafile.SessionFiles.create(tmp_path, "P1", "1", "stroop", HEADER)
    f.close()
    assert f.run == 2


def test_undeclared_columns_are_refused(tmp_path):
    f = datafile.SessionFiles.create(tmp_path, "P1", "1", "stroop", HEADER)
    with pytest.raises(KeyError, match="not declared"):
        f.append_row({"participant": "P1", "typo_column": 3})
    f.close()


def test_sidecar_is_replaced_atomically_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "x.json"
    datafile.write_sidecar(path, {"completed": False})
    datafile.write_sidecar(path, {"completed": True, "label": "ü"})
    assert json.loads(path.read_text(encoding="utf-8")) == {"completed": True, "label": "ü"}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_preflight_refuses_a_file_where_the_folder_should_be(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(UsageError, match=r"--data-dir '.*a_file' is a file, not a folder"):
        datafile.preflight(blocker)
    with pytest.raises(UsageError, match=r"a_file/data' is inside '.*a_file', which is a file"):
        datafile.preflight(blocker / "data")
    with pytest.raises(UsageError, match="^--out .* choose a folder with --out$"):
        datafile.preflight(blocker, option="--out")
    assert [p.name for p in tmp_path.iterdir()] == ["a_file"] and blocker.read_text() == ""


def test_preflight_refuses_a_full_disk(tmp_path, monkeypatch):
    class Usage:
        free = 10 * 1024 * 1024
    monkeypatch.setattr(datafile.shutil, "disk_usage", lambda p: Usage)
    with pytest.raises(UsageError, match="MiB free"):
        datafile.preflight(tmp_path)


def test_labels_are_checked_before_any_folder_is_made(tmp_path):
    with pytest.raises(UsageError):
        datafile.SessionFiles.create(tmp_path, "../x", "1", "stroop", HEADER)
    assert list(tmp_path.iterdir()) == []
