"""The web-task registry (attentionlab/web/tasks/__init__.py): which tasks have
a browser version, what a wrong name gets, and that each has its presenter."""

import pytest

from attentionlab.core.errors import UsageError
from attentionlab.tasks import TASKS
from attentionlab.web import tasks as web_tasks

STATIC = web_tasks.__file__.replace("tasks/__init__.py", "static")


def test_available_follows_tasks_order_and_includes_stroop_and_search():
    offered = web_tasks.available()
    assert {"stroop", "search"} <= set(offered)
    assert offered == [t for t in TASKS if t in offered]


@pytest.mark.parametrize("task", web_tasks.available())
def test_every_web_task_declares_the_contract_and_has_a_presenter(task):
    module = web_tasks.get(task)
    assert module.TASK == task
    for name in ("DEMO_SETS", "INPUTS", "ONCE", "DETAIL_FIELDS", "display", "texts",
                 "outcome"):
        assert hasattr(module, name), f"{task}: web module lacks {name}"
    assert set(module.INPUTS) <= {"keys", "touch"} and module.INPUTS
    with open(f"{STATIC}/tasks/{task}.js", encoding="utf-8") as f:
        assert "export async function runTrial(ctx, trial)" in f.read()


def test_a_misspelt_task_gets_a_did_you_mean():
    with pytest.raises(UsageError, match="did you mean 'stroop'"):
        web_tasks.get("strop")


def test_a_task_without_a_browser_version_says_so():
    missing = [t for t in TASKS if t not in web_tasks.available()]
    if not missing:
        pytest.skip("every task has a browser version")
    with pytest.raises(UsageError, match="has no browser version"):
        web_tasks.get(missing[0])


def test_names_are_never_imported_unless_they_are_tasks():
    with pytest.raises(UsageError):
        web_tasks.get("common")  # a helper module of the package, not a task
    with pytest.raises(UsageError):
        web_tasks.get("..stimuli.stroop")


def test_demo_params_take_a_teachers_sets_last():
    assert web_tasks.demo_params("stroop").trials == 48
    assert web_tasks.demo_params("stroop", ["trials=24"]).trials == 24
    with pytest.raises(UsageError, match="unknown parameter"):
        web_tasks.demo_params("stroop", ["trails=24"])
