"""Data columns: declared once, with their type, unit and meaning.

Every task writes :data:`COMMON_COLUMNS` followed by its own columns. The
declarations are the single source for the CSV header, the BIDS sidecar
descriptions and the documentation tests (every column must be documented
in docs/data-format.md or the task's page).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One data column: ``name`` (snake_case, unit in the name), ``kind``
    (``str``, ``int``, ``float``, ``bool01``), and a one-line ``doc``."""

    name: str
    kind: str
    doc: str


COMMON_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label (letters and digits)"),
    Column("session", "str", "session label (letters and digits)"),
    Column("task", "str", "task name, as on the command line (e.g. stroop)"),
    Column("run", "int", "run number: the n-th file for this participant, session and task"),
    Column("block", "int", "block number within the phase, from 1"),
    Column("trial_index", "int", "trial number within the session (practice and test), from 1"),
    Column("phase", "str", "practice or test"),
    Column("onset_s", "float",
           "time of the stimulus-onset flip, seconds since the session clock started"),
    Column("response", "str", "the key pressed (PsychoPy key name); empty when none"),
    Column("rt_ms", "float",
           "response time in ms from the stimulus-onset flip; empty when no response"),
    Column("correct", "bool01", "1 correct, 0 wrong or no response; empty when not applicable"),
    Column("dropped_frames", "int", "frames that came late during this trial"),
    Column("simulated", "bool01", "1 when the autopilot or the simulator responded, else 0"),
    Column("timestamp", "str", "wall-clock time the trial ended, ISO 8601 with UTC offset"),
)


def column_names(task_columns: tuple[Column, ...]) -> list[str]:
    """The full header of a task's data file: common columns, then the task's.

    >>> column_names(())[:3]
    ['participant', 'session', 'task']
    """
    return [c.name for c in COMMON_COLUMNS + tuple(task_columns)]
