// Visual search in the browser (web/tasks/search.py says what `display` holds).
// Before each block: what to look for, with a picture of the target and the
// other shapes. Each trial: fixation, then the search display (the plan's items,
// drawn as SVG in the plan's 'height' units, scaled to fit the screen) until an
// answer or the deadline: one of the two keys, or on a touch screen one of two
// buttons standing in the keys' places (the answer is the key it stands for).

const SVG = "http://www.w3.org/2000/svg";
const blocks = new WeakMap(); // ctx -> the (phase, block) last introduced

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// The upright T or L in the square of side `size` centred on (0, 0), y up, as
// experiments/search.py's letter_vertices draws them on the desktop.
export function letterVertices(shape, size, stroke) {
  const h = size / 2;
  const w = stroke;
  if (shape === "T") {
    return [[-h, h], [h, h], [h, h - w], [w / 2, h - w], [w / 2, -h], [-w / 2, -h],
            [-w / 2, h - w], [-h, h - w]];
  }
  return [[-h, h], [-h + w, h], [-h + w, -h + w], [h, -h + w], [h, -h], [-h, -h]];
}

// One item as SVG: centre (x, y up), clockwise rotation (degrees), its colour.
function itemShape(item, d) {
  const size = d.item_size;
  const g = svg("g", {transform: `translate(${item.x} ${-item.y}) rotate(${item.rotation})`,
                      fill: item.rgb});
  if (item.shape === "bar") {
    const w = size * d.bar_width;
    g.appendChild(svg("rect", {x: -w / 2, y: -size / 2, width: w, height: size}));
  } else {
    const points = letterVertices(item.shape, size, size * d.stroke_width)
      .map(([x, y]) => `${x},${-y}`).join(" ");
    g.appendChild(svg("polygon", {points}));
  }
  return g;
}

function field(d, items) {
  const [w, h] = [d.field_width, d.field_height];
  const picture = svg("svg", {viewBox: `${-w / 2} ${-h / 2} ${w} ${h}`,
                              class: "search-field", preserveAspectRatio: "xMidYMid meet"});
  for (const item of items) picture.appendChild(itemShape(item, d));
  return picture;
}

const EXAMPLES = {
  spatial: [["T0", "T90", "T180", "T270"], ["L0", "L90", "L180", "L270"]],
  conjunction: [["RV"], ["RH", "GV"]],
  feature: [["RV"], ["GV"]],
};
const KIND_RGB = {R: "rgb(235, 45, 45)", G: "rgb(40, 185, 60)"};

function exampleItem(kind) {
  const shape = "TL".includes(kind[0]) ? kind[0] : "bar";
  const rotation = shape === "bar" ? (kind[1] === "H" ? 90 : 0) : Number(kind.slice(1));
  return {x: 0, y: 0, kind, shape, rotation, rgb: KIND_RGB[kind[0]] || "rgb(235, 235, 235)"};
}

// The target (left) and the other shapes (right), as the desktop's block screen.
function examplePicture(ctx, d) {
  const [targets, others] = EXAMPLES[d.search_type];
  const group = (label, kinds) => {
    const gap = d.item_size * 1.6;
    const width = gap * kinds.length;
    const items = kinds.map((k, i) => ({...exampleItem(k), x: (i - (kinds.length - 1) / 2) * gap}));
    return ctx.el("figure", {className: "search-example"}, [
      ctx.el("figcaption", {text: label}),
      field({...d, field_width: width, field_height: gap}, items),
    ]);
  };
  return ctx.el("div", {className: "search-examples"}, [
    group(ctx.texts.label_target, targets), group(ctx.texts.label_others, others)]);
}

export function preload(ctx, run) {
  // The keys' words are the participant's own mapping (planned with the trials).
  const buttons = run.trials.length ? run.trials[0].display.buttons : [];
  const key = (answer) => (buttons.find((b) => b.answer === answer) || {key: "?"}).key;
  const fields = {
    present: key("present").toUpperCase(), absent: key("absent").toUpperCase(),
    left: (buttons[0] || {key: "?"}).key.toUpperCase(),
    right: (buttons[1] || {key: "?"}).key.toUpperCase(),
  };
  fields.keys = buttons.map((b) => ctx.fill(ctx.texts[`key_${b.answer}`],
                                            {key: b.key.toUpperCase()})).join("        ");
  for (const [name, text] of Object.entries(ctx.texts)) {
    if (typeof text === "string") ctx.texts[name] = ctx.fill(text, fields);
  }
  ctx.texts.instructions = ctx.texts.instructions.map((page) => ctx.fill(page, fields));
  ctx.nTestBlocks = Math.max(0, ...run.trials.filter((t) => t.phase === "test")
    .map((t) => t.block));
}

