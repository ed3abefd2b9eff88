"""The classroom view of each task: the personal effect, the textbook value, the words.

``attentionlab demo`` shows a student their own effect beside the published
one; ``attentionlab class-report`` pools a class. Both take everything
task-specific from one :class:`Textbook` entry per task in :data:`TEXTBOOK`:

* which effect a student is shown, computed from the task's own analysis
  (participants.csv and the checked test trials of
  :func:`attentionlab.analysis.pipeline.run_analysis`), in plain words;
* the published value with its source (author, year);
* a paragraph a teacher can project;
* how "showed the effect" is decided for one student;
* the parameter overrides of the short demo (about 2-4 minutes).

Each task's entry is ``TEXTBOOK`` in its own module
``attentionlab/classroom/<task>.py`` (the classroom contract of
:mod:`attentionlab.core.contracts`); :data:`TEXTBOOK` here maps every task of
:data:`attentionlab.tasks.TASKS` that has one to its entry. Adding a task to
the classroom is writing that module (the task must also have an analysis,
``attentionlab/analysis/<task>.py``). This module holds the
:class:`Textbook` dataclass and the helpers the entries share.

Two kinds of measure:

``"mean"``
    a number per student (ms, s, % of trials); the class gets the mean with
    a t-based 95% CI;
``"proportion"``
    a yes/no outcome per student (1/0: missed the unexpected object, heard
    their own name); the class gets the proportion with an exact
    (Clopper-Pearson) 95% CI.

>>> entry = TEXTBOOK["stroop"]
>>> entry.source
'von Bastian, Souza & Gade (2016)'
>>> entry.format(72.4)
'72 ms'
>>> TEXTBOOK["inattention"].format(0.75)
'75%'
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

KINDS = ("mean", "proportion")


@dataclass(frozen=True)
class Textbook:
    """One task's classroom entry (see the module docstring).

    ``values(participants, test)`` returns one row per participant x session
    with ``participant, session, value`` (in the display unit; 1/0 for a
    proportion), ``showed`` (1.0 showed the effect, 0.0 did not, NaN cannot
    tell) and any columns ``sentence`` and ``details`` use. ``published`` is
    ``(low, high)``: equal ends for a single published number, a range
    otherwise. ``demo_sets`` are ``--set NAME=VALUE`` items of
    ``attentionlab run`` for the short demo. ``contrast`` optionally names a
    column of ``values`` in the same unit that the effect is judged against
    (e.g. the feature-search slope), drawn beside the value in the figures
    and labelled ``contrast_label`` (the value: ``value_label``).
    ``class_note(students)`` may return a remark for the class page.
    ``outcome_words``: a yes/no outcome in words, for 1 and for 0.
    """

    task: str
    title: str
    menu_text: str
    minutes: str
    measure_text: str
    unit: str
    kind: str
    decimals: int
    published: tuple
    published_text: str
    source: str
    explanation: str
    showed_rule: str
    values: Callable
    sentence: Callable
    details: Callable = lambda row: []
    demo_sets: tuple = ()
    caveat: str = ""
    references: tuple = field(default_factory=tuple)
    value_label: str = ""
    contrast: str = ""
    contrast_label: str = ""
    class_note: Callable = lambda students: ""
    outcome_words: tuple = ("showed the effect", "did not show it")

    def number(self, value) -> str:
        """``value`` without its unit ('72', '18' for 18%, '75' for a proportion 0.75)."""
        if self.kind == "proportion":
            return f"{value * 100:.0f}"
        return f"{value:.{self.decimals}f}"

    def with_unit(self, number: str) -> str:
        """A formatted number with the unit ('72 ms', '18% of trials', '75%')."""
        if self.kind == "proportion":
            return f"{number}%"
        return f"{number}{'' if self.unit.startswith('%') else ' '}{self.unit}"

    def format(self, value) -> str:
        """``value`` in the display unit, as people read it ('72 ms', '18% of trials')."""
        if value is None or not np.isfinite(value):
            return "no value"
        return self.with_unit(self.number(value))

    def format_range(self, low, high) -> str:
        """Two values with the unit once ('62 to 103 ms')."""
        return self.with_unit(f"{self.number(low)} to {self.number(high)}")

    def published_label(self) -> str:
        """The published value or range, formatted ('65 ms', '10-30 ms per item')."""
        low, high = self.published
        if low == high:
            return self.format(low)
        whole = f"{low:g}-{high:g}" if self.kind == "mean" else \
            f"{low * 100:.0f}-{high * 100:.0f}"
        return self.with_unit(whole)


def showed_when(effect, decided):
    """A ``values`` table's ``showed`` column: 1.0 where ``effect`` is true,
    0.0 where it is false, NaN where ``decided`` is false (the student's data
    cannot tell). Both are boolean Series (or arrays) of one row per student.

    >>> import pandas as pd
    >>> value = pd.Series([80.0, -5.0, float("nan")])
    >>> showed_when(value > 0, value.notna()).tolist()
    [1.0, 0.0, nan]
    """
    return np.where(decided, np.asarray(effect).astype(float), np.nan)


def ms_text(value) -> str:
    """A time in ms for a student's sentence ('512 ms'; 'no value' for NaN)."""
    return "no value" if not np.isfinite(value) else f"{value:.0f} ms"


def seconds_text(value) -> str:
    """A search time in s ('4.7 s'; NaN: the change was not found in time)."""
    return "not found within the time limit" if not np.isfinite(value) else f"{value:.1f} s"


def percent_text(value) -> str:
    """A proportion as a percentage ('18%' for 0.18; 'no value' for NaN)."""
    return "no value" if not np.isfinite(value) else f"{value * 100:.0f}%"


class Entries(Mapping):
    """task -> :class:`Textbook`: the ``TEXTBOOK`` of each task in
    :data:`attentionlab.tasks.TASKS` that has a classroom module
    ``attentionlab/classroom/<task>.py``, in the order of ``TASKS``.

    The modules are imported on first use, not when this module is: each of
    them imports :class:`Textbook` from here. A task without a classroom
    module is simply not a key; :func:`get_entry` says so in words.
    """

    def __init__(self):
        self._entries = None

    def _load(self) -> dict:
        if self._entries is None:
            from attentionlab.tasks import TASKS, module_name, task_module

            entries = {}
            for task in TASKS:
                try:
                    module = task_module(task, "classroom")
                except ModuleNotFoundError as exc:
                    if exc.name != module_name(task, "classroom"):
                        raise  # the module exists but something it imports does not
                    continue
                entries[task] = module.TEXTBOOK
            self._entries = entries
        return self._entries

    def __getitem__(self, task: str) -> Textbook:
        return self._load()[task]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


TEXTBOOK = Entries()


def available() -> list:
    """Tasks with a classroom entry and an analysis, in menu order (every
    task of :data:`attentionlab.tasks.TASKS` has a presentation)."""
    from attentionlab.analysis.registry import ANALYSES

    return [task for task in TEXTBOOK if task in ANALYSES]


def get_entry(task: str) -> Textbook:
    """The classroom entry of ``task``; :class:`UsageError` saying why there
    is none (an unknown task, or no ``attentionlab/classroom/<task>.py``) and
    listing the tasks that have one."""
    from attentionlab.core.errors import UsageError
    from attentionlab.tasks import TASKS

    if task not in available():
        why = (f"it has no classroom entry (attentionlab/classroom/{task}.py)"
               if task in TASKS else "no such task")
        raise UsageError(f"task {task!r} has no classroom demo: {why}; available: "
                         f"{', '.join(available())}")
    return TEXTBOOK[task]
