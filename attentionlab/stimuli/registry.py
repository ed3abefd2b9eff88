"""The tasks attentionlab knows, by command-line name.

Each entry is the task's ``stimuli`` module, which declares ``TASK``,
``COLUMNS`` and a parameters dataclass. Adding a task: one import, one line
in each dict (and its presentation, simulation and analysis registries:
experiments/tasks.py, analysis/simulate.py, analysis/registry.py).
"""

from attentionlab.core.errors import unknown_name
from attentionlab.stimuli import conjunctions, dichotic, flicker, inattention, search, stroop

TASKS = {
    stroop.TASK: stroop,
    search.TASK: search,
    conjunctions.TASK: conjunctions,
    flicker.TASK: flicker,
    inattention.TASK: inattention,
    dichotic.TASK: dichotic,
}
PARAMS = {
    stroop.TASK: stroop.StroopParams,
    search.TASK: search.SearchParams,
    conjunctions.TASK: conjunctions.ConjunctionsParams,
    flicker.TASK: flicker.FlickerParams,
    inattention.TASK: inattention.InattentionParams,
    dichotic.TASK: dichotic.DichoticParams,
}


def get_task(name: str):
    """The stimuli module of task ``name``; :class:`UsageError` if unknown."""
    try:
        return TASKS[name]
    except KeyError:
        raise unknown_name("task", name, TASKS, listed="available") from None
