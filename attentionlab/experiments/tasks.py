"""How each task is set up for a session: its parameters from the command
line, its trial lists, and its presenter.

Kept apart from the CLI so that tests and the demo can prepare a session
the same way the command line does.
"""

import dataclasses
import importlib
import secrets

from attentionlab.analysis.simulate import population_for
from attentionlab.core.params import apply_overrides, parse_set_options, read_config
from attentionlab.stimuli.registry import PARAMS, get_task


def resolve_params(task: str, *, config: str | None = None, sets: list[str] | None = None,
                   trials: int | None = None, lang: str | None = None,
                   autopilot: bool = False):
    """Defaults, then ``--config`` file, then ``--set`` items, then the
    shortcut options ``--trials``/``--lang`` (most specific wins).

    Returns ``(params, population)``. With ``autopilot``, ``--set`` may also
    name the simulated participant's population parameters (e.g.
    ``interference_ms=80``); ``population`` is None otherwise.
    """
    get_task(task)
    params = PARAMS[task]()
    overrides = {}
    if config:
        overrides.update(read_config(config, task))
    overrides.update(parse_set_options(sets))
    population = None
    if autopilot:
        population_cls = population_for(task)
        names = {f.name for f in dataclasses.fields(population_cls)}
        population = apply_overrides(population_cls(), {
            name: overrides.pop(name) for name in list(overrides) if name in names})
    if trials is not None:
        overrides["trials"] = trials
    if lang is not None:
        overrides["lang"] = lang
    return apply_overrides(params, overrides), population


def new_seed() -> int:
    """A fresh seed for a session run without ``--seed`` (recorded in the sidecar)."""
    return secrets.randbelow(2**31 - 1) + 1


# Each task's presentation module (imported only when that task runs, so
# PsychoPy loads late). A module provides ``prepare(params, participant, seed)``
# returning a :class:`Prepared`, and the presenter class it names.
PRESENTATIONS = {
    "stroop": "attentionlab.experiments.stroop",
    "search": "attentionlab.experiments.search",
    "conjunctions": "attentionlab.experiments.conjunctions",
    "flicker": "attentionlab.experiments.flicker",
    "inattention": "attentionlab.experiments.inattention",
    "dichotic": "attentionlab.experiments.dichotic",
}


@dataclasses.dataclass
class Prepared:
    """What a session needs from a task: trial lists by phase (``'practice'``,
    ``'test'``; trials carry ``block``, ``phase`` and ``row()``), the presenter
    class (built with the session), and extra sidecar facts."""

    trials: dict
    presenter_factory: object
    sidecar_extra: dict = dataclasses.field(default_factory=dict)


def prepare(task: str, params, participant: str, seed: int) -> Prepared:
    """Trial lists and presenter of ``task`` for this participant and seed."""
    module = importlib.import_module(PRESENTATIONS[task])
    return module.prepare(params, participant, seed)
