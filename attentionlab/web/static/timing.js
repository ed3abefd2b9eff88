// Browser timing: the frame clock behind every onset, the measured frame
// rate, and dropped frames.
//
// Onsets are requestAnimationFrame timestamps: a DOM change made inside a rAF
// callback (or before it, in the same turn) is painted in that frame, so the
// callback's timestamp is the frame that first shows it. Responses are event
// timeStamps; both are on the performance.now() clock. What this is good for
// (effects of tens of ms) and what not (millisecond claims) is in
// docs/classroom-web.md, with the measured figures.

// A gap of more than this many frame intervals between two consecutive
// frames of a running loop counts the frames in between as dropped.
const LATE = 1.5;

export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

// The median interval of `n` consecutive frames (ms) and its rate (Hz); a
// median, so one slow frame while the page settles does not bias it.
// measureFrameRate(60) -> {frame_ms: 16.67, hz: 60.0}
export async function measureFrameRate(n = 60) {
  const stamps = [];
  for (let i = 0; i <= n; i++) stamps.push(await nextFrame());
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  if (!(median > 0)) return {frame_ms: 1000 / 60, hz: null};
  return {frame_ms: median, hz: Math.round(10000 / median) / 10};
}

// Frames of one trial: nextFrame() as above, counting frames that came late
// while a loop was running (a frame asked for within one interval of the
// last one; a pause between screens is not a dropped frame).
export class FrameClock {
  constructor(frameMs) {
    this.frameMs = frameMs;
    this.dropped = 0;
    this.last = null;
  }

  reset() {
    this.dropped = 0;
    this.last = null;
  }

  next() {
    return this.draw(null);
  }

  // Run `draw` (if given) inside the next frame's callback, so that frame
  // paints it; resolves that frame's timestamp.
  async draw(draw) {
    const asked = performance.now();
    const t = await new Promise((resolve) => requestAnimationFrame((stamp) => {
      if (draw) draw();
      resolve(stamp);
    }));
    if (this.last !== null && asked - this.last < this.frameMs) {
      const gap = t - this.last;
      if (gap > LATE * this.frameMs) this.dropped += Math.round(gap / this.frameMs) - 1;
    }
    this.last = t;
    return t;
  }

  // Keep frames running for `ms` from `from` (default: now); resolves the
  // timestamp of the first frame at or after the end (within half a frame).
  async wait(ms, from = null) {
    const start = from ?? (await this.next());
    let t = start;
    while (t - start < ms - this.frameMs / 2) t = await this.next();
    return t;
  }
}
