"""The one place a data row is assembled, for real and simulated sessions alike.

>>> from attentionlab.core.outcome import Outcome
>>> class T:
...     phase, block = "test", 1
...     def row(self):
...         return {"block": 1, "phase": "test", "word": "RED"}
>>> facts = SessionFacts("P1", "1", "stroop", run=1, simulated=0)
>>> row = build_row(facts, T(), Outcome(1.25, "d", 640.0), {"correct": 1},
...                 trial_index=3, dropped_frames=0, timestamp="2026-01-01T09:00:00.000+00:00")
>>> row["trial_index"], row["word"], row["rt_ms"], row["correct"]
(3, 'RED', 640.0, 1)
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SessionFacts:
    """What every row of one session repeats."""

    participant: str
    session: str
    task: str
    run: int
    simulated: int


def build_row(facts: SessionFacts, trial, outcome, scored: dict, *, trial_index: int,
              dropped_frames: int, timestamp: str) -> dict:
    """One data row: the session's facts, the trial's own columns
    (``trial.row()``), what was recorded (onset, response, RT), the task's
    scoring of it (``scored``, from the definition's ``score``), the frame
    count and the time stamp. Keys follow the data file's column order where
    the header has them (the writer orders by header)."""
    return {
        "participant": facts.participant, "session": facts.session, "task": facts.task,
        "run": facts.run, "trial_index": trial_index, **trial.row(),
        "onset_s": outcome.onset_s, "response": outcome.response, "rt_ms": outcome.rt_ms,
        **scored,
        "dropped_frames": dropped_frames, "simulated": facts.simulated,
        "timestamp": timestamp,
    }
