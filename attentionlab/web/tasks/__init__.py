"""The web-task registry: which tasks the browser classroom can present.

A task has a browser version when it has a module
``attentionlab/web/tasks/<task>.py``; nothing else is registered. Each such
module declares (docs/classroom-web.md, /static/tasks/<task>.js presents it):

``TASK``
    the task's name, as in :data:`attentionlab.tasks.TASKS`.
``DEMO_SETS``
    ``NAME=VALUE`` overrides of the short demo (the classroom entry's
    ``Textbook.demo_sets``, so the browser and the desktop demo run the same
    short version).
``INPUTS``
    what the browser may answer with: ``"keys"`` and/or ``"touch"``.
``ONCE``
    True when a student may do the demo only once (inattention).
``DETAIL_FIELDS``
    ``{name: type}`` of the keys the browser may send in ``outcome.details``.
``display(trial, params) -> dict``
    everything the presenter needs to draw one planned trial (JSON-able).
``texts(params, input) -> dict``
    the participant's texts (``instructions``: a list of pages, and the
    task's others), in the desktop task's words where the input allows.
``outcome(trial, payload, input, params) -> Outcome``
    the browser's report of one trial checked against that trial and made an
    :class:`~attentionlab.core.outcome.Outcome`; ``ValueError`` with a plain
    sentence when it cannot be (the server answers 400 with it).

Trial lists come only from the definition's ``make_plan`` and scoring only
from its ``score``: the browser presents and timestamps.

>>> available()[0]
'stroop'
>>> get("stroop").INPUTS
('keys', 'touch')
>>> demo_params("stroop").trials
48
"""

import importlib
import importlib.util

from attentionlab.tasks import TASKS

PACKAGE = "attentionlab.web.tasks"


def module_name(task: str) -> str:
    """The dotted name of ``task``'s web module."""
    return f"{PACKAGE}.{task}"


def available() -> list:
    """Tasks with a web module, in the order of :data:`attentionlab.tasks.TASKS`."""
    return [task for task in TASKS if importlib.util.find_spec(module_name(task)) is not None]


def get(task: str):
    """``task``'s web module; :class:`UsageError` naming the tasks that have one
    (with a did-you-mean) when ``task`` has none."""
    offered = available()
    if task not in offered:
        from attentionlab.core.errors import UsageError, unknown_name

        if task in TASKS:
            raise UsageError(f"task {task!r} has no browser version; tasks that have one: "
                             f"{', '.join(offered)}")
        raise unknown_name("task", task, offered, listed="with a browser version")
    return importlib.import_module(module_name(task))


def demo_params(task: str, sets=()):
    """``task``'s parameters for the browser demo: the definition's defaults,
    then the module's ``DEMO_SETS``, then ``sets`` (``NAME=VALUE`` items, a
    teacher's choice wins); :class:`UsageError` naming a bad item, or a
    setting the browser cannot present (the module's optional ``check(params)``)."""
    from attentionlab.core.params import apply_overrides, parse_set_options

    definition = importlib.import_module(f"attentionlab.stimuli.{task}")
    module = get(task)
    params = apply_overrides(definition.PARAMS(),
                             parse_set_options([*module.DEMO_SETS, *sets]))
    check = getattr(module, "check", None)  # what only the browser version cannot do
    if check is not None:
        check(params)
    return params
