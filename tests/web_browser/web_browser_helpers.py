"""Helpers for the tests in a real browser and the browser benchmarks: start
``attentionlab classroom serve`` on 127.0.0.1 in a subprocess, launch Debian's
headless Chromium through Playwright, read what the server wrote.

Only loopback addresses are used: the server binds 127.0.0.1 and the browser
loads only its pages.

>>> server = ClassServer("/tmp/class", tasks=("stroop",))   # doctest: +SKIP
>>> server.start(); server.student_url                      # doctest: +SKIP
'http://127.0.0.1:40123/'
"""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

CHROMIUM = "/usr/bin/chromium"

# Flags found by trying on Debian 12 with Chromium 156: --no-sandbox, because
# Chromium refuses to start as root with its sandbox (the tests run as root in
# containers, where a non-root sandbox usually lacks user namespaces too); the
# pages are our own, from 127.0.0.1. Nothing else is needed: Playwright adds
# --headless and turns off the throttling of background pages and timers (30
# students in one browser all run at full speed), and headless Chromium lets
# audio start without a gesture already.
CHROMIUM_ARGS = ["--no-sandbox"]

# Short demos: a few trials each, so 30 simulated students finish in a test.
FAST = ("fixation_ms=200", "iti_ms=200", "feedback_ms=300")
SHORT_SETS = {
    "stroop": ("trials=8", "practice_trials=2", *FAST),            # 2 + 8 trials
    "search": ("set_sizes=4,12", "trials=8", "practice_trials=2", *FAST),  # 4 + 8 trials
}

STUDENT_LINE = re.compile(r"^Student page: (http://\S+)$")
TEACHER_LINE = re.compile(r"^Teacher page: (http://\S+)$")


def browser_problem():
    """Why the browser tests cannot run here (a sentence), or None."""
    if not Path(CHROMIUM).exists():
        return (f"Chromium is not installed at {CHROMIUM} (Debian package 'chromium'; "
                f"make test installs it)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("starlette", "uvicorn", "segno")):
        return "the classroom server's web extra is not installed (pip install -e '.[web]')"
    return None


def launch_chromium(playwright, headless=True):
    """Debian's Chromium through Playwright, with the flags above."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=headless,
                                      args=CHROMIUM_ARGS)


def set_options(sets_by_task):
    """``--set TASK.NAME=VALUE`` items for ``classroom serve`` from
    ``{task: ("NAME=VALUE", ...)}``."""
    items = []
    for task, sets in sets_by_task.items():
        for item in sets:
            items += ["--set", f"{task}.{item}"]
    return items


class ServerFailed(RuntimeError):
    """The server did not start, or stopped badly (its output is in the message)."""


class ClassServer:
    """``attentionlab classroom serve`` on 127.0.0.1 in a subprocess.

    ``start()`` waits for the two printed lines and fills ``student_url``,
    ``teacher_url``, ``token`` and ``port``; a later ``start()`` (after
    ``kill()`` or ``stop()``) reuses the same port and data folder, as a
    teacher restarting the class would. ``output`` holds every line printed.
    """

    def __init__(self, data_dir, tasks=("stroop", "search"), sets=None, start_timeout_s=120):
        self.data_dir = Path(data_dir)
        self.tasks = tuple(tasks)
        self.sets = SHORT_SETS if sets is None else sets
        self.start_timeout_s = start_timeout_s
        self.port = 0
        self.process = None
        self.output = []
        self.student_url = self.teacher_url = self.token = None
        self._lines = None

    def command(self):
        sets = {task: self.sets[task] for task in self.tasks if task in self.sets}
        return [sys.executable, "-m", "attentionlab.experiments.cli", "classroom", "serve",
                "--host", "127.0.0.1", "--port", str(self.port),
                "--data-dir", str(self.data_dir), "--tasks", ",".join(self.tasks),
                *set_options(sets)]

    def start(self):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.output.append(f"$ {' '.join(self.command())}")
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env,
                                        start_new_session=True)
        self._lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self._lines),
                         daemon=True).start()
        student = teacher = None
        deadline = time.monotonic() + self.start_timeout_s
        while student is None or teacher is None:
            try:
                line = self._lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise ServerFailed(f"no URLs within {self.start_timeout_s} s:\n{self.log()}")
            if line is None:
                raise ServerFailed(f"the server ended (exit {self.process.wait()}) before "
                                   f"printing its URLs:\n{self.log()}")
            if student is None:  # the first line printed must be the student page
                match = STUDENT_LINE.match(line)
                if not match:
                    self.kill()
                    raise ServerFailed(f"first line is not 'Student page: URL':\n{self.log()}")
                student = match.group(1)
            else:
                match = TEACHER_LINE.match(line)
                if not match:
                    self.kill()
                    raise ServerFailed(f"second line is not 'Teacher page: URL':\n{self.log()}")
                teacher = match.group(1)
        self.student_url, self.teacher_url = student, teacher
        self.token = parse_qs(urlparse(teacher).query)["token"][0]
        self.port = urlparse(student).port
        return self

    def _read(self, process, lines):
        for line in process.stdout:
            line = line.rstrip("\n")
            self.output.append(line)
            lines.put(line)
        lines.put(None)

    @property
    def base_url(self):
        return self.student_url.rstrip("/")

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL: a power cut for the server (no clean-up at all)."""
        if self.running():
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=30)

    def stop(self, timeout_s=60):
        """SIGTERM (as Ctrl-C); returns the exit status (None when it was not running)."""
        if not self.running():
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ServerFailed(f"still running {timeout_s} s after SIGTERM:\n{self.log()}")

    def log(self):
        return "\n".join(self.output[-60:])


