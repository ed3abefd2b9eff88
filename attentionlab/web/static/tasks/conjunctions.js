// Illusory conjunctions in the browser (web/tasks/conjunctions.py says what
// `display` holds). On the light patch: a fixation cross, the row "digit
// letter letter letter digit" for display_ms, the pattern mask for mask_ms,
// each whole frames on requestAnimationFrame (200 ms = 12 frames at 60 Hz);
// then the two digits are typed (number keys; a keypad on a touch screen;
// Backspace corrects the first) and three cells of the letter x colour grid
// are clicked (tapped), each letter once. Digits typed while the row or the
// mask is still up count, as on the desktop (experiments/conjunctions.py).

import {at, frames, keyName, lines, press, showFrames, surface, tap} from "./_common.js";

const CELL = 0.085;            // the desktop's report-grid cell
const GRID_CENTRE_Y = -0.04;
const DIGITS_SHOWN_MS = 300;   // the typed digits stay this long (simulation/conjunctions.py)
const REPORT_DONE_MS = 400;    // the completed grid stays this long
const KEY_GAP_MS = 300;        // autopilot: the second digit after the first
const CLICK_GAP_MS = 700;      // autopilot: between two reports (not recorded)
const CELL_LINE = "rgb(150, 150, 150)";

// Half the width (screen heights) the row's patch and the report grid need.
function width(d) {
  return Math.max(d.patch.w, d.grid.colours.length * CELL + 0.04) / 2;
}

function patchAt(s, d, y = 0) {
  return s.add("rect", {x: -d.patch.w / 2, y: -y - d.patch.h / 2, width: d.patch.w,
                        height: d.patch.h, fill: d.patch.rgb});
}

function row(s, d, texts, colours, y = 0) {
  return d.items.map((item, i) => s.text(texts[i], {
    x: item.x, y: -(item.y + y), "font-size": d.item_height, "font-weight": "bold",
    fill: colours[i]}));
}

// The digits typed so far (Backspace deletes the first) and the first one's
// time from the display's onset, from keys (and the keypad on a touch screen).
function typing(onsetMs) {
  const state = {digits: [], firstRt: null};
  state.add = (name, stamp) => {
    if (stamp < onsetMs || state.digits.length >= 2) return;
    if (name === "backspace" && state.digits.length === 1) state.digits.pop();
    else if (/^[0-9]$/.test(name)) {
      state.digits.push(name);
      if (state.firstRt === null) state.firstRt = stamp - onsetMs;
    }
  };
  state.onKey = (event) => {
    const name = keyName(event);
    if (name === "escape" || event.repeat) return;
    if (/^[0-9]$/.test(name) || name === "backspace") event.preventDefault();
    state.add(name, event.timeStamp);
  };
  document.addEventListener("keydown", state.onKey, true);
  state.stop = () => document.removeEventListener("keydown", state.onKey, true);
  return state;
}

function keypad(ctx, state) {
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "backspace", "0"];
  const buttons = keys.map((k) => {
    const b = ctx.el("button", {className: "keypad-key", text: k === "backspace" ? "\u2190" : k,
                                attrs: {type: "button", "data-key": k}});
    b.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      state.add(k, event.timeStamp);
    });
    return b;
  });
  const pad = ctx.el("div", {className: "keypad", style: {
    position: "absolute", left: "50%", bottom: "4%", transform: "translateX(-50%)",
    display: "grid", gridTemplateColumns: "repeat(3, 4.5rem)", gap: "0.5rem"}}, buttons);
  for (const b of buttons) {
    Object.assign(b.style, {height: "3.5rem", fontSize: "1.6rem", color: "#fff",
                            background: "#333", border: "1px solid #888", borderRadius: "0.4rem"});
  }
  ctx.stage.appendChild(pad);
  return pad;
}

