"""How each task is set up for a session: its parameters from the command
line, its trial lists, and its presenter.

Kept apart from the CLI so that tests and the demo can prepare a session
the same way the command line does.
"""

import dataclasses
import secrets

from attentionlab.simulation.registry import population_for
from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides, parse_set_options, read_config
from attentionlab.stimuli.registry import PARAMS, TASKS, get_task
from attentionlab.tasks import task_module


def resolve_params(task: str, *, config: str | None = None, sets: list[str] | None = None,
                   trials: int | None = None, lang: str | None = None,
                   autopilot: bool = False):
    """Defaults, then ``--config`` file, then ``--set`` items, then the
    shortcut options ``--trials``/``--lang`` (most specific wins).

    Returns ``(params, population)``. With ``autopilot``, ``--set`` (and the
    config file) may also name the simulated participant's population
    parameters (e.g. ``interference_ms=80``); ``population`` is None otherwise.
    What a config file may hold: :func:`attentionlab.core.params.read_config`.
    """
    get_task(task)
    if lang is not None and task not in lang_tasks():
        raise UsageError(f"--lang is not available for {task}: {lang_help()}")
    params = PARAMS[task]()
    population_cls = population_for(task) if autopilot else None
    population_names = _field_names(population_cls) if autopilot else set()
    overrides = {}
    if config:
        overrides.update(_config_values(config, task, autopilot))
    overrides.update(parse_set_options(sets))
    population = None
    if autopilot:
        population = apply_overrides(population_cls(), {
            name: overrides.pop(name) for name in list(overrides) if name in population_names})
    if trials is not None:
        overrides["trials"] = trials
    if lang is not None:
        overrides["lang"] = lang
    return apply_overrides(params, overrides), population


def _config_values(path: str, task: str, autopilot: bool) -> dict:
    """``task``'s values from a config file; every table in the file is
    checked (names and values), so a typo in another task's table is found
    now rather than on the day that task is run."""
    tables = read_config(path, task, TASKS)
    for name, values in tables.items():
        # Simulated-participant settings belong in a table too: that task
        # may be run with --autopilot (for the task being run, only with it).
        population = set(_field_names(population_for(name))) if (
            name != task or autopilot) else set()
        try:
            apply_overrides(PARAMS[name](), {k: v for k, v in values.items()
                                             if k not in population})
        except UsageError as exc:
            raise UsageError(f"config file {str(path)!r}, {name} parameters: {exc}") from None
    return dict(tables.get(task, {}))


def _field_names(cls) -> set:
    return {f.name for f in dataclasses.fields(cls)}


def lang_tasks() -> dict:
    """Tasks that take ``--lang``, with their languages (from the task's
    declared ``lang`` parameter): ``{'stroop': ('en', 'de', ...)}``."""
    out = {}
    for name, params_cls in PARAMS.items():
        for f in dataclasses.fields(params_cls):
            if f.name == "lang":
                out[name] = tuple(f.metadata.get("choices") or ())
    return out


def lang_help() -> str:
    """e.g. ``only stroop takes --lang (en, de, fr, es, nl)``."""
    tasks = lang_tasks()
    if not tasks:
        return "no task takes --lang"
    listed = "; ".join(f"{t} ({', '.join(langs)})" for t, langs in tasks.items())
    return f"only {listed} {'takes' if len(tasks) == 1 else 'take'} --lang"


def new_seed() -> int:
    """A fresh seed for a session run without ``--seed`` (recorded in the sidecar)."""
    return secrets.randbelow(2**31 - 1) + 1


# Each task's presentation module is attentionlab/experiments/<task>.py
# (imported only when that task runs, so PsychoPy loads late). It provides
# ``prepare(params, participant, seed)`` returning a :class:`Prepared`.


@dataclasses.dataclass
class Prepared:
    """What a session needs from a task: trial lists by phase (``'practice'``,
    ``'test'``; trials carry ``block``, ``phase`` and ``row()``), the presenter
    class (built with the session), and extra sidecar facts."""

    trials: dict
    presenter_factory: object
    sidecar_extra: dict = dataclasses.field(default_factory=dict)


def prepare(task: str, params, participant: str, seed: int, group: int | None = None,
            assignment: dict | None = None) -> Prepared:
    """Trial lists and presenter of ``task`` for this participant and seed;
    ``group`` is an allocated counterbalancing group (None: the label rule)
    and ``assignment`` (:func:`assignment`) goes to the sidecar as
    ``counterbalance_assignment``."""
    module = task_module(task, "presentation")
    prepared = module.prepare(params, participant, seed, group)
    if assignment is not None:
        prepared.sidecar_extra = {**prepared.sidecar_extra,
                                  "counterbalance_assignment": assignment}
    return prepared


def allocation_scheme(task: str) -> str:
    """The allocation scheme of a task's counterbalancing, e.g.
    ``stroop.counterbalance`` (``<data_dir>/allocation/<scheme>.json``)."""
    return f"{task}.counterbalance"


def assignment(task: str, params, participant: str, data_dir=None, *,
               allocate: bool = False, write: bool = True) -> dict:
    """How this session's counterbalancing group is chosen, for the sidecar:
    ``{'group', 'n_groups', 'method', 'scheme'}``. ``method`` is
    ``'allocation'`` (balanced by completed sessions in ``data_dir``,
    :mod:`attentionlab.core.allocation`; ``write=False`` only peeks, writing
    nothing) or ``'label rule'`` (the digits of the label, the fallback).
    The group is in ``0..n_groups-1``; pass it to :func:`prepare`."""
    from attentionlab.core import allocation

    definition = task_module(task, "definition")
    n = definition.counterbalance_groups(params)
    scheme = allocation_scheme(task)
    if not allocate:
        return {"group": definition.label_group(params, participant), "n_groups": n,
                "method": "label rule", "scheme": None}
    choose = allocation.allocate if write else allocation.peek
    return {"group": choose(data_dir, scheme, n, participant), "n_groups": n,
            "method": "allocation", "scheme": scheme}
