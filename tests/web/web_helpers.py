"""Shared helpers of the server tests (tests/web/): a class store on a temporary
folder, a TestClient, a device, and a student who answers every trial."""

import contextlib
import csv
import types

from starlette.testclient import TestClient

from attentionlab.web import tasks as web_tasks
from attentionlab.web.class_store import ClassStore
from attentionlab.web.server import create_app

# A short stroop: 2 practice + 8 test trials.
SHORT = {"stroop": ["trials=8", "practice_trials=2"]}
DEVICE = {"user_agent": "TestBrowser/1.0", "screen_w": 1280, "screen_h": 800, "dpr": 1.0,
          "touch": False, "frame_rate_hz": 60.0, "input": "keys"}


def make_store(data_dir, tasks=("stroop",), modules=None, sets=SHORT, **kwargs):
    """A ClassStore serving ``tasks`` (web modules from the registry unless
    ``modules`` gives some) with the short settings."""
    modules = {**{t: web_tasks.get(t) for t in tasks}, **(modules or {})}
    params = {t: web_tasks.demo_params(t, sets.get(t, ())) for t in modules}
    return ClassStore(data_dir, modules, params, **kwargs)


@contextlib.contextmanager
def served(data_dir, url="http://testserver/"):
    """``(store, client)`` of a short-stroop class on ``data_dir``; the store
    is closed afterwards (as the server does at its end)."""
    store = make_store(data_dir)
    with client_for(store, url) as client:
        yield store, client
    store.close()


def rows_of(path):
    """A data file's rows, as dicts of strings."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def client_for(store, url="http://testserver/"):
    """A TestClient of the app (errors are answered, never raised into the test);
    the live report is rebuilt whenever rows arrived (no wait between builds)."""
    return TestClient(create_app(store, url, report_every_s=0), raise_server_exceptions=False)


def join(client, token=None):
    reply = client.post("/api/join", json={"student_token": token})
    assert reply.status_code == 200, reply.text
    return reply.json()


def start(client, token, task="stroop", autopilot=False, device=DEVICE):
    reply = client.post("/api/start", json={"student_token": token, "task": task,
                                            "device": device, "autopilot": autopilot})
    assert reply.status_code == 200, reply.text
    return reply.json()


def planned(client, token, run):
    """The run's planned trials (stimuli/<task>.make_plan's objects), from the server."""
    return client.app.state.store.run_for(token, run["run_id"]).trials


def trial_body(token, run, index, rt_ms=600.0, response="", trials=None):
    """A keys answer to trial ``index`` of a stroop ``run`` (from /api/start):
    ``response``, or with ``trials`` (:func:`planned`) the correct key."""
    if trials is not None and not response:
        response = trials[index - 1].correct_key
    return {"student_token": token, "run_id": run["run_id"], "trial_index": index,
            "outcome": {"onset_s": 1.0 + index, "response": response, "rt_ms": rt_ms,
                        "details": {}},
            "dropped_frames": 0}


def send(client, token, run, index, **kwargs):
    """A correct answer to trial ``index`` (unless ``response=`` says otherwise)."""
    body = trial_body(token, run, index, trials=planned(client, token, run), **kwargs)
    return client.post("/api/trial", json=body)


def answer_all(client, token, run, first=1):
    """Answer trials ``first``..n correctly; incongruent trials 80 ms slower
    (a Stroop effect)."""
    trials = planned(client, token, run)
    for index in range(first, run["n_trials"] + 1):
        slow = trials[index - 1].congruency == "incongruent"
        reply = send(client, token, run, index, rt_ms=640.0 + 80.0 * slow + index)
        assert reply.status_code == 200, reply.text


def once_stroop():
    """Stroop's web module, but allowed once per student (as inattention is)."""
    real = web_tasks.get("stroop")
    fake = types.ModuleType("once_stroop")
    fake.__dict__.update({k: v for k, v in vars(real).items() if not k.startswith("__")})
    fake.ONCE = True
    return fake


def files_under(folder):
    """Every path under ``folder`` (files and folders), relative, as strings."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
