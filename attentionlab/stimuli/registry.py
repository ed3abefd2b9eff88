"""The tasks attentionlab knows, by command-line name.

Each entry is the task's ``stimuli`` module, which declares ``TASK``,
``COLUMNS`` and a parameters dataclass.
"""

from attentionlab.core.errors import UsageError
from attentionlab.stimuli import search, stroop

TASKS = {stroop.TASK: stroop, search.TASK: search}
PARAMS = {stroop.TASK: stroop.StroopParams, search.TASK: search.SearchParams}


def get_task(name: str):
    """The stimuli module of task ``name``; :class:`UsageError` if unknown."""
    try:
        return TASKS[name]
    except KeyError:
        raise UsageError(f"unknown task {name!r}; available: {', '.join(TASKS)}") from None
