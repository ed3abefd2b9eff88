"""Stroop simulation: the population model and whole simulated sessions.

The model itself (ex-Gaussian RTs shifted by condition) is in
:mod:`attentionlab.analysis.simulate`; this module adapts it to the
simulation registry: ``Population`` and ``session_rows``.
"""

import datetime
import random

import numpy as np

from attentionlab.analysis.simulate import SIMULATED_START as START
from attentionlab.analysis.simulate import StroopModel, StroopPopulation
from attentionlab.stimuli import stroop

Population = StroopPopulation


def session_rows(params: stroop.StroopParams, model: StroopModel, participant: str,
                        session: str, run: int, seed: int, rng: np.random.Generator) -> list:
    """The rows a real session of this participant would have written."""
    trial_rng = random.Random(seed)
    mapping = stroop.colour_to_key(params, participant)
    trials = (stroop.make_trials(params, trial_rng, phase="practice", mapping=mapping)
              + stroop.make_trials(params, trial_rng, phase="test", mapping=mapping))
    colours, rts = model.respond([t.congruency for t in trials], [t.ink for t in trials], rng)
    key_of = mapping
    rows, clock = [], 2.0
    for index, (trial, colour, rt) in enumerate(zip(trials, colours, rts), start=1):
        clock += params.fixation_ms / 1000
        onset = clock
        answered = bool(colour)
        clock += (rt if answered else params.deadline_ms) / 1000 + params.iti_ms / 1000
        rows.append({
            "participant": participant, "session": session, "task": stroop.TASK, "run": run,
            "trial_index": index, **trial.row(), "onset_s": round(onset, 4),
            "response": key_of[colour] if answered else "",
            "rt_ms": float(rt) if answered else None,
            "correct": int(answered and colour == trial.ink),
            "response_colour": colour if answered else "",
            "dropped_frames": 0, "simulated": 1,
            "timestamp": (START + datetime.timedelta(seconds=clock)).isoformat(
                timespec="milliseconds"),
        })
    return rows
