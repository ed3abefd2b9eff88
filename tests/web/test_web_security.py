"""What a student's (or anyone's) request cannot do: write to another
student's run, send oversized or malformed bodies, name paths, reach the
teacher's pages without the token, or put HTML into a page."""

import json

import pytest

from web_helpers import (DEVICE, answer_all, client_for, files_under, join, make_store, planned,
                         send, served, start, trial_body)


@pytest.fixture
def server(tmp_path):
    with served(tmp_path / "data") as pair:
        yield pair


def test_a_student_cannot_write_to_another_students_run(server):
    store, client = server
    alice, bob = join(client)["student_token"], join(client)["student_token"]
    run = start(client, alice)
    before = files_under(store.data_dir)
    # Bob sends Alice's run id: his runs are his own table, so there is no such run.
    trials = planned(client, alice, run)
    reply = client.post("/api/trial", json=trial_body(bob, run, 1, trials=trials))
    assert reply.status_code == 404 and "no run 'stroop-1' for this student" in \
        reply.json()["error"]
    # Not joined at all: refused before anything is looked up.
    stranger = client.post("/api/trial", json=trial_body("f" * 32, run, 1, trials=trials))
    assert stranger.status_code == 403
    finish = client.post("/api/finish", json={"student_token": bob, "run_id": run["run_id"],
                                              "aborted": True})
    assert finish.status_code == 404
    assert files_under(store.data_dir) == before
    alice_csv = next(store.data_dir.glob("sub-*/*.csv")).read_text()
    assert alice_csv.count("\n") == 1  # the header only


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_64_kib_is_refused_with_413(server, chunked):
    store, client = server
    body = json.dumps({"student_token": "x" * (70 * 1024)}).encode()
    if chunked:  # no Content-Length: the server counts while reading
        reply = client.post("/api/join", content=iter([body[:40000], body[40000:]]))
    else:
        reply = client.post("/api/join", content=body)
    assert reply.status_code == 413 and "64 KiB" in reply.json()["error"]
    assert not (store.data_dir / ".classroom" / "students.tsv").exists()


@pytest.mark.parametrize("change, message", [
    ({"extra": 1}, "unknown field 'extra'"),
    ({"device": {**DEVICE, "gpu": "x"}}, "unknown field 'gpu'"),
    ({"device": {k: v for k, v in DEVICE.items() if k != "dpr"}}, "missing field 'dpr'"),
    ({"autopilot": "yes"}, "autopilot must be true or false"),
    ({"device": {**DEVICE, "screen_w": "1280"}}, "screen_w must be a number"),
    ({"device": {**DEVICE, "screen_w": 1280.5}}, "screen_w must be a whole number"),
    ({"device": {**DEVICE, "dpr": True}}, "dpr must be a number"),
    ({"device": {**DEVICE, "user_agent": "x" * 600}}, "longer than 512 characters"),
    ({"task": "x" * 300}, "task is longer than 40 characters"),
])
def test_unknown_fields_and_wrong_types_are_refused_with_400(server, change, message):
    store, client = server
    token = join(client)["student_token"]
    before = files_under(store.data_dir)
    body = {"student_token": token, "task": "stroop", "device": DEVICE, **change}
    reply = client.post("/api/start", json=body)
    assert reply.status_code == 400 and message in reply.json()["error"], reply.text
    assert files_under(store.data_dir) == before


@pytest.mark.parametrize("rt_text", ["NaN", "Infinity", "-Infinity", "1e999", '"600"',
                                     "true", "[600]"])
def test_a_number_must_be_a_finite_number(server, rt_text):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    body = json.dumps(trial_body(token, run, 1, trials=planned(client, token, run)))
    body = body.replace('"rt_ms": 600.0', f'"rt_ms": {rt_text}')
    assert rt_text in body
    reply = client.post("/api/trial", content=body,
                        headers={"content-type": "application/json"})
    assert reply.status_code == 400, reply.text
    assert "rt_ms" in reply.json()["error"] or "not a number" in reply.json()["error"]
    assert next(store.data_dir.glob("sub-*/*.csv")).read_text().count("\n") == 1


def test_details_only_take_the_tasks_keys_and_responses_only_the_trials(server):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    body = trial_body(token, run, 1, trials=planned(client, token, run))
    body["outcome"]["details"] = {"x": 1.0}
    reply = client.post("/api/trial", json=body)
    assert reply.status_code == 400 and "unknown field 'x'" in reply.json()["error"]
    wrong = send(client, token, run, 1, response="<script>")
    assert wrong.status_code == 400 and "not an answer of this trial" in wrong.json()["error"]
    for bad in ("not json", "[1, 2]", '{"student_token": "a", "student_token": "b"}'):
        reply = client.post("/api/heartbeat", content=bad)
        assert reply.status_code == 400, bad


