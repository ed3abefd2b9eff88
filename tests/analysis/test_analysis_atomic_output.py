"""``analyze`` writes its outputs all or nothing (issue 13, item 1): a failure
part-way (here a figure or the report made to raise) leaves --out as it was
and no temporary folder behind; with --force only our files are replaced."""

import pytest

from attentionlab.analysis import report
from attentionlab.core import figures
from attentionlab.analysis.output_folder import staged
from attentionlab.simulation.sessions import write_sessions
from attentionlab.experiments.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atomic") / "data"
    write_sessions("stroop", 3, folder, seed=2, trials=48)
    return folder


def snapshot(folder):
    """Every file under ``folder`` with its bytes (hidden ones included)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fail(*args, **kwargs):
    raise RuntimeError("made to fail by the test")


@pytest.mark.parametrize("step", ["figure", "report"])
def test_a_failure_part_way_leaves_no_new_output_folder(data, tmp_path, monkeypatch, step):
    monkeypatch.setattr(*((figures, "save", fail) if step == "figure"
                          else (report, "render", fail)))
    out = tmp_path / "new" / "results"  # neither folder exists yet
    with pytest.raises(RuntimeError, match="made to fail"):
        main(["analyze", str(data), "--out", str(out)])
    assert not (tmp_path / "new").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("step", ["figure", "report"])
def test_a_failure_with_force_leaves_the_earlier_results_untouched(data, tmp_path,
                                                                    monkeypatch, step):
    out = tmp_path / "results"
    assert main(["analyze", str(data), "--out", str(out)]) == 0
    (out / "my notes.txt").write_text("mine\n")
    before = snapshot(out)
    monkeypatch.setattr(*((figures, "save", fail) if step == "figure"
                          else (report, "render", fail)))
    with pytest.raises(RuntimeError, match="made to fail"):
        main(["analyze", str(data), "--out", str(out), "--force", "--seed", "3"])
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_an_empty_out_folder_is_used(data, tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    assert main(["analyze", str(data), "--out", str(out)]) == 0
    assert (out / "report.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_force_replaces_our_files_and_keeps_the_users(data, tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "my notes.txt").write_text("mine\n")
    (out / "group.csv").write_text("an older group.csv\n")
    (out / "old_figure.png").write_bytes(b"not ours to delete")
    assert main(["analyze", str(data), "--out", str(out), "--force"]) == 0
    assert (out / "my notes.txt").read_text() == "mine\n"
    assert (out / "old_figure.png").read_bytes() == b"not ours to delete"
    assert (out / "group.csv").read_text().startswith("test,measure")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_staged_moves_back_what_it_replaced_when_a_move_fails(tmp_path, monkeypatch):
    """The last step, replacing files in a folder that holds others, is undone
    whole when one move fails (e.g. a file of ours became a folder)."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "a.csv").write_text("old a\n")
    (out / "b.csv").mkdir()  # the second move will fail: a folder is in the way
    (out / "b.csv" / "user file").write_text("kept\n")
    before = snapshot(out)
    with pytest.raises(OSError):
        with staged(out) as folder:
            (folder / "a.csv").write_text("new a\n")
            (folder / "b.csv").write_text("new b\n")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_a_new_out_folder_has_the_permissions_of_any_new_folder(data, tmp_path):
    """The temporary folder (private when made) becomes --out: it must not
    stay readable by its owner only."""
    (tmp_path / "plain").mkdir()
    assert main(["analyze", str(data), "--out", str(tmp_path / "results")]) == 0
    mode = (tmp_path / "results").stat().st_mode & 0o777
    assert mode == (tmp_path / "plain").stat().st_mode & 0o777
