// Posner cueing in the browser (web/tasks/posner.py says what `display` holds).
// The cross between two boxes for the planned foreperiod, the cue (an arrow
// replacing the cross, or a box outline turning white and thick) for cue_ms,
// the cross and boxes until the SOA has passed, then the dot (none on catch
// trials) until a press or the deadline: every part whole frames, the dot's
// onset the frame that first shows it. One key (laptop) or a tap anywhere
// (touch screen).

import {frames, lines, showFrames, surface} from "./_common.js";

const BOX_GREY = "rgb(128, 128, 128)";  // the desktop's mid grey on black
const BOX_LINE_PX = 3;
const CUED_LINE_PX = 8;                 // the brightened box: white and thicker
const ARROW_WIDTH = 0.007 / 0.09;       // the desktop's arrow proportions (experiments/posner.py)
const ARROW_HEAD = 0.02 / 0.09;
const CROSS = 0.05;                     // the fixation cross's height (screen heights)

// Vertices of the central arrow `length` long, y up: left, right or the
// neutral double arrow (the desktop's _arrow).
function arrow(cue, length) {
  const h = length / 2;
  const w = length * ARROW_WIDTH;
  const head = length * ARROW_HEAD;
  if (cue === "neutral") {
    return [[-h, 0], [-h + head, head], [-h + head, w], [h - head, w], [h - head, head],
            [h, 0], [h - head, -head], [h - head, -w], [-h + head, -w], [-h + head, -head]];
  }
  const right = [[-h, w], [h - head, w], [h - head, head], [h, 0], [h - head, -head],
                 [h - head, -w], [-h, -w]];
  return cue === "right" ? right : right.map(([x, y]) => [-x, y]);
}

function layout(ctx, d) {
  const s = surface(ctx, "#000", d.box_offset + d.box_size / 2);
  const boxes = {};
  for (const [side, x] of [["left", -1], ["right", 1]]) {
    boxes[side] = s.add("rect", {
      x: x * d.box_offset - d.box_size / 2, y: -d.box_size / 2, width: d.box_size,
      height: d.box_size, fill: "none", stroke: BOX_GREY, "stroke-width": BOX_LINE_PX,
      "vector-effect": "non-scaling-stroke"});
  }
  const cross = s.text("+", {x: 0, y: 0, "font-size": CROSS, fill: "#fff"});
  const arrowShape = s.add("polygon", {fill: "#fff", visibility: "hidden"});
  const dot = s.add("circle", {r: d.target_size / 2, fill: "#fff", visibility: "hidden",
                               cx: (d.target_side === "left" ? -1 : 1) * d.box_offset, cy: 0});
  let tapArea = null;
  if (ctx.input === "touch") {
    // A tap anywhere is the press: a transparent button over the whole screen.
    tapArea = ctx.el("button", {className: "tap-area", attrs: {
      type: "button", "data-response": "touch", "data-key": d.key, "aria-label": "tap"},
      style: {position: "absolute", inset: "0", opacity: "0", border: "0"}});
    ctx.stage.appendChild(tapArea);
  }
  const show = {
    fixation() {
      cross.setAttribute("visibility", "visible");
      arrowShape.setAttribute("visibility", "hidden");
      for (const b of Object.values(boxes)) {
        b.setAttribute("stroke", BOX_GREY);
        b.setAttribute("stroke-width", BOX_LINE_PX);
      }
    },
    cue() {
      if (d.cue_type === "endogenous") {
        cross.setAttribute("visibility", "hidden");
        arrowShape.setAttribute("points", arrow(d.cue, d.arrow_length)
          .map(([x, y]) => `${x},${-y}`).join(" "));
        arrowShape.setAttribute("visibility", "visible");
      } else {
        for (const side of d.cue === "neutral" ? ["left", "right"] : [d.cue]) {
          boxes[side].setAttribute("stroke", "#fff");
          boxes[side].setAttribute("stroke-width", CUED_LINE_PX);
        }
      }
    },
    target() {
      if (!d.catch) dot.setAttribute("visibility", "visible");
    },
    clear() {
      dot.setAttribute("visibility", "hidden");
    },
  };
  return {s, show, tapArea};
}

export async function runTrial(ctx, trial) {
  const d = trial.display;
  const view = layout(ctx, d);
  const f = (ms) => frames(ms, ctx.frameMs);
  const nCue = f(d.cue_ms);
  await showFrames(ctx, f(d.foreperiod_ms), view.show.fixation);
  await showFrames(ctx, nCue, view.show.cue);
  await showFrames(ctx, Math.max(0, f(d.soa_ms) - nCue), view.show.fixation);
  // Catch trials: the same screen without the dot; the RT clock starts on the
  // frame on which the dot would have come.
  const onset = await ctx.draw(() => {
    view.show.fixation();
    view.show.target();
  });
  const answer = await ctx.waitResponse({
    keys: ctx.input === "touch" ? [] : [d.key],
    buttons: view.tapArea ? [view.tapArea] : [], deadline_ms: d.deadline_ms, onsetMs: onset,
  });
  await ctx.draw(view.show.clear);
  return {onset_s: (onset - ctx.runStart) / 1000, response: answer.response,
          rt_ms: answer.rt_ms, details: {}};
}

// Practice feedback: the words and colour web/tasks/posner.py worked out with
// the task's score() for a press and for none; this page only picks one.
export async function showFeedback(ctx, trial, outcome) {
  const d = trial.display;
  if (!d.feedback) return;
  const fb = outcome.rt_ms === null ? d.feedback.none : d.feedback.pressed;
  const view = layout(ctx, d);
  const shown = await ctx.draw(() => {
    view.show.fixation();
    lines(view.s, ctx.fill(fb.text, {rt: Math.round(outcome.rt_ms ?? 0)}),
          {y: 0.15, size: 0.045, fill: ctx.texts.feedback_rgb[fb.kind]});
  });
  await ctx.clock.wait(d.feedback.ms, shown);
}
