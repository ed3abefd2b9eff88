"""What decides an analysis: :class:`AnalysisSettings` (recorded in the report).

Its own module so that every task's analysis functions can take it (registry
contract: ``participant_effects(test, *, used, settings)``,
``group_results(participants, used, test, settings)``) without importing the
pipeline.

>>> AnalysisSettings().cleaning.min_rt_ms
200.0
>>> resolve(None).slopes_from
'means'
"""

from dataclasses import dataclass

from attentionlab.analysis.cleaning import CleaningSettings


@dataclass(frozen=True)
class AnalysisSettings:
    """Everything that decides the result (recorded in the report)."""

    cleaning: CleaningSettings = CleaningSettings()
    task: str | None = None
    mapping: str | None = None
    min_accuracy: float | None = None  # exclude participant x sessions below this
    n_splits: int | None = None  # None: automatic (see reliability.auto_splits)
    seed: int = 1
    # Task-specific options (registry TASK_OPTIONS; only tasks whose OPTIONS
    # name them accept them): search slopes from set-size "means" or single
    # "trials"; an extra factor column for the search cells.
    slopes_from: str = "means"
    by: str | None = None


def resolve(settings: AnalysisSettings | None) -> AnalysisSettings:
    """``settings``, or the defaults of ``attentionlab analyze`` when None
    (a task's analysis functions called from a script)."""
    return AnalysisSettings() if settings is None else settings
