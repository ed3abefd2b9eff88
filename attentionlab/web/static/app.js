// attentionlab student page: join, menu, run a demo, result, back to the menu.
//
// Plain ES2020 modules, no build step (docs/classroom-web.md says why). The
// server plans every trial (the task's make_plan) and scores every answer (the
// task's score); this page only presents, timestamps and sends.
//
// ---------------------------------------------------------------------------
// THE TASK PRESENTER INTERFACE (static/tasks/<task>.js; W2 stroop/search, W3 others)
// ---------------------------------------------------------------------------
// A presenter is an ES module exporting
//
//   export async function runTrial(ctx, trial) -> {onset_s, response, rt_ms, details}
//       Present one planned trial and return what happened, unscored.
//       `trial` = one element of /api/start's "trials": {index, phase, block, display}
//       (`display` is what web/tasks/<task>.py display() made). onset_s = seconds
//       since ctx.runStart of the rAF timestamp of the first frame that shows the
//       stimulus: (t - ctx.runStart) / 1000. rt_ms = null when no answer in time.
//       `details` only the keys the task's DETAIL_FIELDS allow.
//   export async function showFeedback(ctx, trial, outcome)   (optional)
//       Practice feedback after a practice trial (the desktop demo's words, texts).
//   export function preload(ctx, run)                            (optional)
//       Called once after /api/start, before the instructions (build DOM, images).
//
// ctx (made fresh for every run by app.js; everything in ms on performance.now()):
//   ctx.stage        a DOM element filling the screen, empty at the start of a
//                    trial; draw into it (textContent, never innerHTML with data).
//   ctx.nextFrame()  Promise of the next requestAnimationFrame timestamp (ms).
//                    Draw, then `const t = await ctx.nextFrame()`: t is the frame
//                    that shows what was drawn (use it as the onset).
//   ctx.now()        performance.now() (ms).
//   ctx.runStart     performance.now() when the run started (ms); onset_s is
//                    relative to it.
//   ctx.frameMs      the measured frame interval (ms; 1000/60 when unknown).
//   ctx.wait(ms)     Promise resolved after ms, frame-aligned (counts frames).
//   ctx.waitResponse({keys, buttons, clickTarget, deadline_ms, onsetMs})
//                    -> Promise of {response, rt_ms, details}.
//                    keys: key names accepted (KeyboardEvent.key lower-cased,
//                      " " is "space"); buttons: DOM elements whose
//                      data-response attribute is the response (pointerdown);
//                    clickTarget: an element; a pointerdown on it resolves with
//                      response "click" and details {x, y} in CSS px relative
//                      to the element's top-left corner;
//                    deadline_ms: from onsetMs (null: no deadline); at the
//                      deadline resolves {response: "", rt_ms: null, details: {}}.
//                    rt_ms = event.timeStamp - onsetMs (both performance.now()).
//                    With the autopilot the planned response is injected as a real
//                    KeyboardEvent / PointerEvent at onsetMs + planned rt_ms.
//   ctx.autopilot    the planned response for this trial {index, response,
//                    rt_ms, details} or null (a real student).
//   ctx.input        "keys" or "touch" (what the student answers with).
//   ctx.texts        /api/start's texts; ctx.params its params.
//   ctx.showText(text, {button, picture})  Promise: a text screen (picture: a
//                    DOM element above the text), continue with SPACE, Enter or
//                    the Continue button (the autopilot presses it); the trial
//                    area comes back afterwards.
//   ctx.el(tag, {className, text, style}, children)  makes a DOM element
//                    (text via textContent).
// ---------------------------------------------------------------------------
//   ctx.draw(fn)     Promise of the timestamp of the frame whose callback ran fn:
//                    the frame that first shows what fn drew (the onset).
//   ctx.clock        the run's FrameClock (timing.js): next(), draw(fn),
//                    wait(ms, fromT) (frames until fromT + ms), dropped (this
//                    trial's late frames, reset by app.js before each trial).
//   ctx.fill(text, fields)  "{name}" placeholders filled from fields.
// ---------------------------------------------------------------------------

import {FrameClock, measureFrameRate} from "./timing.js";
import {SendQueue} from "./send_queue.js";
import {inject, press, tap} from "./autopilot.js";

