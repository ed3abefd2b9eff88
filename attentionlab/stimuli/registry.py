"""The tasks' definitions (``attentionlab/stimuli/<task>.py``), by command-line name.

The list of tasks is :data:`attentionlab.tasks.TASKS`; each definition
module declares ``TASK``, ``COLUMNS`` and its parameters dataclass
(``PARAMS``), as :class:`attentionlab.core.contracts.TaskDefinition` says.
"""

import importlib

from attentionlab.tasks import TASKS as TASK_NAMES
from attentionlab.tasks import check_task, module_name

TASKS = {name: importlib.import_module(module_name(name, "definition")) for name in TASK_NAMES}
PARAMS = {name: module.PARAMS for name, module in TASKS.items()}


def get_task(name: str):
    """The definition module of task ``name``; :class:`UsageError` if unknown."""
    return TASKS[check_task(name)]
