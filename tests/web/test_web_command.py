"""``attentionlab classroom serve`` as a teacher runs it: the two printed
lines, the pages behind them, SIGTERM ending the class (exit 0), kill -9
and a restart losing nothing acknowledged, and every mistake as one line
with exit status 2 and nothing created. Servers bind 127.0.0.1 only."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from attentionlab.stimuli.stroop import make_plan
from attentionlab.web.tasks import demo_params
from web_helpers import DEVICE

STARTUP_S = 60


def start_server(data_dir, *extra):
    """``classroom serve`` on a free loopback port; returns the process and
    the two URLs it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "attentionlab.experiments.cli", "classroom", "serve",
         "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", "0",
         "--set", "stroop.trials=8", "--set", "stroop.practice_trials=0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [process.stdout.readline() for _ in range(2)]
    assert lines[0].startswith("Student page: http://127.0.0.1:"), \
        (lines, process.stderr.read() if process.poll() is not None else "")
    assert lines[1].startswith("Teacher page: http://127.0.0.1:")
    student = lines[0].split(": ", 1)[1].strip()
    teacher = lines[1].split(": ", 1)[1].strip()
    return process, student, teacher


def request(url, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=STARTUP_S) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def stop(process, sig=signal.SIGTERM):
    process.send_signal(sig)
    out, err = process.communicate(timeout=STARTUP_S)
    return process.returncode, out, err


def test_serve_prints_two_lines_serves_both_pages_and_ends_on_sigterm(tmp_path):
    process, student, teacher = start_server(tmp_path / "data")
    try:
        assert student.endswith("/") and teacher.startswith(student + "teacher?token=")
        status, page = request(student)
        assert status == 200 and "/static/app.js" in page
        status, page = request(teacher)
        assert status == 200 and "<svg" in page and student.split("//")[1].rstrip("/") in page
        status, _ = request(teacher.split("?")[0])
        assert status == 403
    finally:
        code, out, err = stop(process)
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith("Class server stopped")
    assert "Traceback" not in err


def test_a_killed_server_restarted_loses_nothing_acknowledged(tmp_path):
    data = tmp_path / "data"
    process, student, _ = start_server(data)
    try:
        _, body = request(student + "api/join", {"student_token": None})
        token = json.loads(body)["student_token"]
        _, body = request(student + "api/start", {"student_token": token, "task": "stroop",
                                                  "device": DEVICE})
        run = json.loads(body)
        # The correct keys, planned as the server planned them (its sidecar's seed).
        sidecar = json.loads(next(data.glob("sub-*/*.json")).read_text())
        params = demo_params("stroop", ["trials=8", "practice_trials=0"])
        plan = make_plan(params, sidecar["participant"], sidecar["seed"])["test"]
        for index in range(1, 5):
            status, _ = request(student + "api/trial", {
                "student_token": token, "run_id": run["run_id"], "trial_index": index,
                "outcome": {"onset_s": float(index), "response": plan[index - 1].correct_key,
                            "rt_ms": 650.0, "details": {}}, "dropped_frames": 0})
            assert status == 200
    finally:
        process.kill()  # SIGKILL: no clean shutdown at all
        process.communicate(timeout=STARTUP_S)
    csv_path = next(data.glob("sub-*/*.csv"))
    assert csv_path.read_text().count("\n") == 5  # header + the 4 acknowledged rows
    process, student, _ = start_server(data)  # the dead server's lock went with it
    try:
        _, body = request(student + "api/start", {"student_token": token, "task": "stroop",
                                                  "device": DEVICE})
        resumed = json.loads(body)
        assert resumed["run_id"] == run["run_id"] and resumed["next_index"] == 5
    finally:
        assert stop(process)[0] == 0


