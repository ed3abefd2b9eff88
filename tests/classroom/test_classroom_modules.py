"""The classroom by convention (issue 14): each task's entry is TEXTBOOK in
attentionlab/classroom/<task>.py, and textbook.TEXTBOOK finds them from the
list of tasks; a task without one gets a clear error."""

import importlib
import subprocess
import sys

import pytest

from attentionlab import tasks
from attentionlab.classroom import report, textbook
from attentionlab.core.errors import UsageError


def test_every_task_with_a_classroom_module_is_in_the_textbook_in_task_order():
    found = []
    for task in tasks.TASKS:
        try:
            module = importlib.import_module(tasks.module_name(task, "classroom"))
        except ModuleNotFoundError:
            continue
        found.append(task)
        assert textbook.TEXTBOOK[task] is module.TEXTBOOK
        assert module.TEXTBOOK.task == task
    assert list(textbook.TEXTBOOK) == found
    assert {"stroop", "search", "conjunctions", "flicker", "inattention",
            "dichotic"} <= set(found)


def test_textbook_imports_no_task_module_until_used():
    code = ("import sys\n"
            "import attentionlab.classroom.textbook as t\n"
            "assert not [m for m in sys.modules if m.startswith('attentionlab.classroom.')\n"
            "            and m != 'attentionlab.classroom.textbook'], sorted(sys.modules)\n"
            "import attentionlab.classroom.stroop as s\n"
            "assert t.TEXTBOOK['stroop'] is s.TEXTBOOK\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def task_without_classroom(monkeypatch):
    """A task in the list of tasks that has no attentionlab/classroom/<task>.py."""
    monkeypatch.setattr(tasks, "TASKS", (*tasks.TASKS, "nback"))
    monkeypatch.setattr(textbook, "TEXTBOOK", textbook.Entries())
    monkeypatch.setattr(report, "TEXTBOOK", textbook.TEXTBOOK)
    return "nback"


def test_a_task_without_a_classroom_module_has_a_clear_error(task_without_classroom):
    assert task_without_classroom not in textbook.TEXTBOOK
    with pytest.raises(UsageError, match=r"task 'nback' has no classroom demo: it has no "
                                         r"classroom entry \(attentionlab/classroom/nback.py\); "
                                         r"available: stroop"):
        textbook.get_entry("nback")
    with pytest.raises(UsageError, match="no classroom entry"):
        report.student_result("any.csv", "nback")


def test_an_unknown_task_is_named_as_such():
    with pytest.raises(UsageError, match="'nosuchtask' has no classroom demo: no such task"):
        textbook.get_entry("nosuchtask")


def test_class_report_skips_files_of_a_task_without_a_classroom_module(
        task_without_classroom, monkeypatch):
    monkeypatch.setattr(report, "files_by_task", lambda paths: ({"nback": ["a.csv"]}, []))
    with pytest.raises(UsageError) as caught:
        report.build_class(["folder"])
    assert ("1 file(s) of task 'nback': no classroom page for this task (no "
            "attentionlab/classroom/nback.py); skipped") in caught.value.problems
