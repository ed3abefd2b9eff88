"""The page's send queue (attentionlab/web/static/send_queue.js), run in Node
with a scripted server: a trial is kept until acknowledged, retried after a
lost connection or a server error, survives a reload (its storage), is
dropped only when refused for good, and nothing is sent twice after an
acknowledgement. Skipped without Node (the real-browser tests in
tests/web_browser/ cover the page in Chromium)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "attentionlab" / "web" / "static"

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="Node.js is not installed (needed to run the page's "
                                       "send queue outside a browser)")

# The harness: localStorage as a Map, fetch answering from a script of
# statuses (an exception for "down"), timers run at once (the backoff's
# pauses are not what is tested).
HARNESS = r"""
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
const script = SCRIPT;
const sent = [];
globalThis.fetch = async (url, init) => {
  const body = JSON.parse(init.body);
  const answer = script.length ? script.shift() : 200;
  sent.push([body.trial_index, answer]);
  if (answer === "down") throw new TypeError("Failed to fetch");
  const payload = answer === 200 ? {ok: true, duplicate: false} : {error: ERRORS[answer] || "x"};
  if (answer === 409 && EXPECTED !== null) payload.expected = EXPECTED;
  return {ok: answer === 200, status: answer, json: async () => payload};
};
globalThis.setTimeout = (fn) => Promise.resolve().then(fn);
console.error = () => {};
const {SendQueue} = await import(QUEUE);
const states = [];
let q = new SendQueue("k", (s) => states.push(s));
for (const [run, i] of ADD) q.add({run_id: run, trial_index: i});
await q.idle();
const left = JSON.parse(localStorage.getItem("k") || "[]").map((b) => b.trial_index);
// A reload: a new queue over the same storage sends what the last one kept.
let reloaded = [];
if (RELOAD) {
  const before = sent.length;
  q = new SendQueue("k", () => {});
  await q.idle();
  reloaded = sent.slice(before).map(([i]) => i);
}
console.log(JSON.stringify({sent, left, reloaded, stopped: q.stopped, broken: [...q.broken],
                            last: states[states.length - 1], sawPending: states.some((s) => s.pending)}));
"""

ERRORS = {400: "details x not allowed", 409: "trial 2 expected", 503: "busy",
          410: "the class is closed"}


def run_queue(script, add=(("r1", 1), ("r1", 2), ("r1", 3)), reload=False, closed=False,
              expected=None):
    errors = dict(ERRORS)
    if closed:
        errors[409] = "the class is closed"
    code = (HARNESS.replace("SCRIPT", json.dumps(script))
            .replace("ERRORS", json.dumps({str(k): v for k, v in errors.items()}))
            .replace("QUEUE", json.dumps((STATIC / "send_queue.js").as_uri()))
            .replace("ADD", json.dumps(list(add)))
            .replace("RELOAD", "true" if reload else "false")
            .replace("EXPECTED", json.dumps(expected)))
    done = subprocess.run(["node", "--input-type=module", "-e", code], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_trial_is_sent_in_order_once_when_the_server_answers():
    out = run_queue([])
    assert out["sent"] == [[1, 200], [2, 200], [3, 200]]
    assert out["left"] == [] and out["last"] == {"pending": 0, "error": ""}
    assert out["sawPending"]  # the page said "saving..." meanwhile


def test_a_lost_connection_and_a_busy_server_are_retried_until_acknowledged():
    out = run_queue(["down", "down", 503, 200, 409, 200, 200])
    assert [i for i, _ in out["sent"]] == [1, 1, 1, 1, 2, 2, 3]
    assert [i for i, a in out["sent"] if a == 200] == [1, 2, 3]
    assert out["left"] == []


def test_a_trial_refused_for_good_stops_its_run_and_other_runs_still_go():
    # the server takes a run's trials in order: after 2 is refused, 3 cannot go
    out = run_queue([200, 400, 200], add=(("r1", 1), ("r1", 2), ("r1", 3), ("r2", 1)))
    assert out["sent"] == [[1, 200], [2, 400], [1, 200]]
    assert out["left"] == [] and out["broken"] == ["r1"]
    assert "trial 2 was refused: details x not allowed" in out["last"]["error"]


def test_a_missing_earlier_trial_stops_the_run_instead_of_retrying_forever():
    out = run_queue([409], expected=1)
    assert out["sent"] == [[1, 409]]
    assert out["left"] == [] and out["broken"] == ["r1"]


def test_a_closed_class_stops_the_queue_and_keeps_the_trials():
    out = run_queue([200, 409], closed=True)
    assert out["stopped"] and out["left"] == [2, 3]
    assert out["last"]["error"] == "the class is closed"


def test_what_was_not_acknowledged_is_sent_after_a_reload():
    # the class closes after trial 1 (the queue stops), then a reload sends 2 and 3
    out = run_queue([200, 409, 200, 200], reload=True, closed=True)
    assert out["left"] == [2, 3]
    assert out["reloaded"] == [2, 3]