export async function runTrial(ctx, trial) {
  const d = trial.display;
  const f = (ms) => frames(ms, ctx.frameMs);
  const s = surface(ctx, "#000", width(d));
  const plan = ctx.autopilot;
  // Fixation on the patch.
  const fixation = s.add("g", {visibility: "hidden"});
  fixation.appendChild(patchAt(s, d));
  s.text("+", {x: 0, y: 0, "font-size": 0.05, fill: "#000"}, fixation);
  await showFrames(ctx, f(d.fixation_ms), () => fixation.setAttribute("visibility", "visible"));
  // Everything of the display and the mask is built before the onset, hidden,
  // so only visibility changes between the frames.
  const shown = s.add("g", {visibility: "hidden"});
  shown.appendChild(patchAt(s, d));
  for (const node of row(s, d, d.items.map((i) => i.text), d.items.map((i) => i.rgb))) {
    shown.appendChild(node);
  }
  const mask = s.add("g", {visibility: "hidden"});
  mask.appendChild(patchAt(s, d));
  for (const m of d.mask) {
    s.add("rect", {x: m.x - m.length / 2, y: -m.y - m.width / 2, width: m.length,
                   height: m.width, fill: m.rgb,
                   transform: `rotate(${m.ori} ${m.x} ${-m.y})`}, mask);
  }
  const nDisplay = f(d.display_ms);
  const onset = await ctx.draw(() => {
    fixation.remove();
    shown.setAttribute("visibility", "visible");
  });
  const typed = typing(onset);
  if (plan && plan.response && plan.rt_ms !== null) {
    const send = (digit) => (ctx.input === "touch"
      ? tap(ctx.stage.querySelector(`.keypad-key[data-key="${digit}"]`))
      : press(digit));
    at(onset + plan.rt_ms, () => send(plan.response[0]));
    at(onset + plan.rt_ms + KEY_GAP_MS, () => send(plan.response[1]));
  }
  for (let i = 1; i < nDisplay; i++) await ctx.nextFrame();
  const maskOn = await ctx.draw(() => {
    shown.remove();
    if (d.mask_ms > 0) mask.setAttribute("visibility", "visible");
  });
  for (let i = 1; i < f(d.mask_ms); i++) await ctx.nextFrame();
  const exposure = {exposure_frames: nDisplay, exposure_ms: nDisplay * ctx.frameMs,
                    exposure_measured_ms: maskOn - onset};

  // The digits.
  s.clear();
  const prompt = lines(s, ctx.texts.digits_prompt, {y: 0.2, size: 0.045});
  const slots = [-0.06, 0.06].map((x) => {
    s.add("rect", {x: x - 0.045, y: -0.055, width: 0.09, height: 0.11, fill: "none",
                   stroke: "#fff", "stroke-width": 3, "vector-effect": "non-scaling-stroke"});
    return s.text("", {x, y: 0, "font-size": 0.08, fill: "#fff"});
  });
  const pad = ctx.input === "touch" ? keypad(ctx, typed) : null;
  const showTyped = () => slots.forEach((slot, i) => { slot.textContent = typed.digits[i] ?? ""; });
  while (typed.digits.length < 2) await ctx.draw(showTyped);
  typed.stop();
  const t = await ctx.draw(showTyped);
  await ctx.clock.wait(DIGITS_SHOWN_MS, t);
  if (pad) pad.remove();
  prompt.remove();

  // The reports.
  const reports = await report(ctx, s, d, plan);
  const details = {...exposure};
  reports.forEach(([letter, colour], i) => {
    details[`report${i + 1}_letter`] = letter;
    details[`report${i + 1}_colour`] = colour;
  });
  return {onset_s: (onset - ctx.runStart) / 1000, response: typed.digits.join(""),
          rt_ms: typed.firstRt, details};
}