# Installed in every student page before its own scripts: the page records
# each /api/trial its fetch saw answered 200 in sessionStorage (kept across a
# reload of the tab). Playwright's "response" event alone missed one of 660
# acknowledgements in a full class on a loaded machine (the rows were all
# there), so Traffic also reads what the page itself received. The wrapper
# returns fetch's own promise result unchanged.
ACKS_KEY = "attentionlab.test.acked"
RECORD_ACKS = """
(() => {
  const original = window.fetch;
  window.fetch = async function (input, init) {
    const response = await original.apply(this, arguments);
    try {
      const url = new URL(typeof input === "string" ? input : input.url, location.href);
      if (url.pathname === "/api/trial" && response.status === 200 && init && init.body) {
        const sent = JSON.parse(init.body);
        const acked = JSON.parse(sessionStorage.getItem(%(key)s) || "[]");
        acked.push([sent.student_token, sent.run_id, sent.trial_index]);
        sessionStorage.setItem(%(key)s, JSON.stringify(acked));
      }
    } catch (err) {}
    return response;
  };
})();
""" % {"key": repr(ACKS_KEY)}


def student_page(browser, url, autopilot=True, viewport=(1024, 768)):
    """A new student on its own 'device' (a fresh browser context: its own
    localStorage); returns the page, already navigated."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.add_init_script(RECORD_ACKS)
    page = context.new_page()
    page.goto(url + ("?autopilot=1" if autopilot else ""))
    return page


def data_files(data_dir, task=None):
    """The session CSVs the server wrote (not its .classroom state)."""
    pattern = f"sub-*/sub-*_task-{task}_run-*_beh.csv" if task else "sub-*/sub-*_beh.csv"
    return sorted(Path(data_dir).glob(pattern))


def attentionlab(*args, timeout_s=600):
    """Run the attentionlab CLI; returns CompletedProcess (text)."""
    return subprocess.run([sys.executable, "-m", "attentionlab.experiments.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout_s)


class Traffic:
    """What the server told the browsers, seen from the browsers' side:
    every acknowledged trial (``acked``: a set of (student_token, run_id,
    trial_index)) and every /api/start answer (``starts``: a list of
    (student_token, answer)). ``watch(page)`` adds a page.

    Playwright calls the handler only while the test is inside a Playwright
    call: wait with ``page.wait_for_timeout``, never ``time.sleep``.
    """

    def __init__(self):
        self.acked = set()
        self.starts = []
        self.trial_statuses = []
        self.pages = []

    def watch(self, page):
        page.on("response", self._response)
        self.pages.append(page)
        return page

    def acked_in_pages(self):
        """The (student_token, run_id, trial_index) each watched page's own
        fetch saw answered 200 (recorded by RECORD_ACKS; pages made by
        ``student_page`` and still open)."""
        acked = set()
        for page in self.pages:
            if page.is_closed():
                continue
            for token, run_id, index in page.evaluate(
                    f"JSON.parse(sessionStorage.getItem({ACKS_KEY!r}) || '[]')"):
                acked.add((token, run_id, index))
        return acked

    def _response(self, response):
        path = urlparse(response.url).path
        if path not in ("/api/trial", "/api/start"):
            return
        sent = response.request.post_data_json
        if path == "/api/trial":
            self.trial_statuses.append(response.status)
            if response.status == 200:
                self.acked.add((sent["student_token"], sent["run_id"], sent["trial_index"]))
        elif response.status == 200:
            try:
                self.starts.append((sent["student_token"], response.json()))
            except Exception:  # noqa: BLE001 - the server died while answering: not an answer
                pass


def token_labels(data_dir):
    """{sha256 of a student token: label} from the server's students.tsv."""
    path = Path(data_dir) / ".classroom" / "students.tsv"
    pairs = (line.split("\t") for line in path.read_text().splitlines() if line.strip())
    return {digest: label for label, digest in pairs}


def acked_rows_by_file(data_dir, acked):
    """{csv path: set of acknowledged trial_index} for ``Traffic.acked``; the
    path is where the server must have written them (docs: sub-<label>/
    sub-<label>_ses-1_task-<task>_run-<n>_beh.csv; run_id is '<task>-<n>')."""
    import hashlib

    labels = token_labels(data_dir)
    files = {}
    for token, run_id, index in acked:
        label = labels[hashlib.sha256(token.encode()).hexdigest()]
        task, run = run_id.rsplit("-", 1)
        path = Path(data_dir) / f"sub-{label}" / f"sub-{label}_ses-1_task-{task}_run-{run}_beh.csv"
        files.setdefault(path, set()).add(index)
    return files


def teacher_status(server):
    """GET /api/teacher/status with the token (loopback, no proxy)."""
    import httpx

    answer = httpx.get(f"{server.base_url}/api/teacher/status",
                       headers={"X-Teacher-Token": server.token}, timeout=30, trust_env=False)
    answer.raise_for_status()
    return answer.json()


def wait_until(pump_page, check, what, timeout_s=900, every_ms=500):
    """Call ``check()`` until it returns something true, pumping Playwright's
    events through ``pump_page`` in between; fails saying ``what`` did not
    happen. The timeout only stops a hung test: nothing here judges speed."""
    import pytest

    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout_s} s")
        pump_page.wait_for_timeout(every_ms)


def planned_trials(task, sets=None):
    """(practice, test) trials of the demo the server plans with ``sets``
    (default: the short demo), from the task's own make_plan."""
    import importlib

    from attentionlab.web.tasks import demo_params

    definition = importlib.import_module(f"attentionlab.stimuli.{task}")
    params = demo_params(task, SHORT_SETS[task] if sets is None else sets)
    plan = definition.make_plan(params, "S1", 1)
    return len(plan["practice"]), len(plan["test"])
