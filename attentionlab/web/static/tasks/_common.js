// Shared by the posner, flicker, conjunctions and inattention presenters: an
// SVG drawing surface in screen-height units (the desktop's 'height' units:
// 0 = centre, 1 = the screen's height, y up), whole-frame phases on
// requestAnimationFrame, and the autopilot's real DOM events for answers made
// of several steps (a key, then a click; two digits, then three clicks).

const SVG = "http://www.w3.org/2000/svg";

// Whole frames for a duration, as the desktop's frame pacer rounds them:
// frames(200, 16.67) -> 12; 0 ms -> 0 frames; anything shorter than a frame -> 1.
export function frames(ms, frameMs) {
  return ms <= 0 ? 0 : Math.max(1, Math.round(ms / frameMs));
}

// Show what `draw` draws for `n` frames: draw it in the next frame's callback
// (that frame is its onset, returned) and let n - 1 more frames pass, so the
// next draw lands on frame n. n = 0 draws nothing and returns null.
export async function showFrames(ctx, n, draw) {
  if (n <= 0) return null;
  const onset = await ctx.draw(draw);
  for (let i = 1; i < n; i++) await ctx.nextFrame();
  return onset;
}

// An SVG filling ctx.stage, in height units. Returns {svg, add(tag, attrs,
// parent), text(str, attrs, parent), toUnits(clientX, clientY), fit(half),
// unitPx(), clear()}. One unit is the screen's height, as on the desktop,
// unless what is drawn (|x| up to `half` units) would not fit across: then the
// whole drawing is scaled down to the screen's width (a phone held upright).
export function surface(ctx, background = "#000", half = 0) {
  const box = ctx.stage.getBoundingClientRect();
  const w = box.width || window.innerWidth;
  const h = box.height || window.innerHeight;
  const aspect = w / h;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  Object.assign(svg.style, {position: "absolute", inset: "0", width: "100%", height: "100%",
                            background, touchAction: "none", userSelect: "none"});
  ctx.stage.replaceChildren(svg);
  let unitsHigh = 1;
  const fit = (needed) => {
    const wide = Math.max(aspect, 2 * needed * 1.04);  // 4% margin at the sides
    unitsHigh = wide / aspect;
    svg.setAttribute("viewBox", `${-wide / 2} ${-unitsHigh / 2} ${wide} ${unitsHigh}`);
  };
  fit(half);
  const add = (tag, attrs = {}, parent = svg) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    parent.appendChild(node);
    return node;
  };
  const text = (str, attrs = {}, parent = svg) => {
    const node = add("text", {"text-anchor": "middle", "dominant-baseline": "central",
                              "font-family": "sans-serif", ...attrs}, parent);
    node.textContent = str;
    return node;
  };
  // CSS px per unit, and a client (CSS px) point in units, y up (the
  // desktop's click_x, click_y).
  const unitPx = () => (svg.getBoundingClientRect().height || h) / unitsHigh;
  const toUnits = (clientX, clientY) => {
    const r = svg.getBoundingClientRect();
    const scale = unitPx();
    return [(clientX - (r.left + r.width / 2)) / scale, ((r.top + r.height / 2) - clientY) / scale];
  };
  const overlays = [];
  const clear = () => {
    svg.replaceChildren();
    for (const block of overlays.splice(0)) block.remove();
  };
  return {svg, add, text, toUnits, unitPx, fit, aspect, overlays, clear};
}

// Text centred at (x, y) (height units, y up), `size` high, wrapped at
// `wrap` screen heights (the desktop's wrapWidth): an HTML block over the SVG
// (text via textContent), so long sentences wrap as on the desktop.
export function lines(s, str, {x = 0, y = 0, size = 0.035, fill = "#fff", wrap = 1.2} = {}) {
  const H = s.svg.getBoundingClientRect().height || window.innerHeight;
  const W = s.svg.getBoundingClientRect().width || window.innerWidth;
  const unit = s.unitPx();
  const width = Math.min(wrap * unit, 0.96 * W);
  const block = document.createElement("div");
  Object.assign(block.style, {
    position: "absolute", left: `${W / 2 + x * unit - width / 2}px`, width: `${width}px`,
    top: `${H / 2 - y * unit}px`, transform: "translateY(-50%)", textAlign: "center",
    color: fill, fontSize: `${Math.max(size * unit, 12)}px`, lineHeight: "1.35",
    whiteSpace: "pre-line",
    fontFamily: "sans-serif", pointerEvents: "none"});
  block.textContent = String(str);
  s.svg.parentNode.appendChild(block);
  s.overlays.push(block);
  return block;
}

// -- the autopilot's events (as app.js makes them: real DOM events) --------
export function press(name) {
  const key = name === "space" ? " " : name === "return" ? "Enter" : name;
  const init = {key, code: key.length === 1 ? `Key${key.toUpperCase()}` : key,
                bubbles: true, cancelable: true};
  document.dispatchEvent(new KeyboardEvent("keydown", init));
  document.dispatchEvent(new KeyboardEvent("keyup", init));
}

export function tap(element, clientX = null, clientY = null) {
  const box = element.getBoundingClientRect();
  const x = clientX ?? box.left + box.width / 2;
  const y = clientY ?? box.top + box.height / 2;
  const init = {bubbles: true, cancelable: true, clientX: x, clientY: y,
                pointerType: "mouse", isPrimary: true, pointerId: 1, button: 0};
  element.dispatchEvent(new PointerEvent("pointerdown", init));
  element.dispatchEvent(new PointerEvent("pointerup", init));
}

// Run `fn` at performance.now() time `at` (ms).
export function at(when, fn) {
  setTimeout(fn, Math.max(0, when - performance.now()));
}

// One answer step with ctx.waitResponse, the autopilot answering with `plan`
// ({response, rt_ms, details} or null) instead of the trial's whole plan.
export async function step(ctx, opts, plan) {
  const saved = ctx.autopilot;
  ctx.autopilot = plan;
  try {
    return await ctx.waitResponse(opts);
  } finally {
    ctx.autopilot = saved;
  }
}

// The key name of a keyboard event, as the server's plans spell them.
export function keyName(event) {
  const key = event.key;
  if (key === " " || key === "Spacebar") return "space";
  if (key === "Escape" || key === "Esc") return "escape";
  if (key === "Enter") return "return";
  return key.toLowerCase();
}
