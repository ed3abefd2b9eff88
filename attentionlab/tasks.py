"""The tasks attentionlab knows: ONE list, and where each layer finds a task.

Adding a task is one line in :data:`TASKS`; every layer then finds the
task's module by its name (the contract each module meets is in
:mod:`attentionlab.core.contracts`, and ``tests/test_task_contracts.py``
checks every task against every contract):

========================  ===========================================  =========
layer                     module                                       contract
========================  ===========================================  =========
definition (pure)         ``attentionlab/stimuli/<task>.py``           TaskDefinition
presenter (PsychoPy)      ``attentionlab/experiments/<task>.py``       TaskPresentation
participant model         ``attentionlab/simulation/<task>.py``        ParticipantModel
analysis (pandas)         ``attentionlab/analysis/<task>.py``          TaskAnalysis
classroom                 ``attentionlab/classroom/<task>.py``         ClassroomEntry
========================  ===========================================  =========

docs/architecture.md has the checklist for adding a task.

>>> TASKS[0]
'stroop'
>>> module_name("search", "analysis")
'attentionlab.analysis.search'
"""

import importlib

TASKS = (
    "stroop",
    "search",
    "conjunctions",
    "flicker",
    "inattention",
    "dichotic",
    "posner",
)

LAYERS = {
    "definition": "attentionlab.stimuli.{task}",
    "presentation": "attentionlab.experiments.{task}",
    "participant_model": "attentionlab.simulation.{task}",
    "analysis": "attentionlab.analysis.{task}",
    "classroom": "attentionlab.classroom.{task}",
    # Optional: the task in students' browsers (attentionlab classroom serve).
    # Not a contract every task meets: a task without it has no browser version.
    "web": "attentionlab.web.tasks.{task}",
}


def module_name(task: str, layer: str) -> str:
    """The dotted name of ``task``'s module in ``layer`` (a key of :data:`LAYERS`)."""
    return LAYERS[layer].format(task=task)


def task_module(task: str, layer: str):
    """``task``'s module in ``layer``, imported on first use (so PsychoPy
    loads only when a presenter is needed); :class:`UsageError` with a
    did-you-mean for an unknown task."""
    check_task(task)
    return importlib.import_module(module_name(task, layer))


def check_task(task: str) -> str:
    """``task`` if it is known; :class:`UsageError` listing the tasks otherwise."""
    if task not in TASKS:
        from attentionlab.core.errors import unknown_name

        raise unknown_name("task", task, TASKS, listed="available")
    return task


def web_tasks() -> list:
    """Tasks with a browser version (a module ``attentionlab/web/tasks/<task>.py``),
    in the order of :data:`TASKS`; found without importing the task modules."""
    import importlib.util

    found = []
    for task in TASKS:
        try:
            spec = importlib.util.find_spec(module_name(task, "web"))
        except ModuleNotFoundError:  # no attentionlab.web.tasks package at all
            return []
        if spec is not None:
            found.append(task)
    return found


def contract_problems(task: str) -> list[str]:
    """What ``task``'s modules lack, one line per missing name; [] when the
    task meets every contract.

    >>> contract_problems("stroop")
    []
    """
    from attentionlab.core.contracts import CONTRACTS

    out = []
    for layer, protocol in CONTRACTS.items():
        name = module_name(task, layer)
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            out.append(f"{task}: no {layer} module {name} ({exc})")
            continue
        wanted = [n for n in protocol.__dict__.get("__annotations__", {})] + [
            n for n, v in vars(protocol).items() if callable(v) and not n.startswith("_")]
        out += [f"{task}: {name} lacks {n} ({protocol.__name__})"
                for n in dict.fromkeys(wanted) if not hasattr(module, n)]
    return out
