// Inattentional blindness in the browser, once per student (web/tasks/
// inattention.py says what `display` holds). A small fixation cross, the large
// cross (with the unexpected object on each phase's last trial) for cross_ms,
// the block mask for mask_ms, each whole frames on requestAnimationFrame
// (200 ms = 12 frames at 60 Hz); then the questions: which arm was longer,
// "did you see anything else?", and on object trials a row of shapes to click
// (tap). Keys as on the desktop (experiments/inattention.py); on a touch
// screen buttons standing for the same keys.

import {frames, lines, showFrames, step, surface} from "./_common.js";

const TEXT_SIZE = 0.035;

function cross(s, d, parent) {
  const [horizontal, vertical] = d.longer_arm === "horizontal"
    ? [d.long, d.short] : [d.short, d.long];
  const x = d.cross_x;
  const y = -d.cross_y;
  s.add("rect", {x: x - horizontal / 2, y: y - d.thick / 2, width: horizontal,
                 height: d.thick, fill: "#fff"}, parent);
  s.add("rect", {x: x - d.thick / 2, y: y - vertical / 2, width: d.thick, height: vertical,
                 fill: "#fff"}, parent);
}

function shape(s, item, x, y, colour, parent) {
  if (item.vertices === null) {
    return s.add("circle", {cx: x, cy: -y, r: item.size / 2, fill: colour}, parent);
  }
  return s.add("polygon", {fill: colour, points: item.vertices
    .map(([vx, vy]) => `${x + vx},${-(y + vy)}`).join(" ")}, parent);
}

function mask(s, d, parent) {
  const side = d.mask.side;
  const n = d.mask.rows.length;
  const cell = side / n;
  s.add("rect", {x: -side / 2, y: -side / 2, width: side, height: side, fill: "#000"}, parent);
  d.mask.rows.forEach((row, r) => [...row].forEach((v, c) => {
    if (v === "1") {
      // A hair wider than a cell: no seams between neighbouring white blocks.
      s.add("rect", {x: -side / 2 + c * cell, y: -side / 2 + r * cell, width: cell * 1.02,
                     height: cell * 1.02, fill: "#fff"}, parent);
    }
  }));
}

// A question until one of `keys` (or, on a touch screen, one of the buttons
// standing for them); {response, rt_ms} from the question's first frame.
async function ask(ctx, s, text, keys, labels, plan) {
  s.clear();
  const buttons = ctx.input === "touch" ? keys.map((key, i) => ctx.el("button", {
    className: "answer-button", text: labels[i],
    attrs: {type: "button", "data-response": key, "data-key": key}})) : [];
  let bar = null;
  if (buttons.length) {
    bar = ctx.el("div", {className: "answer-buttons", style: {
      position: "absolute", left: "0", right: "0", bottom: "10%", display: "flex",
      justifyContent: "center", gap: "2rem"}}, buttons);
    for (const b of buttons) Object.assign(b.style, {fontSize: "1.4rem", padding: "1rem 2rem"});
  }
  const shown = await ctx.draw(() => {
    lines(s, text, {size: TEXT_SIZE});
    if (bar) ctx.stage.appendChild(bar);
  });
  const answer = await step(ctx, {keys: ctx.input === "touch" ? [] : keys, buttons,
                                  deadline_ms: null, onsetMs: shown}, plan);
  if (bar) bar.remove();
  return answer;
}

