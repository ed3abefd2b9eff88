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
//   ctx.showText(text, {button})  Promise: a text screen, continue with SPACE,
//                    Enter or the Continue button (the autopilot presses it).
//   ctx.el(tag, {className, text, style}, children)  makes a DOM element
//                    (text via textContent).
// ---------------------------------------------------------------------------
