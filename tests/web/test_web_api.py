"""The classroom server's student API without a browser (Starlette TestClient):
join and resume by token, a whole run, retried and out-of-order trials, the
sidecar and rows on disk, the autopilot's plan, once-only demos, the result."""

import json
import re

import pytest

from attentionlab.core.columns import column_names
from attentionlab.stimuli.registry import get_task
from web_helpers import (DEVICE, answer_all, client_for, join, make_store, once_stroop, planned,
                         rows_of, send, served, start, trial_body)


@pytest.fixture
def server(tmp_path):
    with served(tmp_path / "data") as pair:
        yield pair


def test_join_gives_a_label_and_the_same_token_keeps_it(server):
    store, client = server
    first = join(client)
    assert re.fullmatch(r"S\d{4}", first["label"])
    assert re.fullmatch(r"[0-9a-f]{32}", first["student_token"])
    assert [m["task"] for m in first["menu"]] == ["stroop"]
    assert first["menu"][0]["status"] == "new" and first["menu"][0]["once"] is False
    again = join(client, first["student_token"])
    assert (again["label"], again["student_token"]) == (first["label"], first["student_token"])
    stranger = join(client, "0" * 32)  # a token this class never gave: a new student
    assert stranger["label"] != first["label"]
    assert stranger["student_token"] != "0" * 32
    # The token itself is never written: only its hash, beside the label.
    saved = (store.data_dir / ".classroom" / "students.tsv").read_text()
    assert first["student_token"] not in saved and first["label"] in saved


def test_a_whole_run_is_written_as_a_lab_session_and_gives_the_desktop_result(server):
    store, client = server
    me = join(client)
    token = me["student_token"]
    run = start(client, token)
    assert run["run_id"] == "stroop-1" and run["next_index"] == 1 and run["input"] == "keys"
    assert run["n_trials"] == 10 and len(run["trials"]) == 10
    assert [t["phase"] for t in run["trials"]] == ["practice"] * 2 + ["test"] * 8
    assert run["autopilot"] is None and run["texts"]["instructions"]
    answer_all(client, token, run)
    assert join(client, token)["menu"][0]["status"] == "in_progress"
    reply = client.post("/api/finish", json={"student_token": token, "run_id": "stroop-1",
                                             "aborted": False})
    assert reply.status_code == 200, reply.text
    result = reply.json()["result"]
    assert result["title"] == "The Stroop effect"
    assert result["source"] == "von Bastian, Souza & Gade (2016)"
    assert result["value_text"].endswith(" ms") and result["sentence"]
    assert result["verdict"] == "You showed the effect."  # incongruent answered 80 ms slower
    assert join(client, token)["menu"][0]["status"] == "done"

    folder = store.data_dir / f"sub-{me['label']}"
    stem = f"sub-{me['label']}_ses-1_task-stroop_run-1_beh"
    rows = rows_of(folder / f"{stem}.csv")
    with open(folder / f"{stem}.csv", encoding="utf-8") as fh:
        assert fh.readline().strip().split(",") == column_names(get_task("stroop").COLUMNS)
    assert [int(r["trial_index"]) for r in rows] == list(range(1, 11))
    assert {r["participant"] for r in rows} == {me["label"]}
    assert {r["simulated"] for r in rows} == {"0"} and {r["correct"] for r in rows} == {"1"}
    sidecar = json.loads((folder / f"{stem}.json").read_text())
    assert sidecar["platform"] == "browser" and sidecar["browser"] == DEVICE["user_agent"]
    assert sidecar["screen"]["w"] == 1280 and sidecar["frame_rate_hz"] == 60.0
    assert sidecar["response_device"] == "keys"
    assert sidecar["timing"]["clock"] == "performance.now"
    assert sidecar["completed"] is True and sidecar["trials_done"] == 8
    assert sidecar["end_time"] and sidecar["simulated"] is False


def test_a_retried_trial_is_acknowledged_and_written_once(server):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    assert send(client, token, run, 1).json() == {"ok": True, "duplicate": False}
    assert send(client, token, run, 1).json() == {"ok": True, "duplicate": True}
    assert send(client, token, run, 2).json() == {"ok": True, "duplicate": False}
    assert send(client, token, run, 1, rt_ms=999.0).json()["duplicate"] is True
    rows = rows_of(next(store.data_dir.glob("sub-*/*.csv")))
    assert [r["trial_index"] for r in rows] == ["1", "2"]
    assert rows[0]["rt_ms"] == "600.0"  # the first send's, never replaced


def test_a_trial_out_of_order_is_refused_with_the_expected_index(server):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    reply = send(client, token, run, 3)
    assert reply.status_code == 409
    assert reply.json()["expected"] == 1 and "trial 1 must come first" in reply.json()["error"]
    assert rows_of(next(store.data_dir.glob("sub-*/*.csv"))) == []
    past = send(client, token, run, 1)
    assert past.status_code == 200


def test_finishing_early_needs_every_trial_unless_stopped(server):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    send(client, token, run, 1)
    early = client.post("/api/finish", json={"student_token": token, "run_id": run["run_id"],
                                             "aborted": False})
    assert early.status_code == 409 and early.json()["expected"] == 2
    stopped = client.post("/api/finish", json={"student_token": token,
                                               "run_id": run["run_id"], "aborted": True})
    assert stopped.status_code == 200 and stopped.json()["result"] is None
    assert "stopped before the end" in stopped.json()["message"]
    sidecar = json.loads(next(store.data_dir.glob("sub-*/*.json")).read_text())
    assert sidecar["completed"] is False and sidecar["abort_reason"] == "stopped in the browser"
    # A stopped run is over: the next start is a new run (run 2).
    assert start(client, token)["run_id"] == "stroop-2"
    assert send(client, token, run, 2).status_code == 409  # nothing more into the old one


