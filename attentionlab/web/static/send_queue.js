// Trials on their way to the server: each trial is queued as it ends, kept
// in localStorage (so a reload or a closed tab loses nothing the page
// recorded) and sent in order until the server acknowledges it. A send that
// fails is retried with a growing pause (0.5 s doubling to 10 s); the server
// is idempotent on (run_id, trial_index), so a retry after a lost answer is
// acknowledged without a second row.
//
//   const q = new SendQueue("attentionlab.queue.<token>", onState);
//   q.add({student_token, run_id, trial_index, outcome, dropped_frames});
//   await q.idle();          // everything acknowledged (e.g. before /api/finish)
//
// onState({pending, error}) is called on every change: the page shows
// "saving..." while trials are pending and says why when the server refuses one.

const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 10000;

export class SendQueue {
  constructor(storageKey, onState = () => {}) {
    this.key = storageKey;
    this.onState = onState;
    this.items = this.load();
    this.sending = false;
    this.waiters = [];
    this.error = "";
    this.refused = "";
    this.broken = new Set();  // run_ids whose trials the server refused for good
    this.stopped = false;
    this.changed();
    this.pump();
  }

  load() {
    try {
      const items = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (err) {
      return [];
    }
  }

  save() {
    if (this.items.length) localStorage.setItem(this.key, JSON.stringify(this.items));
    else localStorage.removeItem(this.key);
  }

  get pending() {
    return this.items.length;
  }

  add(body) {
    this.items.push(body);
    this.save();
    this.changed();
    this.pump();
  }

  // Resolves when nothing is pending (at once when the queue is empty), or
  // when the class was closed (this.stopped; what is left cannot be saved).
  idle() {
    if (!this.items.length || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  changed() {
    // A refused trial stays said (it is lost; the teacher should hear of it).
    this.onState({pending: this.items.length, error: this.error || this.refused});
    if (!this.items.length || this.stopped) {
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  async pump() {
    if (this.sending || this.stopped) return;
    this.sending = true;
    let pause = FIRST_PAUSE_MS;
    while (this.items.length && !this.stopped) {
      const body = this.items[0];
      const verdict = await this.send(body);
      if (verdict === "done") {
        this.items.shift();
        this.save();
        this.error = "";
        pause = FIRST_PAUSE_MS;
        this.changed();
        continue;
      }
      if (verdict === "drop") {
        // Refused for good (the page sent something the server cannot take, or
        // the run ended): retrying cannot help, and the server takes a run's
        // trials only in order, so the rest of that run cannot go either. The
        // page stops that run (app.js); other runs' trials still go.
        this.broken.add(body.run_id);
        this.items = this.items.filter((item) => item.run_id !== body.run_id);
        this.save();
        this.changed();
        continue;
      }
      this.changed();
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
    this.sending = false;
  }

  // "done" (acknowledged, also as a duplicate), "retry" (network, server
  // busy) or "drop" (refused for good).
  async send(body) {
    let response;
    try {
      response = await fetch("/api/trial", {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body),
      });
    } catch (err) {
      this.error = "no connection to the class server; retrying";
      return "retry";
    }
    let answer = {};
    try {
      answer = await response.json();
    } catch (err) {
      answer = {};
    }
    if (response.ok) return "done";
    const why = answer.error || `status ${response.status}`;
    if (response.status === 409 && /closed/i.test(why)) {
      this.error = why;
      this.stopped = true;
      this.changed();
      return "retry";
    }
    // 409 with "expected": an earlier trial of the run is missing on the server,
    // and the queue sends in order, so it will never come; "has ended": the run
    // is over. Any other 409 (busy), 429 and 5xx: try again.
    const never = response.status === 409 && (Number.isInteger(answer.expected) ||
                                              /has ended/i.test(why));
    if (!never && (response.status === 409 || response.status === 429 ||
                   response.status >= 500)) {
      this.error = `${why}; retrying`;
      return "retry";
    }
    this.refused = `trial ${body.trial_index} was refused: ${why}`;
    console.error("attentionlab:", this.refused);
    return "drop";
  }
}
