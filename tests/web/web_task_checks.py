"""Checks every browser task module (attentionlab/web/tasks/<task>.py) meets,
used by tests/web/test_web_task_<task>.py.

* ``display()`` is JSON and complete: the same keys for every trial of a
  phase, nothing that JSON cannot carry;
* a row built from what the browser sends equals ``build_row`` for the
  simulated participant's Outcome it was made from: the browser path and the
  simulated path are scored and assembled by the same code and give the same
  row (``payload_from`` turns a simulated Outcome into the payload the page
  sends for it, as the autopilot's page does).
"""

import importlib
import json

import numpy as np

from attentionlab.core.trial_row import SessionFacts, build_row
from attentionlab.web import validation
from attentionlab.web.tasks import demo_params, get

STAMP = "2026-12-03T09:00:00.000+00:00"


def plan(task, participant="S1234", seed=11, sets=()):
    """The demo's params and its planned trials (practice then test)."""
    params = demo_params(task, sets)
    definition = importlib.import_module(f"attentionlab.stimuli.{task}")
    trials = definition.make_plan(params, participant, seed)
    return params, trials["practice"] + trials["test"]


def check_display_json(task, participant="S1234", seed=11):
    """Every trial's display is JSON (round-trips unchanged) with the keys of
    its phase's first trial. Returns the displays."""
    module = get(task)
    params, trials = plan(task, participant, seed)
    keys, out = {}, []
    for trial in trials:
        shown = module.display(trial, params)
        assert json.loads(json.dumps(shown, allow_nan=False)) == shown
        keys.setdefault(trial.phase, set(shown))
        assert set(shown) == keys[trial.phase], trial
        out.append(shown)
    return out


def simulated(task, participant="S1234", seed=11, sets=()):
    """(params, trials, Outcomes of a simulated participant) for the demo."""
    params, trials = plan(task, participant, seed, sets)
    model_module = importlib.import_module(f"attentionlab.simulation.{task}")
    rng = np.random.default_rng(seed)
    model = model_module.Population().draw(rng, params)
    return params, trials, model_module.outcomes(params, model, trials, rng)


def check_rows_equal(task, payload_from, input="keys", participant="S1234", seeds=(1, 2, 3)):
    """For simulated sessions: the server's path (payload checked by the
    server's validation and the task's ``outcome``, scored, ``build_row``)
    gives the row the simulated Outcome gives. Returns the number of rows."""
    module = get(task)
    definition = importlib.import_module(f"attentionlab.stimuli.{task}")
    facts = SessionFacts(participant, "1", task, run=1, simulated=1)
    n = 0
    for seed in seeds:
        params, trials, outcomes = simulated(task, participant, seed)
        for index, (trial, sim) in enumerate(zip(trials, outcomes), start=1):
            payload = json.loads(json.dumps(payload_from(sim, trial, params)))
            payload = validation.check_object(payload, validation.OUTCOME, "outcome")
            payload["details"] = validation.check_details(payload["details"],
                                                          module.DETAIL_FIELDS)
            browser = module.outcome(trial, payload, input, params)
            rows = [build_row(facts, trial, o, definition.score(trial, o), trial_index=index,
                              dropped_frames=0, timestamp=STAMP) for o in (browser, sim)]
            assert rows[0] == rows[1], (seed, index)
            n += 1
    return n


def good_payload(task, payload_from, index=0, seed=1):
    """(module, trial, params, payload) of one simulated trial, for tests of
    what ``outcome`` refuses."""
    params, trials, outcomes = simulated(task, seed=seed)
    payload = json.loads(json.dumps(payload_from(outcomes[index], trials[index], params)))
    return get(task), trials[index], params, payload
