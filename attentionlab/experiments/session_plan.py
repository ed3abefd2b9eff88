"""What a session will be, said before it starts: trial counts and duration.

``attentionlab run`` prints this before anything opens, so that a research
assistant sees that ``--trials 24`` became 48 (a balanced design) and how
long to book the room for.

The duration is an estimate: the task's own simulated participant
(:mod:`attentionlab.simulation.stroop`), made typical (every
between-participant spread set to zero), goes through the same trial list on
the task's timing parameters (fixation, deadline, feedback, inter-trial
interval ...). Self-paced screens (instructions, breaks) are not counted.

>>> from attentionlab.stimuli.stroop import StroopParams
>>> rounding_note("stroop", StroopParams(trials=24), 36, "--trials 24")
'--trials 24 rounded up to 36: the design needs multiples of 36'
"""

import dataclasses
import datetime
import re

import numpy as np

from attentionlab.core.trial_row import SessionFacts
from attentionlab.simulation.registry import SIMULATED_START, population_for
from attentionlab.simulation.sessions import session_rows
from attentionlab.stimuli.registry import get_task

# Names of a population's between-participant spreads (interference_sd_ms,
# error_sd, speed_sd, ...): zero for a typical participant.
_SPREAD = re.compile(r"(^|_)sd(_|$)")


def rounding_note(task: str, params, n_test: int, asked: str | None) -> str:
    """A line saying how the requested ``params.trials`` became ``n_test``
    test trials, or ``''`` when they are the same.

    ``asked`` is how the user gave the number (``'--trials 24'``,
    ``'trials=24'``), None when they did not (then no note). Tasks that round
    declare ``balanced_trial_count`` (or ``trial_count``) in their stimuli
    module; for the others the parameter's own meaning is quoted (e.g.
    dichotic ``trials`` counts messages).
    """
    if asked is None or n_test == params.trials:
        return ""
    module = get_task(task)
    rounding = (getattr(module, "balanced_trial_count", None)
                or getattr(module, "trial_count", None))
    if rounding is not None and rounding(params, params.trials) == n_test:
        unit = rounding(params, 1)
        return f"{asked} rounded up to {n_test}: the design needs multiples of {unit}"
    doc = next(f.metadata.get("doc", "") for f in dataclasses.fields(params)
               if f.name == "trials")
    return f"{asked} ({doc.split(' (')[0]}) makes {n_test} test trials"


def estimate_seconds(task: str, params, participant: str, seed: int,
                     population=None) -> dict:
    """Expected length in seconds of each phase (``{'practice': s, 'test': s}``),
    without self-paced screens (an estimate; see the module doc).
    ``population``: the autopilot's, else the task's default simulated one."""
    population = population if population is not None else population_for(task)()
    typical = dataclasses.replace(population, **{
        f.name: 0 for f in dataclasses.fields(population) if _SPREAD.search(f.name)})
    rng = np.random.default_rng(seed)
    model = typical.draw(rng, params)
    rows = session_rows(task, params, model, SessionFacts(participant, "1", task, 1, 1), seed, rng)
    seconds, previous_end = {"practice": 0.0, "test": 0.0}, SIMULATED_START
    for row in rows:
        end = datetime.datetime.fromisoformat(row["timestamp"])
        seconds[row["phase"]] = seconds.get(row["phase"], 0.0) + (
            end - previous_end).total_seconds()
        previous_end = end
    return seconds


def describe_minutes(seconds: float) -> str:
    """``'about 12 min'``, ``'under a minute'``.

    >>> describe_minutes(690), describe_minutes(20)
    ('about 12 min', 'under a minute')
    """
    if seconds < 60:
        return "under a minute"
    return f"about {round(seconds / 60)} min"


def plan_lines(task: str, params, prepared, participant: str, seed: int, *,
               asked: str | None = None, skip_intro: bool = False, population=None) -> list[str]:
    """The lines ``run`` prints before the session: counts, duration, and
    any rounding of the requested number of trials. ``skip_intro``: the
    practice is skipped (``run --skip-intro``)."""
    n_test = len(prepared.trials["test"])
    n_practice = 0 if skip_intro else len(prepared.trials.get("practice", []))
    practice = f" and {n_practice} practice trials" if n_practice else ", no practice"
    phases = estimate_seconds(task, params, participant, seed, population)
    seconds = phases["test"] + (phases["practice"] if n_practice else 0.0)
    lines = [f"Plan: {n_test} test trials{practice}; {describe_minutes(seconds)} "
             f"(an estimate from the timing parameters and typical response times; "
             f"instructions and breaks not counted)."]
    note = rounding_note(task, params, n_test, asked)
    if note:
        lines.append(f"Note: {note}.")
    return lines