// The shapes in a row; a click (tap) anywhere picks the shape nearest in x.
async function recognise(ctx, s, d, plan) {
  s.clear();
  const options = d.recognition;
  s.fit(Math.max(...options.map((o) => Math.abs(o.x) + o.size / 2)));
  const shown = await ctx.draw(() => {
    lines(s, ctx.texts.recognition, {y: 0.2, size: TEXT_SIZE});
    for (const item of options) shape(s, item, item.x, 0, d.colour);
  });
  let stepPlan = null;
  if (plan && plan.details.recognition_choice) {
    const box = s.svg.getBoundingClientRect();
    const item = options.find((o) => o.shape === plan.details.recognition_choice);
    stepPlan = {response: "click", rt_ms: plan.details.recognition_rt_ms,
                details: {x: box.width / 2 + item.x * s.unitPx(), y: box.height / 2}};
  }
  // The stage (a div: the autopilot's tap also calls its click()) holds the SVG
  // and has its size, so offsets in it are offsets in the SVG.
  const answer = await step(ctx, {clickTarget: ctx.stage, deadline_ms: d.click_timeout_ms,
                                  onsetMs: shown}, stepPlan);
  if (answer.rt_ms === null) return {choice: "", rt_ms: null};
  const box = s.svg.getBoundingClientRect();
  const [x] = s.toUnits(box.left + answer.details.x, box.top + answer.details.y);
  const nearest = options.reduce((best, o) => (Math.abs(o.x - x) < Math.abs(best.x - x)
    ? o : best));
  return {choice: nearest.shape, rt_ms: answer.rt_ms};
}

export async function runTrial(ctx, trial) {
  const d = trial.display;
  const plan = ctx.autopilot;
  if (d.phase_start !== null) {
    await ctx.showText(ctx.texts.breaks[d.phase_start - 2]);
  }
  const f = (ms) => frames(ms, ctx.frameMs);
  const s = surface(ctx, "#000", Math.max(d.mask.side / 2, Math.abs(d.cross_x) + d.long / 2,
                                          d.object ? Math.abs(d.object.x) + d.object.size : 0));
  const fixation = s.text("+", {x: 0, y: 0, "font-size": 0.03, fill: "#fff",
                                visibility: "hidden"});
  const display = s.add("g", {visibility: "hidden"});
  cross(s, d, display);
  if (d.object) shape(s, d.object, d.object.x, d.object.y, d.colour, display);
  const masking = s.add("g", {visibility: "hidden"});
  mask(s, d, masking);

  await showFrames(ctx, f(d.fixation_ms), () => fixation.setAttribute("visibility", "visible"));
  const onset = await ctx.draw(() => {
    fixation.remove();
    display.setAttribute("visibility", "visible");
  });
  for (let i = 1; i < f(d.cross_ms); i++) await ctx.nextFrame();
  await showFrames(ctx, f(d.mask_ms), () => {
    display.remove();
    masking.setAttribute("visibility", "visible");
  });
  await ctx.draw(() => s.clear());

  const keys = ctx.texts.keys;
  const details = {arm_key: "", notice_key: "", notice_rt_ms: null, recognition_choice: "",
                   recognition_rt_ms: null};
  let response = "";
  let rt = null;
  if (d.ask_arm) {
    const answer = await ask(ctx, s, ctx.texts.arm, d.arm_keys,
                             [`${keys.h} = horizontal`, `${keys.v} = vertical`],
                             plan ? {response: plan.details.arm_key, rt_ms: plan.rt_ms} : null);
    details.arm_key = answer.response;
    [response, rt] = [answer.response, answer.rt_ms];
  }
  if (d.ask_notice) {
    const text = d.ask_notice === "full" ? ctx.texts.notice_full : ctx.texts.notice_critical;
    const answer = await ask(ctx, s, text, d.yes_no_keys, [`${keys.y} = yes`, `${keys.n} = no`],
                             plan ? {response: plan.details.notice_key,
                                     rt_ms: plan.details.notice_rt_ms} : null);
    details.notice_key = answer.response;
    details.notice_rt_ms = answer.rt_ms;
    if (!d.ask_arm) [response, rt] = [answer.response, answer.rt_ms];
  }
  if (d.recognition) {
    const picked = await recognise(ctx, s, d, plan);
    details.recognition_choice = picked.choice;
    details.recognition_rt_ms = picked.rt_ms;
  }
  s.clear();
  return {onset_s: (onset - ctx.runStart) / 1000, response, rt_ms: rt, details};
}
