// The autopilot (?autopilot=1): a simulated student's answers as the events a
// student makes. The server plans each answer (the task's simulated
// participant); the page dispatches it at onset + the planned RT as a real
// KeyboardEvent or PointerEvent, so the page's own listeners time it and the
// recorded RT is what the page measured.

// KeyboardEvent.code of a key, as a US keyboard gives it.
function codeOf(key) {
  if (key === " ") return "Space";
  if (/^[a-z]$/i.test(key)) return `Key${key.toUpperCase()}`;
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  return key;
}

// A key press and release (name as the server spells keys: "space", "d").
export function press(name) {
  const key = name === "space" ? " " : name === "return" ? "Enter" : name;
  const init = {key, code: codeOf(key), bubbles: true, cancelable: true};
  document.dispatchEvent(new KeyboardEvent("keydown", init));
  document.dispatchEvent(new KeyboardEvent("keyup", init));
}

// A tap on `element` (at its centre, or `offset` {x, y} CSS px from its top-left).
export function tap(element, offset = null) {
  const box = element.getBoundingClientRect();
  const x = box.left + (offset ? offset.x : box.width / 2);
  const y = box.top + (offset ? offset.y : box.height / 2);
  const init = {bubbles: true, cancelable: true, clientX: x, clientY: y,
                pointerType: "touch", isPrimary: true, pointerId: 1, button: 0};
  element.dispatchEvent(new PointerEvent("pointerdown", init));
  element.dispatchEvent(new PointerEvent("pointerup", init));
  element.click();
}

// The planned response as the event a student would make: a key press, a tap
// on the button standing for the planned key or answer, or a tap at a point.
export function inject(plan, {keys, buttons, clickTarget}) {
  if (clickTarget && plan.details && Number.isFinite(plan.details.x)) {
    tap(clickTarget, {x: plan.details.x, y: plan.details.y});
    return;
  }
  const button = buttons.find((b) => b.dataset.response === plan.response ||
                                     b.dataset.key === plan.response);
  if (button) tap(button);
  else if (keys.includes(plan.response)) press(plan.response);
  else if (clickTarget) tap(clickTarget);
}

