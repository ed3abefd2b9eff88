"""Helpers for the analysis tests (a plain module, not conftest.py, so that its
name cannot clash with the other test folders' helpers): session files written by the real writer
(core.datafile), and the location of the other labs' data beside the repo."""

import subprocess
import sys
from pathlib import Path

from attentionlab.core.columns import column_names
from attentionlab.core.datafile import SessionFiles, write_sidecar
from attentionlab.stimuli import stroop

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "data" / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HEADER = column_names(stroop.COLUMNS)


def stroop_row(participant, session, i, congruency, rt_ms, correct=1, phase="test", **extra):
    """One row of our Stroop format (the columns a session writes)."""
    ink = ("red", "green", "blue", "yellow")[i % 4]
    row = {"participant": participant, "session": session, "task": "stroop", "run": 1,
           "block": 1, "trial_index": i + 1, "phase": phase, "onset_s": 1.0 + 2 * i,
           "response": "d" if rt_ms is not None else "", "rt_ms": rt_ms, "correct": correct,
           "dropped_frames": 0, "simulated": 0, "timestamp": "2025-01-01T10:00:00+00:00",
           "word": "RED", "ink": ink, "congruency": congruency, "word_colour": "red",
           "correct_key": "d", "response_colour": "red" if rt_ms is not None else "",
           "lang": "en"}
    row.update(extra)
    return row


def write_session(folder, participant, session, rows, *, completed=True, sidecar=True,
                  dropped_frames_total=0, simulated=False):
    """Write rows with the project's own writer; return the CSV path."""
    files = SessionFiles.create(folder, participant, session, "stroop", HEADER)
    for row in rows:
        files.append_row(row)
    files.close()
    if sidecar:
        write_sidecar(files.sidecar_path, {
            "task": "stroop", "participant": participant, "session": session,
            "completed": completed, "trials_planned": len(rows), "trials_done": len(rows),
            "abort_reason": None if completed else "escape", "params": {},
            "simulated": simulated, "timing": {"dropped_frames_total": dropped_frames_total}})
    return files.csv_path


def simple_rows(participant, session="1", congruent=(500, 520), incongruent=(580, 600),
                neutral=(510, 530)):
    """Correct test trials with the given RTs per condition."""
    rows = []
    for cond, rts in (("congruent", congruent), ("incongruent", incongruent),
                      ("neutral", neutral)):
        for rt in rts:
            rows.append(stroop_row(participant, session, len(rows), cond, float(rt)))
    return rows


def run_analysis_cli(*args, cwd=None):
    """``attentionlab ARGS`` (the real command line) in a subprocess."""
    return subprocess.run([sys.executable, "-m", "attentionlab.experiments.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=cwd)
