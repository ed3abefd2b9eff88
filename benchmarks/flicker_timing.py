"""Flicker timing read back from the screen: how long A/A' and the blank
really stayed on the display, against the planned 240 ms / 80 ms.

Runs a flicker session on its own Xvfb, full screen, with ``--photodiode``
(a white square bottom-left on every image frame, none on blank frames) and
the autopilot, and polls that corner of the X screen from this process
(python-xlib ``get_image``: a software photodiode) as fast as it can. Each
lit run is one image phase, each dark run between two lit runs one blank.
Prints the measured durations next to the planned whole-frame durations and
the session's own records (frames counted, flip-measured phase lengths).
Figures, not pass/fail:

    .venv/bin/python benchmarks/flicker_timing.py [--trials 3] [--seconds 8]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screen_probe import Region, ScreenProbe, Target  # noqa: E402

from attentionlab.experiments.virtual_display import VirtualDisplay  # noqa: E402


def runs(samples):
    """(lit, start_s, end_s) runs from a list of (time_s, lit) samples."""
    out, start, state = [], None, None
    for t, lit in samples:
        if state is None:
            start, state = t, lit
        elif lit != state:
            out.append((state, start, t))
            start, state = t, lit
    return out


def summary(values_ms):
    if not values_ms:
        return "none"
    return (f"n={len(values_ms):3d}  median {statistics.median(values_ms):7.1f}  "
            f"min {min(values_ms):7.1f}  max {max(values_ms):7.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=2, help="flicker trials (default 2)")
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="flicker per trial before the timeout (default 8)")
    args = parser.parse_args(argv)
    with VirtualDisplay() as display, tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "attentionlab.experiments.cli", "run", "flicker",
                   "--participant", "B1", "--autopilot", "--photodiode", "--skip-intro",
                   "--data-dir", tmp, "--seed", "1", "--trials", str(args.trials),
                   "--set", "pair_set=generated", "--set", "no_blank_share=0",
                   "--set", f"timeout_ms={int(args.seconds * 1000)}",
                   # Never found: every trial flickers until the timeout.
                   "--set", "central_cycles=500", "--set", "marginal_cycles=500",
                   "--set", "cycles_sigma=0"]
        env = {**__import__("os").environ, "DISPLAY": display.name}
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        probe = ScreenProbe(display.name)
        width, height = probe.screen_size_px
        side = int(0.06 * height)
        target = Target(Region.bottom_left(width, height, size_px=side // 2, inset_px=side // 4),
                        lit_threshold=200, min_lit_pixels=(side // 2) ** 2 * 3 // 4)
        samples = []
        while process.poll() is None:
            samples.append((time.perf_counter(),
                            probe.count_lit_pixels(target) >= target.min_lit_pixels))
        probe.close()
        out, err = process.communicate()
        if process.returncode != 0:
            print(err, file=sys.stderr)
            return 1
        rows = pd.read_csv(next(Path(tmp).rglob("*_beh.csv")))
    intervals = [(t1 - t0) for (t0, _), (t1, _) in zip(samples, samples[1:])]
    all_runs = runs(samples)
    lit = [(e - s) * 1000 for state, s, e in all_runs if state]
    # Blanks: dark runs between two lit runs within a trial (not fixation or ITI).
    dark = [(e - s) * 1000 for i, (state, s, e) in enumerate(all_runs)
            if not state and 0 < i < len(all_runs) - 1 and (e - s) < 0.5]
    period = 1000 / 60
    print(f"Flicker timing on Xvfb {display.name} ({width}x{height}, software pacing at "
          f"60 Hz), {args.trials} trial(s) of {args.seconds:g} s")
    print(f"screen polled every {statistics.median(intervals) * 1000:.2f} ms (median)")
    print(f"planned: image 14 frames = {14 * period:.1f} ms (asked 240), "
          f"blank 5 frames = {5 * period:.1f} ms (asked 80)")
    print(f"measured on screen, image: {summary(lit)}")
    print(f"measured on screen, blank: {summary(dark)}")
    print("session's records per trial (frames counted, longest phase from flip times):")
    print(rows[["trial_index", "image_frames_min", "image_frames_max", "blank_frames_min",
                "blank_frames_max", "image_phase_ms_max", "blank_phase_ms_max",
                "phase_timing_deviations", "image_phases", "dropped_frames"]]
          .to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
