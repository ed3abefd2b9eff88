"""What one trial produced, before anyone says what it means.

A presenter (a real session) and a participant model (data-only simulation)
both return an :class:`Outcome` per trial; the task's definition
(``stimuli/<task>.py``, ``score(trial, outcome)``) alone turns it into the
task's response columns, and :func:`attentionlab.core.trial_row.build_row`
makes the data row. So a real and a simulated row are filled by the same
code, by construction.

>>> Outcome(onset_s=2.5, response="d", rt_ms=612.0).answered
True
"""

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One trial's raw result.

    ``onset_s``: the stimulus-onset flip, seconds since the session clock
    started (simulation: on the simulated clock). ``response``: what was
    recorded, as the ``response`` column holds it (a key name; '' for none).
    ``rt_ms``: ms from onset, None when there was no response. ``details``:
    further raw facts the task's ``score`` needs or passes on (a click
    position, the colour a key stands for, a recording's file name), keyed by
    the column names they end up in where they are columns. ``end_s``: when
    the trial ended on the simulated clock (data-only simulation; a real
    session stamps the wall clock). ``autopilot``: what the autopilot planned
    and injected (goes to the sidecar, never to a column).
    """

    onset_s: float | None
    response: str = ""
    rt_ms: float | None = None
    details: dict = field(default_factory=dict)
    end_s: float | None = None
    autopilot: dict | None = None

    @property
    def answered(self) -> bool:
        return self.rt_ms is not None
