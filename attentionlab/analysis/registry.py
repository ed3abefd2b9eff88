"""Task analyses by name, and the contract every task's analysis module meets.

``attentionlab analyze`` is one generic pipeline (read, check, clean, compute,
write, report: :mod:`~attentionlab.analysis.pipeline`); everything specific
to a task comes from that task's analysis module ``attentionlab/analysis/
<task>.py``, found by the task's name in :data:`attentionlab.tasks.TASKS`
(imported only when used, so a broken or slow module never affects the other
tasks). Shared pieces: :mod:`~attentionlab.analysis.trials` (the unit
participant x session, the test phase), :mod:`~attentionlab.analysis.
statistics` (tests, CIs, the references of the methods),
:mod:`~attentionlab.analysis.settings` (:class:`AnalysisSettings`).

The contract
------------
An analysis module declares, at module level:

``TASK``
    the task name, as on the command line and in the ``task`` column.
``FACTORS``
    tuple of :class:`Factor`: the columns that define the conditions. Every
    test row is checked: an empty value, a value not in ``levels`` or (for a
    ``numeric`` factor) not a number is a problem (file and line) and the
    row is skipped; numeric factors arrive as floats. RT trimming works
    within participant x session x all factors.
``REQUIRED_COLUMNS``
    our column names a ``--mapping`` must map (``participant``, the factors,
    the measures, e.g. ``rt_ms`` and ``correct``).
``PARTICIPANT_COLUMNS``, ``GROUP_COLUMNS``
    tuples of :class:`~attentionlab.core.columns.Column`: the columns of
    participants.csv and group.csv, in order, each documented in
    docs/analysis.md (a docs test checks it).
``REFERENCES``
    tuple of str: the works cited in the report.
``participant_effects(test, *, used, settings) -> DataFrame``
    ``test``: the checked test trials (our column names, ``session`` always
    present); ``used``: boolean Series on ``test.index``, True for the trials
    left after RT cleaning; ``settings``: the :class:`~attentionlab.analysis.
    settings.AnalysisSettings` (its task options, e.g. ``slopes_from``).
    Returns participants.csv (``PARTICIPANT_COLUMNS``); its first two columns
    are ``participant, session``. Called from scripts too, so give ``used``
    and ``settings`` the default ``None`` (``used=None``: clean here with
    ``settings.cleaning``, or use every trial for a task without RT
    cleaning; ``settings=None``: :func:`~attentionlab.analysis.settings.
    resolve` gives ``analyze``'s defaults).
``group_results(participants, used, test, settings) -> DataFrame``
    ``participants``: participants.csv without the excluded participant x
    sessions; ``used``: their cleaned trials (a DataFrame); ``test``: their
    test trials before cleaning (for accuracy statistics, e.g. miss rates);
    ``settings``: the AnalysisSettings (``seed``, ``n_splits``...). Returns
    group.csv (``GROUP_COLUMNS``); give it a ``test`` column naming the kind
    of row (``t_test``...), which the report uses to split it into tables.
    Every task has these two signatures, whatever it uses of them: the
    pipeline calls ``participant_effects(test, used=..., settings=...)`` and
    ``group_results(participants=..., used=..., test=..., settings=...)``.
``figures(participants, used) -> dict[str, matplotlib.figure.Figure]``
    file stem -> figure (all of participants.csv, all cleaned trials); use
    :mod:`~attentionlab.core.figures` helpers. No participant labels in
    figures (foreign labels may contain anything).
``methods_paragraph(result) -> str``
    the task's sentences of the methods paragraph (what was computed and the
    results), appended after the generic ones (data, N, cleaning,
    exclusions). ``result`` is the :class:`~attentionlab.analysis.pipeline.
    AnalysisResult`; :mod:`~attentionlab.analysis.statistics` formats p and BF.
``headline(result) -> list[str]``
    the lines ``attentionlab analyze`` prints after "Analysed N trials..."
    (the effect a user came for).

and may declare (defaults in brackets):

``TITLE``
    report title [``"<task> analysis"``];
``READ_COLUMNS``
    further columns of ours to read from our session files, beyond the
    common ones and the factors [``()``];
``RT_CLEANING``
    ``False`` for tasks whose measures are not response times (errors and RT
    bounds then do not remove anything; ``used`` is every test trial) [True];
``ACCURACY_CHECK``
    ``False`` when ``correct`` is not an accuracy measure for the task (e.g.
    dichotic recognition, where answers about the ignored ear are low by
    design): the data-quality section then flags no low accuracy [True];
``FIGURE_CAPTIONS``
    figure stem -> caption in the report [the stem];
``report_tables(group) -> list[Table]``
    the group tables of the report [one :class:`Table` per value of
    ``group["test"]``, empty columns left out];
``notices(result) -> list[str]``
    plain-language notes printed after the headline and shown under "Notes"
    near the top of the report: what needs more participants (one
    participant: no test across participants), what could not be computed
    because a condition has no trials [one generic line when only one
    participant is analysed]; the pipeline adds its own (e.g. which run of a
    repeated session was used). :mod:`~attentionlab.analysis.notices` has
    helpers;
``add_measures(test, sessions) -> DataFrame``
    measures computed from files beside the data, added as columns to the
    checked test rows before ``participant_effects`` (``sessions``: the
    reader's one row per file, with its path in ``file``); e.g. the dichotic
    analysis scores the shadowing recordings [none];
``OPTIONS``
    tuple of the task-specific :class:`~attentionlab.analysis.settings.
    AnalysisSettings` fields the analysis understands (:data:`TASK_OPTIONS`:
    ``slopes_from`` = ``analyze --slopes-from``, ``by`` = ``analyze --by``);
    its functions read them from ``settings``. With ``by``, the pipeline
    reads that column (from our files, or a mapping's ``[factors]``), checks
    it like a factor (empty rows reported and skipped) and trims RTs within
    its levels too. A task without an option refuses it (one-line error) [()].

A minimal worked example (a task ``demo`` with one factor ``side`` and the
mean RT per side)::

    # attentionlab/analysis/demo.py
    import pandas as pd
    from attentionlab.analysis.registry import Factor
    from attentionlab.core.columns import Column

    TASK = "demo"
    FACTORS = (Factor("side", levels=("left", "right")),)
    REQUIRED_COLUMNS = ("participant", "side", "rt_ms", "correct")
    PARTICIPANT_COLUMNS = (Column("participant", "str", "participant label"),
                           Column("session", "str", "session label"),
                           Column("rt_left_ms", "float", "mean RT, left, ms"),
                           Column("rt_right_ms", "float", "mean RT, right, ms"))
    GROUP_COLUMNS = (Column("test", "str", "kind of row"),
                     Column("measure", "str", "participants.csv column"),
                     Column("mean", "float", "mean over participants"))
    REFERENCES = ()

    def participant_effects(test, *, used=None, settings=None):
        used = pd.Series(True, index=test.index) if used is None else used
        rt = test[used].groupby(["participant", "session", "side"])["rt_ms"].mean()
        wide = rt.unstack("side").reindex(columns=["left", "right"])
        return wide.add_prefix("rt_").add_suffix("_ms").reset_index()

    def group_results(participants, used, test, settings):
        return pd.DataFrame({"test": "mean", "measure": ["rt_left_ms", "rt_right_ms"],
                             "mean": [participants["rt_left_ms"].mean(),
                                      participants["rt_right_ms"].mean()]})

    def figures(participants, used):
        return {}

    def methods_paragraph(result):
        return "Mean RTs were computed per side."

    def headline(result):
        return [f"{len(result.participants)} participant x session(s)"]

and its line in :data:`attentionlab.tasks.TASKS`: ``"demo",`` (the tests put
it in :data:`ANALYSES` directly).
Then ``attentionlab analyze data/ --task demo --out results`` works, our files
and ``--mapping`` files alike. See ``stroop.py`` and ``search.py`` for full ones.

>>> {"stroop", "search"} <= set(ANALYSES)
True
>>> get_analysis("stroop").factor_names
('congruency',)
"""

