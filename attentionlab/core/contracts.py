"""What a task provides at each layer, as code.

A task is one name in :data:`attentionlab.tasks.TASKS` and one module per
layer, found by that name (:func:`attentionlab.tasks.task_module`). Each
module meets the protocol below; :func:`attentionlab.tasks.contract_problems`
lists what one is missing
and ``tests/test_task_contracts.py`` checks every task against every
contract. docs/architecture.md explains the layers and how to add a task.

The protocols describe *modules* (a module is an object whose attributes are
its top-level names), so a task module needs no base class: it declares the
names. ``runtime_checkable`` protocols only look for the names; the contract
test also checks that trial plans, outcomes and rows fit together.
"""

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Trial(Protocol):
    """One planned trial: its block and phase, and its own data columns."""

    block: int
    phase: str  # 'practice' or 'test'

    def row(self) -> dict:
        """The task's trial columns (factors, stimulus, correct answer)."""


@runtime_checkable
class TaskDefinition(Protocol):
    """``attentionlab/stimuli/<task>.py``: what is shown and what a response
    means. Pure: no window, no PsychoPy, no files written.

    ``make_plan(params, participant, seed, group=None)`` returns
    ``{'practice': [...], 'test': [...]}`` of :class:`Trial` (a phase may be
    empty) and is the ONLY source of trial lists: the presenter, the
    autopilot and the data-only simulation all call it, so the same seed
    gives the same trials. ``counterbalance_groups(params)`` says how many
    counterbalancing groups the settings have (1 when none);
    ``label_group(params, participant)`` is the group the label rule gives;
    ``group`` (0..groups-1, from :mod:`attentionlab.core.allocation`)
    replaces the label rule, and ``group=None`` is the label rule, so
    ``make_plan(p, P, s) == make_plan(p, P, s, group=label_group(p, P))``.
    ``plan_facts(params, participant, group=None)`` returns the sidecar's
    facts about the plan (counterbalancing group, key mapping). ``score(trial, outcome)``
    turns an :class:`~attentionlab.core.outcome.Outcome` into the task's
    response columns (``correct`` and the task's own), the same for a real
    and a simulated participant.
    """

    TASK: str
    PARAMS: type     # frozen dataclass of core.params.param() fields
    COLUMNS: tuple   # core.columns.Column, the task's own data columns

    def make_plan(self, params, participant: str, seed: int, group=None) -> dict: ...

    def plan_facts(self, params, participant: str, group=None) -> dict: ...

    def counterbalance_groups(self, params) -> int: ...

    def label_group(self, params, participant: str) -> int: ...

    def score(self, trial, outcome) -> dict: ...


@runtime_checkable
class TaskPresentation(Protocol):
    """``attentionlab/experiments/<task>.py``: how it is shown (PsychoPy).

    ``prepare(params, participant, seed, group=None)`` returns an
    :class:`~attentionlab.experiments.tasks.Prepared`: the definition's plan,
    the presenter class (built with the session) and sidecar facts. It may
    check devices first (a one-line error before the window opens).
    ``group`` is passed on to ``make_plan`` and ``plan_facts``.
    """

    def prepare(self, params, participant: str, seed: int, group=None) -> Any: ...


@runtime_checkable
class Presenter(Protocol):
    """The object a session builds from ``Prepared.presenter_factory(session)``.

    ``run_trial(trial)`` presents one trial and returns an
    :class:`~attentionlab.core.outcome.Outcome`; it never scores, never
    writes. The session owns the window, the font (``session.font``), the
    photodiode patch (``session.photodiode``), the autopilot and the
    simulated participant (``session.participant_model``, drawn once), the
    row and the file.
    """

    iti_ms: float

    def intro_pages(self) -> list: ...

    def text(self, name: str, **fields) -> str: ...

    def describe(self) -> dict: ...

    def run_trial(self, trial) -> Any: ...

    def show_feedback(self, row: dict) -> None: ...


@runtime_checkable
class ParticipantModel(Protocol):
    """``attentionlab/simulation/<task>.py``: the simulated participant.

    ``Population`` is a dataclass of ``param()`` fields (``--set`` names)
    whose ``draw(rng, params)`` returns one participant; ``outcomes(params,
    model, trials, rng)`` returns one :class:`~attentionlab.core.outcome.
    Outcome` per trial (practice then test, as planned) with ``onset_s`` and
    ``end_s`` on the simulated session clock. The autopilot uses the same
    participant, drawn by the session, inside the presenter.
    """

    Population: type

    def outcomes(self, params, model, trials: list, rng) -> list: ...


@runtime_checkable
class TaskAnalysis(Protocol):
    """``attentionlab/analysis/<task>.py``: what the data mean. The full
    contract, with optional names and a worked example, is the docstring of
    :mod:`attentionlab.analysis.registry`."""

    TASK: str
    FACTORS: tuple
    REQUIRED_COLUMNS: tuple
    PARTICIPANT_COLUMNS: tuple
    GROUP_COLUMNS: tuple
    REFERENCES: tuple

    def participant_effects(self, test, *, used, settings=None): ...

    def group_results(self, participants, used, test, settings): ...

    def figures(self, participants, used) -> dict: ...

    def methods_paragraph(self, result) -> str: ...

    def headline(self, result) -> list: ...


@runtime_checkable
class ClassroomEntry(Protocol):
    """``attentionlab/classroom/<task>.py``: ``TEXTBOOK``, the task's
    :class:`~attentionlab.classroom.textbook.Textbook` entry (the student's
    own effect, the published value and its source, the words)."""

    TEXTBOOK: Any


CONTRACTS = {
    "definition": TaskDefinition,
    "presentation": TaskPresentation,
    "participant_model": ParticipantModel,
    "analysis": TaskAnalysis,
    "classroom": ClassroomEntry,
}
