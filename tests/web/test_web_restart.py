"""A server stopped (or killed) mid-class and started again on the same data
folder: every acknowledged row is kept, students keep their labels, and a
run resumes at the first trial not on disk."""

import json

import pytest

from attentionlab.core.errors import UsageError
from web_helpers import answer_all, client_for, join, make_store, rows_of, send, start


def test_a_new_server_keeps_every_acknowledged_row_and_resumes(tmp_path):
    store = make_store(tmp_path / "data")
    with client_for(store) as client:
        me = join(client)
        token = me["student_token"]
        run = start(client, token, autopilot=True)
        for index in range(1, 6):
            assert send(client, token, run, index).status_code == 200
        other = join(client)["student_token"]
        done = start(client, other)
        answer_all(client, other, done)
        client.post("/api/finish", json={"student_token": other, "run_id": done["run_id"],
                                         "aborted": False})
    csv_path = next((store.data_dir / f"sub-{me['label']}").glob("*.csv"))
    acknowledged = csv_path.read_text()
    store.close()  # as after SIGTERM: the files closed, the run not ended

    again = make_store(tmp_path / "data")
    with client_for(again) as client:
        assert join(client, token)["label"] == me["label"]
        resumed = start(client, token)
        assert resumed["run_id"] == run["run_id"] and resumed["next_index"] == 6
        assert resumed["trials"] == run["trials"]
        assert resumed["autopilot"] == run["autopilot"]  # the same simulated student
        assert send(client, token, resumed, 5).json()["duplicate"] is True
        assert send(client, token, resumed, 7).status_code == 409
        answer_all(client, token, resumed, first=6)
        status = client.get(f"/api/teacher/status?token={again.teacher_token}").json()
        assert status["students"] == 2 and status["tasks"]["stroop"]["finished"] == 1
        # The finished student's next start is a new run, not the old one reopened.
        assert start(client, other)["run_id"] == "stroop-2"
    assert csv_path.read_text().startswith(acknowledged)
    rows = rows_of(csv_path)
    assert [int(r["trial_index"]) for r in rows] == list(range(1, 11))
    assert {r["simulated"] for r in rows} == {"1"}
    again.close()


def test_a_row_cut_short_by_a_crash_is_dropped_before_appending(tmp_path):
    store = make_store(tmp_path / "data")
    with client_for(store) as client:
        token = join(client)["student_token"]
        run = start(client, token)
        for index in (1, 2):
            send(client, token, run, index)
    store.close()
    csv_path = next(store.data_dir.glob("sub-*/*.csv"))
    good = csv_path.read_text()
    with open(csv_path, "a", encoding="utf-8") as fh:
        fh.write("S1,1,stroop,1,3,te")  # the start of trial 3, never acknowledged
    again = make_store(tmp_path / "data")
    with client_for(again) as client:
        assert start(client, token)["next_index"] == 3
        assert send(client, token, run, 3).status_code == 200
    again.close()
    text = csv_path.read_text()
    assert text.startswith(good) and "te\n" not in text.replace(good, "", 1)[:20]
    assert [r["trial_index"] for r in rows_of(csv_path)] == ["1", "2", "3"]


def test_a_second_server_on_the_same_folder_is_refused(tmp_path):
    store = make_store(tmp_path / "data")
    with pytest.raises(UsageError, match="another classroom server .* is using the data "
                                         "folder"):
        make_store(tmp_path / "data")
    store.close()
    make_store(tmp_path / "data").close()  # free again once the first has stopped


def test_lab_sessions_in_the_folder_are_left_alone(tmp_path):
    """Only this class's browser runs are reopened: a lab session's files
    (no ``platform: browser``) of a student label are never appended to."""
    from attentionlab.simulation.sessions import write_sessions

    data = tmp_path / "data"
    store = make_store(data)
    with client_for(store) as client:
        me = join(client)
    store.close()
    lab = write_sessions("stroop", 1, tmp_path / "lab", seed=3, trials=8)[0]
    label_folder = data / f"sub-{me['label']}"
    label_folder.mkdir()
    stem = f"sub-{me['label']}_ses-1_task-stroop_run-1_beh"
    before = {}
    for suffix in (".csv", ".json"):
        text = lab.with_suffix(suffix).read_text()
        (label_folder / f"{stem}{suffix}").write_text(text)
        before[suffix] = text
    again = make_store(data)
    with client_for(again) as client:
        # The lab session's run 1 is not this class's: a new run, number 2.
        assert start(client, me["student_token"])["run_id"] == "stroop-2"
    again.close()
    for suffix, text in before.items():
        assert (label_folder / f"{stem}{suffix}").read_text() == text


def test_a_run_that_cannot_be_rebuilt_is_left_alone_and_the_class_goes_on(tmp_path, capsys):
    store = make_store(tmp_path / "data")
    with client_for(store) as client:
        token = join(client)["student_token"]
        run = start(client, token)
        send(client, token, run, 1)
    store.close()
    sidecar_path = next(store.data_dir.glob("sub-*/*.json"))
    sidecar = json.loads(sidecar_path.read_text())
    sidecar["params"]["no_such_parameter"] = 1  # as if written by another version
    sidecar_path.write_text(json.dumps(sidecar))
    csv_text = sidecar_path.with_suffix(".csv").read_text()
    again = make_store(tmp_path / "data")
    assert "cannot be resumed" in capsys.readouterr().err
    with client_for(again) as client:
        assert start(client, token)["run_id"] == "stroop-2"
    again.close()
    assert sidecar_path.with_suffix(".csv").read_text() == csv_text


@pytest.mark.parametrize("left", ["header", "nothing"])
def test_a_start_cut_between_csv_and_sidecar_is_taken_by_the_next_start(tmp_path, left):
    """A kill after the CSV's creation and before its sidecar leaves a run file
    without a sidecar or rows (found by tests/web_browser's kill test): the
    student's next start takes that run number, so no empty run stays behind."""
    store = make_store(tmp_path / "data")
    with client_for(store) as client:
        me = join(client)
        run = start(client, me["student_token"])
    store.close()
    folder = store.data_dir / f"sub-{me['label']}"
    csv_path = next(folder.glob("*_run-1_beh.csv"))
    header = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    csv_path.with_suffix(".json").unlink()
    csv_path.write_text(header if left == "header" else "", encoding="utf-8")

    again = make_store(tmp_path / "data")
    with client_for(again) as client:
        resumed = start(client, me["student_token"])
        assert resumed["run_id"] == run["run_id"] == "stroop-1"
        assert resumed["next_index"] == 1
        answer_all(client, me["student_token"], resumed)
    again.close()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [csv_path.name, csv_path.with_suffix(".json").name])
    text = csv_path.read_text(encoding="utf-8")
    assert text.startswith(header) and text.count(header) == 1
    assert len(rows_of(csv_path)) == len(resumed["trials"])
    assert json.loads(csv_path.with_suffix(".json").read_text())["run"] == 1


def test_a_run_file_with_rows_but_no_sidecar_is_never_reused(tmp_path):
    store = make_store(tmp_path / "data")
    with client_for(store) as client:
        me = join(client)
        run = start(client, me["student_token"])
        assert send(client, me["student_token"], run, 1).status_code == 200
    store.close()
    folder = store.data_dir / f"sub-{me['label']}"
    csv_path = next(folder.glob("*_run-1_beh.csv"))
    csv_path.with_suffix(".json").unlink()
    kept = csv_path.read_bytes()
    again = make_store(tmp_path / "data")
    with client_for(again) as client:
        assert start(client, me["student_token"])["run_id"] == "stroop-2"
    again.close()
    assert csv_path.read_bytes() == kept