import importlib
from dataclasses import dataclass

import pandas as pd

from attentionlab.analysis.trials import only_test_phase, with_session
from attentionlab.core.errors import UsageError
from attentionlab.tasks import TASKS, module_name

# Task name -> its analysis module (attentionlab/analysis/<task>.py, imported
# on first use); the list of tasks is attentionlab.tasks.TASKS.
ANALYSES = {task: module_name(task, "analysis") for task in TASKS}

# Task-specific analysis options (AnalysisSettings field -> its command-line
# option and its default); a task accepts those named in its OPTIONS.
TASK_OPTIONS = {"slopes_from": ("--slopes-from", "means"), "by": ("--by", None)}

REQUIRED_ATTRIBUTES = ("TASK", "FACTORS", "REQUIRED_COLUMNS", "PARTICIPANT_COLUMNS",
                       "GROUP_COLUMNS", "REFERENCES", "participant_effects",
                       "group_results", "figures", "methods_paragraph", "headline")


@dataclass(frozen=True)
class Factor:
    """A column that defines conditions.

    ``levels``: the allowed values (``None``: any non-empty label, e.g. the
    display types of another lab's search task). ``numeric``: values must be
    numbers; they are converted to float (and ``levels``, if given, are
    numbers too).

    >>> Factor("target_present", levels=(0, 1), numeric=True).describe()
    'target_present (0, 1)'
    """

    name: str
    levels: tuple | None = None
    numeric: bool = False

    def describe(self) -> str:
        if self.levels is not None:
            return f"{self.name} ({', '.join(map(str, self.levels))})"
        return f"{self.name} ({'a number' if self.numeric else 'any label'})"