def test_a_reload_resumes_the_same_run_at_the_first_trial_not_received(server):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    for index in (1, 2, 3):
        send(client, token, run, index)
    again = start(client, token, device={**DEVICE, "input": "touch", "touch": True})
    assert again["run_id"] == run["run_id"] and again["next_index"] == 4
    assert again["trials"] == run["trials"]  # the same plan
    assert again["input"] == "keys"  # another device goes on with the run's own input


def test_autopilot_plans_every_trial_with_the_simulated_participant(server):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token, autopilot=True)
    plan = run["autopilot"]
    assert [p["index"] for p in plan] == list(range(1, 11))
    keys = set(store.params["stroop"].keys)
    assert all(p["response"] in keys | {""} for p in plan)
    assert all(p["rt_ms"] is None or p["rt_ms"] >= 150 for p in plan)
    send(client, token, run, 1, response=plan[0]["response"] or None)
    row = rows_of(next(store.data_dir.glob("sub-*/*.csv")))[0]
    assert row["simulated"] == "1"
    sidecar = json.loads(next(store.data_dir.glob("sub-*/*.json")).read_text())
    assert sidecar["simulated"] is True and "participant" in sidecar["autopilot"]
    assert start(client, token)["autopilot"] == plan  # resumed: the same plan


def test_a_once_only_demo_cannot_be_done_twice(tmp_path):
    store = make_store(tmp_path / "data", tasks=(), modules={"stroop": once_stroop()})
    with client_for(store) as client:
        me = join(client)
        token = me["student_token"]
        assert me["menu"][0]["once"] is True
        run = start(client, token)
        answer_all(client, token, run)
        client.post("/api/finish", json={"student_token": token, "run_id": run["run_id"],
                                         "aborted": False})
        again = client.post("/api/start", json={"student_token": token, "task": "stroop",
                                                "device": DEVICE})
        assert again.status_code == 409 and "only once" in again.json()["error"]
    store.close()


def test_heartbeats_count_as_connected_for_30_seconds(tmp_path):
    now = [1000.0]
    store = make_store(tmp_path / "data", clock=lambda: now[0])
    with client_for(store) as client:
        a, b = join(client)["student_token"], join(client)["student_token"]
        now[0] += 25
        assert client.post("/api/heartbeat", json={"student_token": a}).json() == {"ok": True}
        now[0] += 10
        status = client.get("/api/teacher/status",
                            headers={"X-Teacher-Token": store.teacher_token}).json()
        assert status["students"] == 2 and status["connected"] == 1
        start(client, b)
        status = client.get(f"/api/teacher/status?token={store.teacher_token}").json()
        assert status["tasks"]["stroop"] == {"started": 1, "finished": 0}
        assert status["connected"] == 2 and status["closed"] is False
    store.close()


def test_a_student_touch_device_is_refused_for_a_keys_only_input(tmp_path):
    store = make_store(tmp_path / "data")
    with client_for(store) as client:
        token = join(client)["student_token"]
        reply = client.post("/api/start", json={"student_token": token, "task": "stroop",
                                                "device": {**DEVICE, "input": "mouse"}})
        assert reply.status_code == 400 and "input must be one of keys, touch" in \
            reply.json()["error"]
    store.close()


def test_the_same_trial_sent_from_many_threads_at_once_is_written_once(server):
    """Retries racing each other (a slow network, two tabs): one row per trial."""
    from concurrent.futures import ThreadPoolExecutor

    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    trials = planned(client, token, run)

    def send_direct(index):
        body = trial_body(token, run, index, trials=trials)
        try:
            return store.record_trial(token, run["run_id"], index, body["outcome"], 0)
        except Exception as exc:  # noqa: BLE001 -- an out-of-order 409 is expected here
            return type(exc).__name__

    with ThreadPoolExecutor(8) as pool:
        first = list(pool.map(send_direct, [1] * 16))
        both = list(pool.map(send_direct, [2, 3, 2, 3, 2, 3, 2, 3]))
    assert first.count(False) == 1 and first.count(True) == 15
    assert both.count(False) <= 2
    rows = rows_of(next(store.data_dir.glob("sub-*/*.csv")))
    indexes = [int(r["trial_index"]) for r in rows]
    assert indexes == sorted(set(indexes)) and indexes[:2] == [1, 2]


def test_a_bug_in_a_task_module_is_a_500_sentence_and_the_class_goes_on(server):
    store, client = server
    token = join(client)["student_token"]
    broken = once_stroop()

    def texts(params, input):
        raise RuntimeError("a bug")

    broken.texts = texts
    real, store.tasks["stroop"] = store.tasks["stroop"], broken
    reply = client.post("/api/start", json={"student_token": token, "task": "stroop",
                                            "device": DEVICE})
    assert reply.status_code == 500 and "the server failed" in reply.json()["error"]
    store.tasks["stroop"] = real
    assert start(client, token)["run_id"] == "stroop-1"  # the run made before the bug
