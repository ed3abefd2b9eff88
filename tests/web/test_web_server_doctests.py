"""The examples in the classroom server's docstrings run and give what they
show; the optional web layer of attentionlab/tasks.py finds the browser tasks."""

import doctest
import importlib

import pytest

from attentionlab import tasks
from attentionlab.web import tasks as web_tasks

MODULES = ["attentionlab.web.class_store", "attentionlab.web.class_state",
           "attentionlab.web.runs", "attentionlab.web.validation",
           "attentionlab.web.analysis_pool",
           "attentionlab.web.server", "attentionlab.web.teacher", "attentionlab.web.lan",
           "attentionlab.classroom.student_result_text"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_web_tasks_are_the_tasks_with_a_browser_module():
    assert tasks.web_tasks() == web_tasks.available()
    assert "stroop" in tasks.web_tasks() and "dichotic" not in tasks.web_tasks()
    assert tasks.module_name("search", "web") == "attentionlab.web.tasks.search"