// Three clicks on the grid; a row already used is ignored. [[letter, colour], ...].
async function report(ctx, s, d, plan) {
  s.clear();
  const letters = d.grid.letters;
  const colours = d.grid.colours;
  const centre = (r, c) => [(c - (colours.length - 1) / 2) * CELL,
                            GRID_CENTRE_Y + ((letters.length - 1) / 2 - r) * CELL];
  s.add("rect", {x: -(colours.length * CELL + 0.04) / 2,
                 y: -GRID_CENTRE_Y - (letters.length * CELL + 0.04) / 2,
                 width: colours.length * CELL + 0.04, height: letters.length * CELL + 0.04,
                 fill: d.patch.rgb});
  // The prompt above the grid (wrapped on a narrow screen).
  const title = lines(s, "", {y: GRID_CENTRE_Y + letters.length * CELL / 2 + 0.07,
                              size: 0.04, wrap: 1.3});
  const cells = new Map();
  let resolveClick = null;
  letters.forEach((letter, r) => colours.forEach((colour, c) => {
    const [x, y] = centre(r, c);
    const frame = s.add("rect", {x: x - CELL * 0.46, y: -y - CELL * 0.46, width: CELL * 0.92,
                                 height: CELL * 0.92, fill: d.patch.rgb, stroke: CELL_LINE,
                                 "stroke-width": 1, "vector-effect": "non-scaling-stroke",
                                 "data-letter": letter, "data-colour": colour.name});
    const text = s.text(letter, {x, y: -y, "font-size": CELL * 0.62,
                                 "font-weight": "bold", fill: colour.rgb,
                                 "pointer-events": "none"});
    frame.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      if (resolveClick) resolveClick([letter, colour.name]);
    });
    cells.set(`${letter} ${colour.name}`, {frame, text, letter});
  }));
  const chosen = [];
  const planned = plan && plan.details && Array.isArray(plan.details.reports)
    ? plan.details.reports : null;
  while (chosen.length < 3) {
    await ctx.draw(() => {
      title.textContent = ctx.fill(ctx.texts.report_prompt, {i: chosen.length + 1, n: 3});
    });
    const clicked = new Promise((resolve) => { resolveClick = resolve; });
    if (planned) {
      const [letter, colour] = planned[chosen.length];
      const cell = cells.get(`${letter} ${colour}`);
      at(performance.now() + CLICK_GAP_MS, () => tap(cell.frame));
    }
    const [letter, colour] = await clicked;
    resolveClick = null;
    if (chosen.some(([l]) => l === letter)) continue;  // each letter once
    chosen.push([letter, colour]);
    for (const cell of cells.values()) {
      if (cell.letter !== letter) continue;
      if (cell.frame.dataset.colour === colour) {
        cell.frame.setAttribute("stroke", "#000");
        cell.frame.setAttribute("stroke-width", 5);
      } else {
        cell.text.setAttribute("opacity", 0.2);
      }
    }
  }
  const done = await ctx.draw(() => { title.textContent = ""; });
  await ctx.clock.wait(REPORT_DONE_MS, done);
  return chosen;
}

// Where each report goes in the feedback row: under the same letter when it
// was shown, else in a free slot (the desktop's feedback_slots).
function feedbackSlots(letters, reports) {
  const slots = letters.map(() => null);
  const rest = [];
  for (const [letter, colour] of reports) {
    const i = letters.indexOf(letter);
    if (i >= 0 && slots[i] === null) slots[i] = [letter, colour];
    else rest.push([letter, colour]);
  }
  return slots.map((slot) => slot ?? rest.shift() ?? ["", null]);
}

// Practice: what was shown beside what was reported, and the digits. (The
// words need "right or not", read off the two rows; the data are scored on the
// server by the task's score().)
export async function showFeedback(ctx, trial, outcome) {
  const d = trial.display;
  if (!d.feedback) return;
  const fb = d.feedback;
  const reports = [1, 2, 3].map((i) => [outcome.details[`report${i}_letter`],
                                        outcome.details[`report${i}_colour`]]);
  const typedDigits = outcome.response.split("");
  const digitsRight = [...typedDigits].sort().join("") ===
    [String(fb.digits[0]), String(fb.digits[1])].sort().join("");
  const nRight = reports.filter(([l, c]) => fb.letters.indexOf(l) >= 0 &&
                                            fb.colours[fb.letters.indexOf(l)] === c).length;
  const digitLine = digitsRight ? `Digits: ${typedDigits.join(" ")}  -  right`
    : `Digits: you typed ${typedDigits.join(" ")}, they were ${fb.digits[0]} and ${fb.digits[1]}`;
  const rgb = Object.fromEntries(d.grid.colours.map((c) => [c.name, c.rgb]));
  const s = surface(ctx, "#000", width(d));
  const shown = await ctx.draw(() => {
    lines(s, `${digitLine}\n\nLetters: ${nRight} of 3 right (letter and colour)`,
          {y: 0.3, size: 0.038});
    for (const [y, label, texts, colours] of [
      [0.02, ctx.texts.shown, [String(fb.digits[0]), ...fb.letters, String(fb.digits[1])],
       ["#000", ...fb.colours.map((c) => rgb[c]), "#000"]],
      [-0.25, ctx.texts.reported, ["", ...feedbackSlots(fb.letters, reports).map(([l]) => l), ""],
       ["#000", ...feedbackSlots(fb.letters, reports).map(([, c]) => rgb[c] ?? "#000"), "#000"]],
    ]) {
      patchAt(s, d, y);
      lines(s, label, {y: y + d.patch.h / 2 + 0.03, size: 0.035});
      row(s, d, texts, colours, y);
    }
  });
  await ctx.clock.wait(fb.ms, shown);
}