@pytest.mark.parametrize("task", ["../../etc/passwd", "/tmp/x", "stroop/../../x", "..",
                                  "sub-S0001", "dichotic"])
def test_a_path_like_task_is_unknown_and_creates_nothing(server, task):
    store, client = server
    token = join(client)["student_token"]
    before = files_under(store.data_dir.parent)
    reply = client.post("/api/start", json={"student_token": token, "task": task,
                                            "device": DEVICE})
    assert reply.status_code == 404 and "no demo" in reply.json()["error"]
    assert files_under(store.data_dir.parent) == before


@pytest.mark.parametrize("run_id", ["../../x", "stroop-1/../../x", "/etc/passwd",
                                    "stroop-01", "stroop-2"])
def test_a_path_like_or_unknown_run_id_is_refused_and_creates_nothing(server, run_id):
    store, client = server
    token = join(client)["student_token"]
    run = start(client, token)
    before = files_under(store.data_dir.parent)
    body = trial_body(token, {**run, "run_id": run_id}, 1, trials=planned(client, token, run))
    reply = client.post("/api/trial", json=body)
    assert reply.status_code == 404
    assert files_under(store.data_dir.parent) == before


def test_static_files_stay_inside_the_static_folder(server):
    store, client = server
    for path in ("/static/../server.py", "/static/..%2fserver.py",
                 "/static/%2e%2e/%2e%2e/core/datafile.py"):
        reply = client.get(path)
        assert reply.status_code == 404, path
        assert "def create_app" not in reply.text and "fsync" not in reply.text


@pytest.mark.parametrize("method, path", [("GET", "/teacher"), ("GET", "/teacher/report"),
                                          ("GET", "/api/teacher/status"),
                                          ("POST", "/api/teacher/close")])
def test_teacher_pages_need_the_teacher_token(server, method, path):
    store, client = server
    for headers, query in (({}, ""), ({}, "?token=" + "0" * 32),
                           ({"X-Teacher-Token": store.teacher_token[:-1] + "x"}, ""),
                           ({}, "?token=")):
        reply = client.request(method, path + query, headers=headers)
        assert reply.status_code == 403, (path, headers, query)
        assert "teacher's token" in reply.json()["error"]
    assert store.closed is False
    assert not list(store.data_dir.glob("class_report*"))
    good = client.request(method, f"{path}?token={store.teacher_token}")
    assert good.status_code == 200


def test_the_teacher_token_is_kept_private_and_reused(tmp_path):
    store = make_store(tmp_path / "data")
    path = store.data_dir / ".classroom" / "teacher_token"
    token = store.teacher_token
    store.close()
    assert path.stat().st_mode & 0o777 == 0o600
    again = make_store(tmp_path / "data")
    assert again.teacher_token == token
    again.close()


def test_pages_escape_html_from_files_and_folders(tmp_path):
    """The teacher page and the class report print the data folder and file
    names: HTML in them is escaped (Jinja2 autoescape), never markup."""
    hostile = "<script>alert(1)</script>"
    store = make_store(tmp_path / hostile)
    with client_for(store) as client:
        token = join(client)["student_token"]
        run = start(client, token, device={**DEVICE, "user_agent": hostile})
        answer_all(client, token, run)
        client.post("/api/finish", json={"student_token": token, "run_id": run["run_id"],
                                         "aborted": False})
        page = client.get(f"/teacher?token={store.teacher_token}").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and hostile not in page
        client.app.state.report.current()
        client.app.state.report.wait_idle()
        report = client.get(f"/teacher/report?token={store.teacher_token}").text
        assert "The Stroop effect" in report
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report and hostile not in report
        closed = client.post(f"/api/teacher/close?token={store.teacher_token}").json()
        final = open(closed["report"], encoding="utf-8").read()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in final and hostile not in final
    store.close()


def test_every_response_forbids_scripts_from_elsewhere(server):
    store, client = server
    for reply in (client.get("/"), client.post("/api/join", json={"student_token": None}),
                  client.get(f"/teacher?token={store.teacher_token}")):
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert reply.headers["x-content-type-options"] == "nosniff"
    page = client.get("/").text
    assert '<script type="module" src="/static/app.js">' in page
    assert "http://" not in page and "https://" not in page  # nothing from the internet
