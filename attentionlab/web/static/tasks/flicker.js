// Flicker (change blindness) in the browser (web/tasks/flicker.py says what
// `display` holds). A fixation cross, then A, blank, A', blank, ... (A, A'
// without the blank) in whole frames on requestAnimationFrame until the
// detect key (a tap anywhere on a touch screen) or the timeout; then picture A
// again and a click (tap) on the place of the change. The pictures are drawn
// on a canvas from images decoded before the instructions, so a phase change
// is one drawImage inside the frame's callback.
//
// Reported as the desktop reports it (experiments/flicker.py): the press's RT
// from A's first onset, the alternations begun up to it, the phases shown
// with their frame counts and rAF-measured durations, and the click in image
// pixels and screen-height units.

import {at, frames, keyName, press as pressKey, step, tap} from "./_common.js";

const images = new Map();  // url -> decoded HTMLImageElement (this run's pictures)

export async function preload(ctx, run) {
  const urls = new Set(run.trials.flatMap((t) => [t.display.image_a, t.display.image_b]));
  await Promise.all([...urls].map(async (url) => {
    // A few tries: the class server may be restarting (a class goes on).
    for (let attempt = 1; !images.has(url); attempt++) {
      const img = new Image();
      img.src = url;
      try {
        await img.decode();
        images.set(url, img);
      } catch (err) {
        if (attempt >= 5) throw new Error(`the picture ${url} could not be loaded`);
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
  }));
}

async function picture(url) {
  if (!images.has(url)) await preload(null, {trials: [{display: {image_a: url, image_b: url}}]});
  return images.get(url);
}

// The canvas, centred, image_height of the screen high (narrower if the
// screen is too narrow for it), on the task's grey; a fixation cross and a
// prompt line above the picture.
function layout(ctx, d) {
  const grey = Math.round(d.grey * 255);
  const ink = d.grey > 0.45 ? "#000" : "#fff";
  const box = ctx.stage.getBoundingClientRect();
  const W = box.width || window.innerWidth;
  const H = box.height || window.innerHeight;
  let h = d.image_height * H;
  let w = h * d.width_px / d.height_px;
  if (w > 0.98 * W) [w, h] = [0.98 * W, 0.98 * W * d.height_px / d.width_px];
  const dpr = window.devicePixelRatio || 1;
  const canvas = ctx.el("canvas", {style: {
    position: "absolute", left: `${(W - w) / 2}px`, top: `${(H - h) / 2}px`,
    width: `${w}px`, height: `${h}px`, touchAction: "none"}});
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext("2d");
  const fixation = ctx.el("div", {text: "+", style: {
    position: "absolute", left: "50%", top: "50%", transform: "translate(-50%, -50%)",
    fontSize: `${0.06 * H}px`, color: ink, lineHeight: "1", visibility: "hidden"}});
  const prompt = ctx.el("div", {style: {
    position: "absolute", left: "0", right: "0", textAlign: "center", color: ink,
    top: `${Math.max(2, (H - h) / 2 - 0.05 * H)}px`,
    fontSize: `${Math.min(0.035 * H, W / 24)}px`}});
  const page = ctx.el("div", {style: {position: "absolute", inset: "0",
                                      background: `rgb(${grey}, ${grey}, ${grey})`}},
                      [canvas, fixation, prompt]);
  ctx.stage.replaceChildren(page);
  const paint = (img) => {
    g.fillStyle = `rgb(${grey}, ${grey}, ${grey})`;
    g.fillRect(0, 0, canvas.width, canvas.height);
    if (img) g.drawImage(img, 0, 0, canvas.width, canvas.height);
  };
  paint(null);
  return {page, canvas, fixation, prompt, paint, W, H, w, h};
}

// One cycle as (what, frames): the stimuli code's phase_plan.
function phasePlan(fi, fb, blank) {
  return blank ? [["a", fi], ["blank", fb], ["b", fi], ["blank", fb]] : [["a", fi], ["b", fi]];
}

// Waits for the detect key (or a tap anywhere on a touch screen) from
// `onsetMs` on; {pressed: event timeStamp or null, stop()}.
function listenForPress(ctx, d, page, onsetMs) {
  const state = {pressed: null};
  const onKey = (event) => {
    if (keyName(event) !== d.detect_key || event.repeat || event.timeStamp < onsetMs) return;
    event.preventDefault();
    if (state.pressed === null) state.pressed = event.timeStamp;
  };
  const onTap = (event) => {
    if (event.timeStamp < onsetMs) return;
    event.preventDefault();
    if (state.pressed === null) state.pressed = event.timeStamp;
  };
  if (ctx.input === "touch") page.addEventListener("pointerdown", onTap);
  else document.addEventListener("keydown", onKey, true);
  state.stop = () => {
    page.removeEventListener("pointerdown", onTap);
    document.removeEventListener("keydown", onKey, true);
  };
  return state;
}

export async function runTrial(ctx, trial) {
  const d = trial.display;
  const [imgA, imgB] = [await picture(d.image_a), await picture(d.image_b)];
  const view = layout(ctx, d);
  const period = ctx.frameMs;
  const f = (ms) => frames(ms, period);
  const fi = f(d.image_ms);
  const fb = d.blank ? f(d.blank_ms) : 0;
  const plan = phasePlan(fi, fb, d.blank);
  const timeoutFrames = f(d.timeout_ms);
  const show = {a: imgA, b: imgB, blank: null};

  // Fixation on the grey, then the flicker.
  let t = await ctx.draw(() => { view.fixation.style.visibility = "visible"; });
  for (let i = 1; i < f(d.fixation_ms); i++) t = await ctx.nextFrame();
  const flips = [];      // the rAF timestamp of every frame of the flicker
  const phaseLog = [];   // [what, first frame index, frames shown]
  let press = null;
  let listener = null;
  let frame = 0;
  let over = false;  // the timeout: counted in frames, and in time when frames were lost
  while (press === null && !over) {
    const [what, n] = plan[phaseLog.length % plan.length];
    phaseLog.push([what, frame, 0]);
    for (let i = 0; i < n; i++) {
      const stamp = await ctx.draw(i === 0 ? () => {
        view.fixation.style.visibility = "hidden";
        view.paint(show[what]);
      } : null);
      flips.push(stamp);
      phaseLog[phaseLog.length - 1][2] += 1;
      frame += 1;
      if (listener === null) {
        listener = listenForPress(ctx, d, view.page, flips[0]);
        const planned = ctx.autopilot;
        if (planned && planned.rt_ms !== null && planned.response) {
          at(flips[0] + planned.rt_ms, () => (ctx.input === "touch" ? tap(view.page)
                                                : pressKey(d.detect_key)));
        }
      }
      if (listener.pressed !== null) press = listener.pressed - flips[0];
      over = frame >= timeoutFrames || stamp - flips[0] >= d.timeout_ms - period / 2;
      if (press !== null || over) break;
    }
  }
  const end = await ctx.draw(() => view.paint(null));
  if (press === null && listener.pressed !== null) press = listener.pressed - flips[0];
  listener.stop();
  const onset = flips[0];
  const details = timing(plan, phaseLog, flips, end, fi, fb, period);
  let outcome;
  if (press === null) {
    details.detection_time_ms = end - onset;
    details.alternations = Math.ceil(details.image_phases / 2);
    outcome = {onset_s: (onset - ctx.runStart) / 1000, response: "", rt_ms: null, details};
  } else {
    const images = phaseLog.filter(([what, first]) => what !== "blank" &&
                                                      flips[first] - onset <= press).length;
    details.detection_time_ms = press;
    details.alternations = Math.ceil(Math.max(images, 1) / 2);
    Object.assign(details, await click(ctx, d, view, imgA));
    outcome = {onset_s: (onset - ctx.runStart) / 1000,
               response: ctx.input === "touch" ? "touch" : d.detect_key, rt_ms: press, details};
  }
  view.paint(null);
  return outcome;
}

// Frame counts and rAF-measured durations of the completed phases (the phase
// cut short by the press or the timeout is left out), as the desktop counts them.
function timing(plan, phaseLog, flips, end, fi, fb, period) {
  const stamps = [...flips, end];
  const done = {image: [], blank: []};
  let deviations = 0;
  for (const [what, first, shown] of phaseLog) {
    const planned = what === "blank" ? fb : fi;
    if (shown < planned) continue;
    const ms = stamps[first + shown] - stamps[first];
    done[what === "blank" ? "blank" : "image"].push([shown, ms]);
    if (shown !== planned || Math.abs(ms - planned * period) > period / 2) deviations += 1;
  }
  const min = (xs) => (xs.length ? Math.min(...xs) : null);
  const max = (xs) => (xs.length ? Math.max(...xs) : null);
  return {
    frames_per_image: fi, frames_per_blank: fb,
    image_phases: phaseLog.filter(([w]) => w !== "blank").length,
    blank_phases: phaseLog.filter(([w]) => w === "blank").length,
    image_frames_min: min(done.image.map(([n]) => n)),
    image_frames_max: max(done.image.map(([n]) => n)),
    blank_frames_min: min(done.blank.map(([n]) => n)),
    blank_frames_max: max(done.blank.map(([n]) => n)),
    image_phase_ms_max: max(done.image.map(([, ms]) => ms)),
    blank_phase_ms_max: max(done.blank.map(([, ms]) => ms)),
    phase_timing_deviations: deviations,
  };
}

// The click screen: picture A and the prompt until a click (tap) on the
// picture or the click timeout. The autopilot clicks the planned image point.
async function click(ctx, d, view, imgA) {
  const none = {click_x: null, click_y: null, click_image_x_px: null, click_image_y_px: null,
                click_rt_ms: null};
  const shown = await ctx.draw(() => {
    view.paint(imgA);
    view.prompt.textContent = ctx.texts.click;
  });
  const planned = ctx.autopilot;
  let plan = null;
  if (planned && planned.details && Number.isFinite(planned.details.click_image_x_px)) {
    plan = {response: "click", rt_ms: planned.details.click_rt_ms, details: {
      x: planned.details.click_image_x_px / d.width_px * view.w,
      y: planned.details.click_image_y_px / d.height_px * view.h}};
  }
  const answer = await step(ctx, {clickTarget: view.canvas, deadline_ms: d.click_timeout_ms,
                                  onsetMs: shown}, plan);
  view.prompt.textContent = "";
  if (answer.rt_ms === null) return none;
  const box = view.canvas.getBoundingClientRect();
  const H = view.H;
  return {
    click_image_x_px: answer.details.x / box.width * d.width_px,
    click_image_y_px: answer.details.y / box.height * d.height_px,
    click_x: (box.left + answer.details.x - view.W / 2) / H,
    click_y: (view.H / 2 - (box.top + answer.details.y)) / H,
    click_rt_ms: answer.rt_ms,
  };
}

// Practice: A and A' alternate without the blank (the change pops out) with
// the change region outlined, for feedback ms.
export async function showFeedback(ctx, trial, outcome) {
  const d = trial.display;
  if (!d.feedback) return;
  const [imgA, imgB] = [await picture(d.image_a), await picture(d.image_b)];
  const view = layout(ctx, d);
  const g = view.canvas.getContext("2d");
  const sx = view.canvas.width / d.width_px;
  const sy = view.canvas.height / d.height_px;
  // Which words: a timeout, a click on the change, or a miss. Feedback only:
  // the data are scored on the server by the task's score().
  let key = "timeout";
  if (outcome.rt_ms !== null) {
    const x = outcome.details.click_image_x_px;
    const y = outcome.details.click_image_y_px;
    const hit = x !== null && d.feedback.region.some(([x0, y0, x1, y1]) =>
      Math.hypot(Math.max(x0 - x, 0, x - x1), Math.max(y0 - y, 0, y - y1)) <=
        d.feedback.tolerance_px);
    key = hit ? "feedback" : "missed";
  }
  const outline = () => {
    g.strokeStyle = "rgb(255, 255, 0)";
    g.lineWidth = 4 * (window.devicePixelRatio || 1);
    for (const [x0, y0, x1, y1] of d.feedback.region) {
      g.strokeRect(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy);
    }
  };
  const n = frames(d.image_ms, ctx.frameMs);
  const total = frames(d.feedback.ms, ctx.frameMs);
  let count = 0;
  let which = 0;
  while (count < total) {
    const img = which % 2 ? imgB : imgA;
    await ctx.draw(() => {
      view.paint(img);
      outline();
      view.prompt.textContent = ctx.texts[key];
    });
    for (let i = 1; i < n && count + i < total; i++) await ctx.nextFrame();
    count += n;
    which += 1;
  }
}
