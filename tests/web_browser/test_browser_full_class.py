"""A whole class in one headless Chromium (issue 17): 30 autopilot students,
each in its own browser context (its own localStorage, as its own device),
do the short Stroop and search demos at the same time. The teacher page then
shows 30 students and 30 finished per demo, every file is complete, and
``analyze`` and ``class-report`` read the folder like a lab's.

Nothing here judges speed: the waits only stop a hung test.
"""

import json

import pandas as pd
import pytest

from web_browser_helpers import (ClassServer, Traffic, acked_rows_by_file, attentionlab, data_files,
                                 planned_trials, student_page, teacher_status, wait_until)

# All browser tests on one xdist worker: one Chromium at a time on the 2 cores.
pytestmark = pytest.mark.xdist_group("browser")

STUDENTS = 30
TASKS = ("stroop", "search")


@pytest.fixture(scope="module")
def finished_class(browser, tmp_path_factory):
    """30 students who finished both demos, once for this module's tests;
    yields (server, traffic, teacher page)."""
    server = ClassServer(tmp_path_factory.mktemp("full_class") / "class", tasks=TASKS)
    traffic = Traffic()
    pages = []
    teacher = browser.new_page()

    def everyone_finished():
        tasks = teacher_status(server)["tasks"]
        return all(tasks[task]["finished"] >= STUDENTS for task in TASKS)

    try:
        server.start()
        for _ in range(STUDENTS):
            pages.append(traffic.watch(student_page(browser, server.student_url)))
        teacher.goto(server.teacher_url)
        wait_until(teacher, everyone_finished, f"{STUDENTS} students finishing {TASKS}")
        yield server, traffic, teacher
    finally:
        for page in pages:
            page.context.close()
        teacher.close()
        server.stop()


def test_thirty_students_finish_and_the_teacher_page_shows_them(finished_class):
    server, traffic, teacher = finished_class
    status = teacher_status(server)
    assert status["students"] == STUDENTS
    assert {task: status["tasks"][task]["finished"] for task in TASKS} == \
        {task: STUDENTS for task in TASKS}
    # What the projector shows (teacher.js refreshes the counts every 3 s).
    wait_until(teacher, lambda: teacher.text_content("#students").strip() == str(STUDENTS),
               "the teacher page showing 30 students", timeout_s=60)
    for task in TASKS:
        row = f'tr[data-task="{task}"] .finished'
        wait_until(teacher, lambda: teacher.text_content(row).strip() == str(STUDENTS),
                   f"the teacher page showing 30 finished {task}", timeout_s=60)
    assert not [s for s in traffic.trial_statuses if s != 200], "a trial was refused"


def test_every_file_is_complete_and_marked_as_a_browser_session(finished_class):
    server, traffic, _ = finished_class
    for task in TASKS:
        files = data_files(server.data_dir, task)
        assert len(files) == STUDENTS, f"{task}: {len(files)} files for {STUDENTS} students"
        practice, test = planned_trials(task)
        expected = list(range(1, practice + test + 1))
        for csv in files:
            rows = pd.read_csv(csv)
            assert rows["trial_index"].tolist() == expected, csv.name
            assert set(rows["simulated"]) == {1}  # autopilot rows say so
            sidecar = json.loads(csv.with_suffix(".json").read_text())
            assert sidecar["platform"] == "browser" and sidecar["completed"] is True
            assert sidecar["trials_done"] == sidecar["trials_planned"] == test
            assert "Chrom" in sidecar["browser"]
            assert sidecar["timing"]["clock"] == "performance.now"
    # Every trial a browser saw acknowledged is a row (and nothing else is).
    # As the page's own fetch saw them: Playwright's response event can miss
    # one on a loaded machine (web_browser_helpers.RECORD_ACKS).
    seen = traffic.acked_in_pages()
    assert traffic.acked <= seen
    rows = acked_rows_by_file(server.data_dir, seen)
    assert sum(len(pd.read_csv(f)) for f in data_files(server.data_dir)) == len(seen)
    for csv, indices in rows.items():
        assert set(pd.read_csv(csv)["trial_index"]) == indices, csv.name


def test_analyze_and_class_report_read_the_class(finished_class, tmp_path):
    server, _, _ = finished_class
    for task in TASKS:
        done = attentionlab("analyze", server.data_dir, "--task", task,
                            "--out", tmp_path / f"analysis-{task}")
        assert done.returncode == 0, done.stderr
        participants = pd.read_csv(tmp_path / f"analysis-{task}" / "participants.csv")
        assert participants["participant"].nunique() == STUDENTS
    done = attentionlab("class-report", server.data_dir, "--out", tmp_path / "report")
    assert done.returncode == 0, done.stderr
    summary = pd.read_csv(tmp_path / "report" / "class_summary.csv").set_index("task")
    for task in TASKS:
        # Every student counted once: with a value, or without one (too few trials).
        assert summary.loc[task, "n_students"] + summary.loc[task, "n_no_value"] == STUDENTS
        assert summary.loc[task, "n_simulated_sessions"] == STUDENTS
    assert "warning" not in done.stderr  # the server's .classroom/ state is not read as data


def test_the_live_report_on_the_teacher_page_shows_the_class(finished_class, tmp_path):
    server, _, teacher = finished_class
    done = attentionlab("class-report", server.data_dir, "--out", tmp_path / "report")
    assert done.returncode == 0, done.stderr
    summary = pd.read_csv(tmp_path / "report" / "class_summary.csv").set_index("task")
    # The same class-report code, so the same students counted (the report is
    # rebuilt a few seconds after rows arrive; the page reloads its frame).
    wanted = [f"({summary.loc[task, 'n_students']} students)" for task in TASKS]
    report = teacher.frame_locator("#report").locator("body")

    def shows_everyone():
        if not all(w in report.inner_text() for w in wanted):
            teacher.evaluate("document.getElementById('report').src += ''")
            return False
        return True

    wait_until(teacher, shows_everyone, f"the live report showing {wanted}", timeout_s=120,
               every_ms=2000)
