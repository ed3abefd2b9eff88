"""Microphone recordings saved per trial: their data columns and file names.

Declared once for every task that records the participant's voice (Stroop's
vocal mode; the same meaning as dichotic's columns of the same names). The
WAV of trial ``i`` sits next to the data file and shares its stem:

>>> from pathlib import Path
>>> recording_path(Path("d/sub-P1_ses-1_task-stroop_run-1_beh.csv"), 7).name
'sub-P1_ses-1_task-stroop_run-1_rec-7.wav'
"""

from pathlib import Path

from attentionlab.core.columns import Column

RECORDING_COLUMNS: tuple[Column, ...] = (
    Column("recording_file", "str", "the WAV recorded from the microphone during this "
           "trial, next to the data file (..._rec-<trial_index>.wav); empty when none"),
    Column("recording_offset_ms", "float", "where the stimulus onset is in the recording, "
           "ms from the recording's first sample (onset minus recording start, both on "
           "the session clock)"),
)


def recording_path(csv_path: Path, trial_index: int) -> Path:
    """The WAV file of trial ``trial_index`` of the session whose data file is ``csv_path``."""
    csv_path = Path(csv_path)
    stem = csv_path.stem.removesuffix("_beh")
    return csv_path.parent / f"{stem}_rec-{trial_index}.wav"