const TOKEN_KEY = "attentionlab.student_token";
const PARAMS = new URLSearchParams(location.search);
const AUTOPILOT = PARAMS.get("autopilot") === "1";
// How long the autopilot "reads" a text screen or a result before going on (ms).
const AUTOPILOT_READ_MS = AUTOPILOT ? Number(PARAMS.get("read_ms") ?? 400) : 0;
const HEARTBEAT_MS = 10000;
const WELCOME_BACK = "Welcome back! The task continues where it stopped, at trial {first} " +
  "of {total}.\n\n";

// -- small DOM helpers (text always via textContent: students' and server
//    strings are never parsed as HTML) -------------------------------------
function el(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.className) node.className = opts.className;
  if (opts.text !== undefined) node.textContent = opts.text;
  if (opts.style) Object.assign(node.style, opts.style);
  if (opts.attrs) for (const [k, v] of Object.entries(opts.attrs)) node.setAttribute(k, v);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

function fill(text, fields) {
  return String(text).replace(/\{(\w+)\}/g, (m, name) => (
    Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : m));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Keyboard key names as the server's plans spell them (PsychoPy's names).
export function keyName(event) {
  const key = event.key || "";
  if (key === " " || key === "Spacebar") return "space";
  if (key === "Escape" || key === "Esc") return "escape";
  if (key === "Enter") return "return";
  return key.toLowerCase();
}

// The letter or digit of the key's place on a US keyboard ("KeyD" -> "d"), so a
// keyboard with another alphabet answers with the same keys.
function placeName(event) {
  const code = event.code || "";
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  return "";
}

// -- the page -------------------------------------------------------------
const root = document.getElementById("app") || document.body;
if (!document.querySelector('link[href$="app.css"]')) {
  document.head.appendChild(el("link", {attrs: {rel: "stylesheet", href: "/static/app.css"}}));
}
const stage = el("div", {className: "stage", attrs: {id: "stage"}});
const status = el("div", {className: "status", attrs: {id: "status", "aria-live": "polite"}});
root.replaceChildren(stage, status);
document.body.dataset.state = "loading";

let student = null;
let queue = null;
const tried = new Set();  // demos the autopilot began in this page

function setState(name) {
  document.body.dataset.state = name;
}