async function blockIntro(ctx, trial) {
  const d = trial.display;
  const what = ctx.texts[`what_${d.search_type}`];
  const head = trial.phase === "practice"
    ? ctx.fill(ctx.texts.block_practice, {what})
    : ctx.fill(ctx.texts.block_test, {what, block: trial.block, n_blocks: ctx.nTestBlocks});
  await ctx.showText(head + ctx.texts.block_body, {picture: examplePicture(ctx, d)});
}

function legendLine(ctx, d) {
  return d.buttons.map((b) => ctx.fill(ctx.texts[`legend_${b.answer}`],
                                       {key: b.key.toUpperCase()})).join("        ");
}

function layout(ctx, d, practice) {
  const {el} = ctx;
  const area = el("div", {className: "search-area"});
  let buttons = [];
  let below = null;
  if (ctx.input === "touch") {
    buttons = d.buttons.map((b) => el("button", {
      className: `answer-button answer-${b.answer}`,
      text: ctx.texts[`legend_${b.answer}`], attrs: {type: "button",
                                                      "data-response": b.key,
                                                      "data-key": b.key}}));
    below = el("div", {className: "search-buttons"}, buttons);
  } else if (practice) {
    below = el("div", {className: "search-legend", text: legendLine(ctx, d)});
  }
  ctx.stage.replaceChildren(el("div", {className: "search"}, [area, below]));
  return {area, buttons};
}

// The field in the desktop's 'height' units: one unit is the screen's height,
// unless the field would not fit the space left for it (a phone held upright).
function fitField(picture, area, d) {
  const unit = Math.min(window.innerHeight, area.clientWidth / d.field_width,
                        area.clientHeight / d.field_height);
  picture.style.width = `${Math.floor(d.field_width * unit)}px`;
  picture.style.height = `${Math.floor(d.field_height * unit)}px`;
}

export async function runTrial(ctx, trial) {
  const d = trial.display;
  const here = `${trial.phase}:${trial.block}`;
  if (blocks.get(ctx) !== here) {
    blocks.set(ctx, here);
    await blockIntro(ctx, trial);
  }
  const view = layout(ctx, d, trial.phase === "practice");
  const display = field(d, d.items);  // built before the fixation: nothing built at onset
  fitField(display, view.area, d);
  const fixation = ctx.el("div", {className: "fixation", text: "+"});
  const fixOn = await ctx.draw(() => view.area.replaceChildren(fixation));
  let t = fixOn;
  while (t + ctx.frameMs - fixOn < d.fixation_ms - ctx.frameMs / 2) t = await ctx.nextFrame();
  const onset = await ctx.draw(() => view.area.replaceChildren(display));
  const answer = await ctx.waitResponse({
    keys: ctx.input === "touch" ? [] : d.buttons.map((b) => b.key),
    buttons: view.buttons, deadline_ms: d.deadline_ms, onsetMs: onset,
  });
  view.area.replaceChildren();
  for (const b of view.buttons) b.disabled = true;
  return {onset_s: (onset - ctx.runStart) / 1000, response: answer.response,
          rt_ms: answer.rt_ms, details: {}};
}

// The desktop's feedback, judged on the server by the task's score (display.feedback).
export async function showFeedback(ctx, trial, outcome) {
  const d = trial.display;
  const said = (outcome.rt_ms === null ? null : d.feedback[outcome.response]) ||
    d.feedback.none;
  const view = layout(ctx, d, true);
  for (const b of view.buttons) b.disabled = true;
  const note = ctx.el("div", {className: `search-feedback feedback-${said.kind}`,
                              text: said.text,
                              style: {color: ctx.texts.feedback_rgb[said.kind]}});
  const shown = await ctx.draw(() => view.area.replaceChildren(note));
  await ctx.clock.wait(d.feedback_ms, shown);
}
