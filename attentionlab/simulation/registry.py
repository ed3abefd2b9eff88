"""Where each task's simulated participant lives, and what all simulations share.

A task's participant model is ``attentionlab/simulation/<task>.py`` (found
by convention through :mod:`attentionlab.tasks`); the contract it meets is
:class:`attentionlab.core.contracts.ParticipantModel`.
"""

import datetime

# Simulated sessions' clocks start here, so the same seed gives identical files.
SIMULATED_START = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.timezone.utc)
MIN_RT_MS = 150.0  # no one answers faster than perceiving the stimulus allows

def simulation_for(task: str):
    """The participant-model module of ``task`` (``attentionlab/simulation/<task>.py``);
    :class:`UsageError` for an unknown task."""
    from attentionlab.tasks import task_module

    return task_module(task, "participant_model")


def population_for(task: str):
    """The population dataclass of ``task``."""
    return simulation_for(task).Population
