"""The teacher's side: the page (QR code, address, counts), the live report,
closing the class (final report, students refused afterwards), and the
folder the server wrote read by ``analyze`` and ``class-report``."""

import re

import pytest

from attentionlab.experiments.cli import main
from web_helpers import DEVICE, answer_all, join, send, served, start


def finished_student(client):
    token = join(client)["student_token"]
    run = start(client, token)
    answer_all(client, token, run)
    reply = client.post("/api/finish", json={"student_token": token, "run_id": run["run_id"],
                                             "aborted": False})
    assert reply.status_code == 200
    return token


@pytest.fixture
def server(tmp_path):
    with served(tmp_path / "data", "http://192.168.1.20:8000/") as pair:
        yield pair


def test_the_teacher_page_shows_the_address_qr_code_and_counts(server):
    store, client = server
    finished_student(client)
    join(client)
    page = client.get(f"/teacher?token={store.teacher_token}")
    assert page.status_code == 200
    html = page.text
    assert "192.168.1.20:8000" in html and "<svg" in html  # the QR code, inline
    assert re.search(r'id="students">2<', html)
    assert re.search(r'data-task="stroop">.*?class="started">1<.*?class="finished">1<', html,
                     re.S)
    assert "/static/teacher.js" in html and "<script>" not in html
    assert client.get("/static/teacher.js").status_code == 200


def test_the_qr_code_encodes_the_student_address():
    from attentionlab.web.teacher import qr_svg

    one, other = qr_svg("http://10.0.0.5:8000/"), qr_svg("http://10.0.0.6:8000/")
    assert one.startswith("<svg") and one != other


def test_the_live_report_waits_then_shows_the_class(server):
    store, client = server
    url = f"/teacher/report?token={store.teacher_token}"
    assert "The report appears when" in client.get(url).text
    finished_student(client)
    client.get(url)  # rows arrived: a build starts in a worker thread
    client.app.state.report.wait_idle()
    html = client.get(url).text
    assert "The Stroop effect" in html and "1 student" in html


def test_closing_writes_the_final_report_and_refuses_students(server):
    store, client = server
    token = finished_student(client)
    waiting = join(client)["student_token"]
    run = start(client, waiting)
    closed = client.post("/api/teacher/close", headers={"X-Teacher-Token":
                                                       store.teacher_token})
    assert closed.status_code == 200
    report = store.data_dir / "class_report" / "class_report.html"
    assert closed.json()["report"] == str(report) and report.exists()
    assert (report.parent / "class_summary.csv").exists()
    refused = client.post("/api/start", json={"student_token": token, "task": "stroop",
                                              "device": DEVICE})
    assert refused.status_code == 409 and refused.json()["error"] == "the class is closed"
    assert send(client, waiting, run, 1).status_code == 409
    status = client.get(f"/api/teacher/status?token={store.teacher_token}").json()
    assert status["closed"] is True
    # Closing again never overwrites the first report.
    first = report.read_bytes()
    again = client.post(f"/api/teacher/close?token={store.teacher_token}").json()
    assert again["report"].endswith("class_report-2/class_report.html")
    assert report.read_bytes() == first


def test_closing_an_empty_class_says_so_and_leaves_no_folder(server):
    store, client = server
    join(client)
    reply = client.post(f"/api/teacher/close?token={store.teacher_token}").json()
    assert reply["report"] is None and "no class results" in reply["message"]
    assert not list(store.data_dir.glob("class_report*"))


def test_analyze_class_report_and_bids_read_the_folder_the_server_wrote(server, tmp_path,
                                                                        capsys):
    store, client = server
    for _ in range(3):
        finished_student(client)
    client.post(f"/api/teacher/close?token={store.teacher_token}")
    assert (store.data_dir / ".classroom").is_dir()
    assert (store.data_dir / "class_report" / "class_summary.csv").exists()
    capsys.readouterr()
    assert main(["class-report", str(store.data_dir), "--out", str(tmp_path / "cr")]) == 0
    out = capsys.readouterr()
    summary = (tmp_path / "cr" / "class_summary.csv").read_text()
    assert "\nstroop," in summary and ",3," in summary
    assert "class_summary" not in out.err and ".classroom" not in out.err
    assert main(["analyze", str(store.data_dir), "--task", "stroop", "--out",
                 str(tmp_path / "an")]) == 0
    out = capsys.readouterr()
    participants = (tmp_path / "an" / "participants.csv").read_text()
    assert participants.count("\n") == 4  # header + 3 students
    report = (tmp_path / "an" / "report.html").read_text()
    assert "class_summary" not in report and ".classroom" not in report
    assert main(["export", "bids", str(store.data_dir), str(tmp_path / "bids")]) == 0
    exported = sorted(p.name for p in (tmp_path / "bids").rglob("*_beh.tsv"))
    assert len(exported) == 3 and all("task-stroop" in name for name in exported)
    sidecar = next((tmp_path / "bids").rglob("*_beh.json")).read_text()
    assert '"platform": "browser"' in sidecar