def children_of(pid):
    """PIDs of the processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_killed_server_leaves_no_analysis_workers_behind(tmp_path):
    """A student's result is computed in worker processes; kill -9 of the
    server (no shutdown at all) must not leave them running."""
    data = tmp_path / "data"
    process, student, _ = start_server(data)
    try:
        _, body = request(student + "api/join", {"student_token": None})
        token = json.loads(body)["student_token"]
        _, body = request(student + "api/start", {"student_token": token, "task": "stroop",
                                                  "device": DEVICE, "autopilot": True})
        run = json.loads(body)
        for step in run["autopilot"]:
            status, _ = request(student + "api/trial", {
                "student_token": token, "run_id": run["run_id"], "trial_index": step["index"],
                "outcome": {"onset_s": float(step["index"]), "response": step["response"],
                            "rt_ms": step["rt_ms"], "details": {}}, "dropped_frames": 0})
            assert status == 200
        status, body = request(student + "api/finish", {"student_token": token,
                                                         "run_id": run["run_id"],
                                                         "aborted": False})
        assert status == 200 and json.loads(body)["result"]["title"] == "The Stroop effect"
        workers = children_of(process.pid)
        assert workers  # the analysis ran in a worker process
    finally:
        process.kill()
        process.communicate(timeout=STARTUP_S)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"worker processes left running after the server was killed: {left}"


def test_a_second_server_on_the_same_folder_is_one_line_exit_2(tmp_path):
    process, _, _ = start_server(tmp_path / "data")
    try:
        second = subprocess.run(
            [sys.executable, "-m", "attentionlab.experiments.cli", "classroom", "serve",
             "--data-dir", str(tmp_path / "data"), "--host", "127.0.0.1", "--port", "0"],
            capture_output=True, text=True, timeout=STARTUP_S)
        assert second.returncode == 2
        assert second.stderr.count("\n") == 1
        assert f"another classroom server (PID {process.pid})" in second.stderr
        assert second.stdout == ""
    finally:
        assert stop(process)[0] == 0


@pytest.fixture
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


@pytest.mark.parametrize("args, message", [
    (["--tasks", "strop"], "unknown task 'strop' (did you mean 'stroop'?)"),
    (["--tasks", "dichotic"], "task 'dichotic' has no browser version"),
    (["--tasks", ","], "names no task"),
    (["--host", "my-laptop"], "--host 'my-laptop' is not an IP address"),
    (["--port", "70000"], "--port must be between 0 and 65535"),
    (["--port", "eighty"], "invalid int value"),
    (["--set", "stroop.trals=8"], "unknown parameter 'trals' (did you mean 'trials'?)"),
    (["--set", "trials=8"], "write TASK.NAME=VALUE"),
    (["--tasks", "stroop", "--set", "search.trials=8"], "'search' is not one of the demos"),
    (["--set", "stroop.response=voice"], "only available in the lab"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["BUSY"], "port {port} is in use on 127.0.0.1"),
])
def test_a_mistake_is_one_line_exit_2_and_creates_nothing(tmp_path, busy_port, args,
                                                           message):
    if args == ["BUSY"]:
        args = ["--port", str(busy_port)]
    result = subprocess.run(
        [sys.executable, "-m", "attentionlab.experiments.cli", "classroom", "serve",
         "--data-dir", str(tmp_path / "data"), "--host", "127.0.0.1", *args],
        capture_output=True, text=True, timeout=STARTUP_S)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") <= 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert message.format(port=busy_port) in last, last
    assert not (tmp_path / "data").exists()


def test_without_the_web_extra_serve_says_how_to_install_it(tmp_path):
    """The web extra is optional: without starlette the command says so in one
    line (and the rest of the command line still works)."""
    code = ("import sys, importlib.abc\n"
            "class Block(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('starlette', 'uvicorn', 'segno'):\n"
            "            raise ModuleNotFoundError(name, name=name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "from attentionlab.experiments.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ}
    result = subprocess.run([sys.executable, "-c", code, "classroom", "serve", "--data-dir",
                             str(tmp_path / "data"), "--host", "127.0.0.1"],
                            capture_output=True, text=True, env=env, timeout=STARTUP_S)
    assert result.returncode == 2
    assert "pip install 'attentionlab[web]'" in result.stderr
    assert not (tmp_path / "data").exists()
