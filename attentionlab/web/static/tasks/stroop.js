// Stroop in the browser (web/tasks/stroop.py says what `display` holds).
// Fixation, then the coloured word until an answer or the deadline: one of the
// four keys (laptop), or one of four coloured buttons (touch screen; the answer
// is the colour tapped). Practice feedback in the desktop task's words.

// Longest word of the demo languages (AMARILLO) in character widths; the word
// shrinks below its word_height when the screen is too narrow for it.
const WIDE = 0.72;

export function preload(ctx, run) {
  // The key legend of the instructions is the participant's own mapping.
  const buttons = run.trials.length ? run.trials[0].display.buttons : [];
  const legend = buttons.map((b) => `${b.key.toUpperCase()} = ${b.label}`).join("\n");
  ctx.texts.instructions = ctx.texts.instructions.map((page) => ctx.fill(page, {legend}));
}

function layout(ctx, d) {
  const {el} = ctx;
  const word = el("div", {className: "stroop-word", attrs: {"aria-live": "off"}});
  const centre = el("div", {className: "stroop-centre"}, [word]);
  let buttons = [];
  let below = null;
  if (ctx.input === "touch") {
    buttons = d.buttons.map((b) => el("button", {
      className: "colour-button", text: b.label, style: {background: b.rgb},
      attrs: {type: "button", "data-response": b.colour, "data-key": b.key}}));
    below = el("div", {className: "stroop-buttons"}, buttons);
  } else if (d.legend) {
    below = el("div", {className: "stroop-legend"}, d.buttons.map((b) => el("span", {
      text: `${b.key.toUpperCase()}: ${b.label}`, style: {color: b.rgb}})));
  }
  const screen = el("div", {className: "stroop"}, [centre, below]);
  ctx.stage.replaceChildren(screen);
  return {word, centre, buttons, below};
}

function sizeWord(word, centre, d) {
  const h = centre.clientHeight || window.innerHeight;
  const w = centre.clientWidth || window.innerWidth;
  const byHeight = d.word_height * window.innerHeight;
  const byWidth = (0.92 * w) / (Math.max(d.word.length, 4) * WIDE);
  word.style.fontSize = `${Math.floor(Math.min(byHeight, byWidth, 0.8 * h))}px`;
}

export async function runTrial(ctx, trial) {
  const d = trial.display;
  const view = layout(ctx, d);
  sizeWord(view.word, view.centre, d);
  // Fixation, then the word on the frame fixation_ms later.
  const fixOn = await ctx.draw(() => {
    view.word.textContent = "+";
    view.word.className = "stroop-word fixation";
  });
  let t = fixOn;
  while (t + ctx.frameMs - fixOn < d.fixation_ms - ctx.frameMs / 2) t = await ctx.nextFrame();
  const onset = await ctx.draw(() => {
    view.word.textContent = d.word;
    view.word.className = "stroop-word";
    view.word.style.color = d.ink_rgb;
  });
  const answer = await ctx.waitResponse({
    keys: ctx.input === "touch" ? [] : d.buttons.map((b) => b.key),
    buttons: view.buttons, deadline_ms: d.deadline_ms, onsetMs: onset,
  });
  view.word.textContent = "";
  for (const b of view.buttons) b.disabled = true;
  return {onset_s: (onset - ctx.runStart) / 1000, response: answer.response,
          rt_ms: answer.rt_ms, details: {}};
}

// The desktop's feedback, judged on the server by the task's score (display.feedback).
export async function showFeedback(ctx, trial, outcome) {
  const d = trial.display;
  const said = (outcome.rt_ms === null ? null : d.feedback[outcome.response]) ||
    d.feedback.none;
  const view = layout(ctx, d);
  for (const b of view.buttons) b.disabled = true;
  const shown = await ctx.draw(() => {
    view.word.textContent = said.text;
    view.word.className = `stroop-feedback feedback-${said.kind}`;
    view.word.style.color = ctx.texts.feedback_rgb[said.kind];
  });
  await ctx.clock.wait(d.feedback_ms, shown);
}