@dataclass(frozen=True)
class Table:
    """A table of the report: a title and a DataFrame. ``digits``: column ->
    decimals (default: 3 significant digits; columns named ``p``, ``p_*`` or
    ``*_p`` are shown as p values, ``bf10`` as a Bayes factor)."""

    title: str
    frame: pd.DataFrame
    digits: dict | None = None


def test_rows(data: pd.DataFrame, used, required, what: str):
    """The common start of a ``participant_effects``: check the ``required``
    columns (UsageError naming ``what``, e.g. "Stroop data"), keep ``phase ==
    'test'`` rows (and the matching part of ``used``), add session '1' when
    the data have no session column. Returns ``(data, used)``."""
    missing = [c for c in required if c not in data]
    if missing:
        raise UsageError(f"{what} need the column(s) {', '.join(missing)}; "
                         f"got {', '.join(map(str, data.columns))}")
    data, used = only_test_phase(data, used)
    return with_session(data), used


test_rows.__test__ = False  # a helper, not a pytest test (its name starts with "test")


def pick_rows(group: pd.DataFrame, tests, columns) -> pd.DataFrame:
    """Rows of ``group`` whose ``test`` is in ``tests``, with ``columns`` (and
    the ``test`` column itself when several tests share the table)."""
    rows = group[group["test"].isin(tests)]
    return rows[["test", *columns]] if len(tests) > 1 else rows[columns]


def group_row(group: pd.DataFrame, test: str, measure: str):
    """The first row of ``group`` with this ``test`` and ``measure`` (a
    Series), or None: for the words of a methods paragraph or headline."""
    rows = group[(group["test"] == test) & (group["measure"] == measure)]
    return rows.iloc[0] if len(rows) else None


def titled_tables(group: pd.DataFrame, titles: dict) -> list:
    """One :class:`Table` per ``test`` value of ``titles`` (test -> title, in
    that order) that has rows in ``group``, without the ``test`` column and
    the columns empty in every row; a test not in ``titles`` is left out."""
    tables = []
    for test, title in titles.items():
        rows = group[group["test"] == test].drop(columns="test").dropna(axis=1, how="all")
        if len(rows):
            tables.append(Table(title, rows.reset_index(drop=True)))
    return tables


class TaskAnalysis:
    """A registered analysis module with the contract's defaults filled in."""

    def __init__(self, module):
        missing = [a for a in REQUIRED_ATTRIBUTES if not hasattr(module, a)]
        if missing:
            raise TypeError(f"{module.__name__} does not meet the analysis contract "
                            f"(attentionlab/analysis/registry.py): missing "
                            f"{', '.join(missing)}")
        self.module = module
        self.task = module.TASK
        self.factors = tuple(module.FACTORS)
        self.factor_names = tuple(f.name for f in self.factors)
        self.required_columns = tuple(module.REQUIRED_COLUMNS)
        self.participant_columns = tuple(module.PARTICIPANT_COLUMNS)
        self.group_columns = tuple(module.GROUP_COLUMNS)
        self.references = tuple(module.REFERENCES)
        self.title = getattr(module, "TITLE", f"{self.task} analysis")
        self.read_columns = tuple(getattr(module, "READ_COLUMNS", ()))
        self.rt_cleaning = bool(getattr(module, "RT_CLEANING", True))
        self.accuracy_check = bool(getattr(module, "ACCURACY_CHECK", True))
        self.figure_captions = dict(getattr(module, "FIGURE_CAPTIONS", {}))
        self.add_measures = getattr(module, "add_measures", None)
        self.notices = getattr(module, "notices", None)
        self.options = tuple(getattr(module, "OPTIONS", ()))
        self.participant_effects = module.participant_effects
        self.group_results = module.group_results
        self.figures = module.figures
        self.methods_paragraph = module.methods_paragraph
        self.headline = module.headline

    @property
    def our_columns(self) -> tuple:
        """Our task-specific column names the analysis reads."""
        return tuple(dict.fromkeys(self.factor_names + self.read_columns))

    def report_tables(self, group: pd.DataFrame) -> list:
        if hasattr(self.module, "report_tables"):
            return list(self.module.report_tables(group))
        if "test" not in group or group.empty:
            return [Table("Group results", group)] if len(group) else []
        return [Table(str(test), rows.drop(columns="test").dropna(axis=1, how="all"))
                for test, rows in group.groupby("test", sort=False)]


_loaded: dict = {}


def get_analysis(task: str) -> TaskAnalysis:
    """The analysis of ``task``; :class:`UsageError` listing the tasks that
    have one when it has none."""
    if task not in ANALYSES:
        raise UsageError(f"task {task!r} has no analysis yet; available: "
                         f"{', '.join(ANALYSES)}")
    if task not in _loaded:
        _loaded[task] = TaskAnalysis(importlib.import_module(ANALYSES[task]))
    return _loaded[task]