function showStatus({pending, error}) {
  status.textContent = error ? error : pending ? "saving..." : "";
  status.classList.toggle("behind", Boolean(pending || error));
}

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch (err) {
    answer = {error: `the server answered with status ${response.status}`};
  }
  if (!response.ok) {
    const error = new Error(answer.error || `status ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return answer;
}

// Calls `fn` until it works: the server may be restarting (a class goes on).
async function patiently(fn, what) {
  for (let pause = 500; ; pause = Math.min(pause * 2, 5000)) {
    try {
      return await fn();
    } catch (err) {
      if (err.status && err.status < 500) throw err;
      showStatus({pending: 0, error: `${what}: no answer from the class server, retrying`});
      await sleep(pause);
    }
  }
}

function inputKind() {
  const asked = PARAMS.get("input");
  if (asked === "keys" || asked === "touch") return asked;
  // A phone or tablet: no fine pointer and a touch screen.
  const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  const fine = window.matchMedia && window.matchMedia("(pointer: fine)").matches;
  return coarse && !fine && navigator.maxTouchPoints > 0 ? "touch" : "keys";
}

// -- text screens ---------------------------------------------------------
// A text, then SPACE / Enter / the Continue button. The autopilot presses
// SPACE (keys) or taps the button (touch) after AUTOPILOT_READ_MS.
function textScreen(text, {button = "Continue", input = "keys", title = "",
                           picture = null} = {}) {
  return new Promise((resolve) => {
    const go = el("button", {className: "continue", text: button, attrs: {type: "button"}});
    const screen = el("section", {className: "text-screen"}, [
      title ? el("h1", {text: title}) : null,
      picture,
      // "->" of the desktop's texts as one arrow, which a narrow screen cannot split
      ...String(text).replace(/ -> /g, " \u2192 ").split("\n\n")
        .map((p) => el("p", {text: p})),
      go,
    ]);
    stage.replaceChildren(screen);
    const shownAt = performance.now();
    const done = () => {
      document.removeEventListener("keydown", onKey);
      resolve();
    };
    // Keys still down from the last trial must not skip the text (as the desktop's
    // results screen): accept a continue only after 300 ms.
    const onKey = (event) => {
      const name = keyName(event);
      if ((name === "space" || name === "return") && event.timeStamp - shownAt > 300 &&
          !event.repeat) {
        event.preventDefault();
        done();
      }
    };
    document.addEventListener("keydown", onKey);
    go.addEventListener("click", done, {once: true});
    if (AUTOPILOT) {
      setTimeout(() => {
        if (input === "touch") tap(go);
        else press("space");
      }, Math.max(AUTOPILOT_READ_MS, 320));
    }
  });
}

// -- the trial context (documented at the top) ----------------------------
function makeContext(run, input, frameMs) {
  const clock = new FrameClock(frameMs);
  const planned = new Map((run.autopilot || []).map((p) => [p.index, p]));
  const ctx = {
    stage: null, input, frameMs, clock, texts: run.texts, params: run.params,
    runStart: 0, autopilot: null, task: run.task,
    now: () => performance.now(),
    nextFrame: () => clock.next(),
    draw: (fn) => clock.draw(fn),
    wait: (ms) => clock.wait(ms),
    el, fill,
    showText: (text, opts = {}) => showTrialText(ctx, text, opts),
    waitResponse: (opts) => waitResponse(ctx, opts),
    planFor: (index) => planned.get(index) || null,
  };
  return ctx;
}

async function showTrialText(ctx, text, opts) {
  const area = ctx.stage;
  const saved = [...area.childNodes];
  await textScreen(text, {input: ctx.input, ...opts});
  stage.replaceChildren(area);
  area.replaceChildren(...saved);
}

function waitResponse(ctx, {keys = [], buttons = [], clickTarget = null, deadline_ms = null,
                            onsetMs}) {
  // The onset this trial records, for benchmarks/browser_rt_accuracy.py (it presses a
  // key at known delays after it); nothing on the page listens.
  window.dispatchEvent(new CustomEvent("attentionlab:onset",
                                       {detail: {onset_ms: onsetMs, keys, deadline_ms}}));
  return new Promise((resolve) => {
    let over = false;
    const accept = new Set(keys);
    const finish = (result) => {
      if (over) return;
      over = true;
      document.removeEventListener("keydown", onKey, true);
      for (const b of buttons) b.removeEventListener("pointerdown", onButton);
      if (clickTarget) clickTarget.removeEventListener("pointerdown", onClick);
      resolve(result);
    };
    const inTime = (stamp) => stamp >= onsetMs &&
      (deadline_ms === null || stamp - onsetMs <= deadline_ms);
    const onKey = (event) => {
      let name = keyName(event);
      if (name === "escape") return;  // app.js: Escape stops the run
      if (!accept.has(name)) name = placeName(event);
      if (event.repeat || !accept.has(name) || !inTime(event.timeStamp)) return;
      event.preventDefault();
      finish({response: name, rt_ms: event.timeStamp - onsetMs, details: {}});
    };
    const onButton = (event) => {
      if (!inTime(event.timeStamp)) return;
      event.preventDefault();
      finish({response: event.currentTarget.dataset.response,
              rt_ms: event.timeStamp - onsetMs, details: {}});
    };
    const onClick = (event) => {
      if (!inTime(event.timeStamp)) return;
      const box = clickTarget.getBoundingClientRect();
      finish({response: "click", rt_ms: event.timeStamp - onsetMs,
              details: {x: event.clientX - box.left, y: event.clientY - box.top}});
    };
    document.addEventListener("keydown", onKey, true);
    for (const b of buttons) b.addEventListener("pointerdown", onButton);
    if (clickTarget) clickTarget.addEventListener("pointerdown", onClick);
    // The deadline, checked on every frame (so the clock keeps counting frames).
    if (deadline_ms !== null) {
      (async () => {
        while (!over) {
          const t = await ctx.clock.next();
          if (!over && t - onsetMs >= deadline_ms) {
            finish({response: "", rt_ms: null, details: {}});
          }
        }
      })();
    }
    const plan = ctx.autopilot;
    if (plan && plan.rt_ms !== null && plan.rt_ms !== undefined && plan.response !== "") {
      setTimeout(() => inject(plan, {keys, buttons, clickTarget}),
                 Math.max(0, onsetMs + plan.rt_ms - performance.now()));
    }
  });
}

// -- a run: instructions, practice with feedback, blocks, breaks ----------
async function runTask(item, input) {
  setState("preparing");
  stage.replaceChildren(el("section", {className: "text-screen"},
                           [el("p", {text: "Getting ready..."})]));
  await patiently(() => queue.idle(), "saving");
  const measured = await measureFrameRate(60);
  const device = {
    user_agent: navigator.userAgent.slice(0, 200), screen_w: screen.width,
    screen_h: screen.height, dpr: window.devicePixelRatio || 1,
    touch: navigator.maxTouchPoints > 0, frame_rate_hz: measured.hz, input,
  };
  let run;
  try {
    run = await patiently(() => api("/api/start", {
      student_token: student.student_token, task: item.task, device, autopilot: AUTOPILOT,
    }), "starting");
  } catch (err) {
    if (isClosed(err)) return "closed";
    await textScreen(err.message, {button: "Back to the menu", input, title: item.title});
    return "";
  }
  // A run resumed on another device keeps the input it began with (the server says).
  input = run.input || input;
  const presenter = await import(`/static/tasks/${run.task}.js`);
  const ctx = makeContext(run, input, measured.frame_ms);
  ctx.stage = el("div", {className: `trial-area task-${run.task}`});
  if (presenter.preload) await presenter.preload(ctx, run);
  const trials = run.trials.filter((t) => t.index >= run.next_index);
  const resumed = run.next_index > 1 && trials.length;
  setState("instructions");
  const pages = [...ctx.texts.instructions];
  if (resumed) {
    pages[0] = fill(WELCOME_BACK, {first: run.next_index, total: run.n_trials}) + pages[0];
  }
  // Every trial already saved (a reload while the result was on its way): straight
  // to the result.
  if (trials.length) {
    for (const page of pages) await textScreen(page, {input, title: item.title});
  }

  let stopped = false;
  const onEscape = (event) => {
    if (keyName(event) === "escape") stopped = true;
  };
  document.addEventListener("keydown", onEscape);
  const testBlocks = Math.max(0, ...run.trials.filter((t) => t.phase === "test")
    .map((t) => t.block));
  // onset_s counts from the run's start; after a reload the page's clock starts
  // anew, so the start is kept (wall clock) and the new clock set back by it.
  const startKey = `attentionlab.run_start.${student.student_token}.${run.run_id}`;
  const startedAt = Number(localStorage.getItem(startKey)) || Date.now();
  localStorage.setItem(startKey, String(startedAt));
  ctx.runStart = performance.now() - Math.max(0, Date.now() - startedAt);
  setState("running");
  const broken = () => queue.broken.has(run.run_id);
  for (let i = 0; i < trials.length && !stopped && !queue.stopped && !broken(); i++) {
    const trial = trials[i];
    const previous = i > 0 ? trials[i - 1] : null;
    if (!previous || previous.phase !== trial.phase) {
      if (trial.phase === "practice" && ctx.texts.practice) {
        await textScreen(ctx.texts.practice, {input});
      } else if (trial.phase === "test" && ctx.texts.test) {
        await textScreen(ctx.texts.test, {input});
      }
    } else if (trial.phase === "test" && previous.block !== trial.block && ctx.texts.break) {
      await textScreen(fill(ctx.texts.break, {block: previous.block, n_blocks: testBlocks}),
                       {input});
    }
    stage.replaceChildren(ctx.stage);
    ctx.stage.replaceChildren();
    ctx.autopilot = AUTOPILOT ? ctx.planFor(trial.index) : null;
    ctx.clock.reset();
    const outcome = await presenter.runTrial(ctx, trial);
    queue.add({student_token: student.student_token, run_id: run.run_id,
               trial_index: trial.index, outcome, dropped_frames: ctx.clock.dropped});
    if (trial.phase === "practice" && presenter.showFeedback) {
      await presenter.showFeedback(ctx, trial, outcome);
    }
    ctx.stage.replaceChildren();
    await ctx.wait(trial.display.iti_ms ?? 0);
  }
  document.removeEventListener("keydown", onEscape);
  if (queue.stopped) return "closed";  // the class was closed during the run
  setState("saving");
  stage.replaceChildren(el("section", {className: "text-screen"},
                           [el("p", {text: "Saving your answers..."})]));
  await queue.idle();
  let finished;
  try {
    finished = await patiently(() => api("/api/finish", {
      student_token: student.student_token, run_id: run.run_id,
      aborted: stopped || broken(),
    }), "finishing");
  } catch (err) {
    finished = {result: null, message: err.message};
  }
  if (broken()) {
    finished = {result: null, message: "Some of your answers could not be saved " +
      `(${queue.refused}), so this demo stopped. Please tell your teacher.`};
  }
  localStorage.removeItem(startKey);
  await resultScreen(item, finished, input);
  return "";
}

function isClosed(err) {
  return err.status === 409 && /closed/i.test(err.message);
}

// -- the result beside the textbook (the desktop demo's texts) ------------
function resultScreen(item, finished, input) {
  setState("result");
  const r = finished.result;
  const parts = r ? [
    el("h1", {text: `Your result: ${r.title}`}),
    el("p", {className: "sentence", text: r.sentence}),
    el("div", {className: "compare"}, [
      el("div", {className: "yours"}, [el("span", {text: "You"}),
                                       el("strong", {text: r.value_text})]),
      el("div", {className: "textbook"}, [el("span", {text: "Textbook"}),
                                          el("strong", {text: r.published_text}),
                                          el("small", {text: `\u2014 ${r.source}.`})]),
    ]),
    r.verdict ? el("p", {className: "verdict", text: r.verdict}) : null,
    ...(r.details || []).map((d) => el("p", {className: "details", text: d})),
    el("p", {className: "explanation", text: r.explanation}),
  ] : [el("h1", {text: item.title}), el("p", {text: finished.message || ""})];
  return new Promise((resolve) => {
    const back = el("button", {className: "continue", text: "Back to the menu",
                               attrs: {type: "button"}});
    stage.replaceChildren(el("section", {className: "result-screen"}, [...parts, back]));
    back.addEventListener("click", resolve, {once: true});
    if (AUTOPILOT) setTimeout(() => tap(back), Math.max(AUTOPILOT_READ_MS, 300));
  });
}

// -- the menu -------------------------------------------------------------
function menuScreen() {
  setState("menu");
  return new Promise((resolve) => {
    const items = student.menu.map((item) => {
      const done = item.status === "done";
      const button = el("button", {className: `menu-item status-${item.status}`,
                                   attrs: {type: "button", "data-task": item.task}}, [
        el("strong", {text: item.title}),
        el("span", {text: item.menu_text}),
        el("small", {text: done ? (item.once ? "done" : "done \u2014 again?")
                                : item.status === "in_progress" ? "continue" : item.minutes}),
      ]);
      if (done && item.once) button.disabled = true;
      button.addEventListener("click", () => resolve(item), {once: true});
      return button;
    });
    const menu = el("section", {className: "menu"}, [
      el("h1", {text: "Attention demos"}),
      el("p", {className: "label", text: `Your label: ${student.label}`}),
      el("p", {text: "Pick a demo. Your answers stay in this room, under this label only."}),
      el("div", {className: "menu-items"}, items),
    ]);
    stage.replaceChildren(menu);
    if (AUTOPILOT) {
      // Every demo not done yet, each once in this page (a demo the server would
      // not start is not tried again and again).
      const next = student.menu.find((item) => item.status !== "done" && !tried.has(item.task));
      if (!next) {
        setState("autopilot-done");
        menu.appendChild(el("p", {className: "autopilot", text: "Autopilot: every demo done."}));
        return;
      }
      const button = items[student.menu.indexOf(next)];
      setTimeout(() => tap(button), AUTOPILOT_READ_MS);
    }
  });
}

async function join() {
  const token = localStorage.getItem(TOKEN_KEY);
  try {
    student = await patiently(() => api("/api/join", {student_token: token}), "joining");
  } catch (err) {
    stage.replaceChildren(el("section", {className: "text-screen"}, [el("p", {text: err.message})]));
    throw err;
  }
  localStorage.setItem(TOKEN_KEY, student.student_token);
  return student;
}

async function main() {
  await join();
  queue = new SendQueue(`attentionlab.queue.${student.student_token}`, showStatus);
  setInterval(() => {
    api("/api/heartbeat", {student_token: student.student_token}).catch(() => {});
  }, HEARTBEAT_MS);
  const input = inputKind();
  document.body.dataset.input = input;
  for (;;) {
    const item = await menuScreen();
    tried.add(item.task);
    if (await runTask(item, input) === "closed") break;
    await join();  // the menu's statuses, fresh
  }
  setState("closed");
  stage.replaceChildren(el("section", {className: "text-screen"}, [
    el("h1", {text: "The class is closed"}),
    el("p", {text: "Your teacher has closed the class: nothing more can be saved. " +
                   "Thank you for taking part!"})]));
}

main().catch((err) => {
  console.error(err);
  setState("error");
  status.textContent = err.message;
});
