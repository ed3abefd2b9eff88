"""RT accuracy in the browser: how far the Stroop RT a student's browser
records is from the true delay between the onset the page reports and the
key press, next to the same figure for the desktop (PsychoPy) session.

    .venv/bin/python benchmarks/browser_rt_accuracy.py [--trials 24] [--desktop-trials 12]
        [--no-desktop]

What it does:

1. Starts ``attentionlab classroom serve`` on 127.0.0.1 (Stroop only, no
   practice) and opens the student page in Debian's headless Chromium
   (Playwright), as a real student: no autopilot, it picks Stroop from the
   menu and goes through the instructions with SPACE.
2. On every trial the page announces the onset it will record (the
   ``attentionlab:onset`` event: the requestAnimationFrame timestamp of the
   frame that shows the word, on ``performance.now()``). The benchmark waits
   a seeded delay (uniform 300-700 ms) from that onset and presses a response
   key through the DevTools protocol (Playwright's keyboard).
3. The true delay is (the moment the key was sent - the onset), both on the
   page's clock: the benchmark's clock is mapped to the page's by the
   shortest of 30 round trips (``performance.timeOrigin + performance.now()``
   against ``time.time()``). The error is the rt_ms the page sent the server
   minus that true delay.
4. Runs a short desktop autopilot session (benchmarks/autopilot_timing.py's
   code: ``attentionlab run stroop --autopilot`` on its own Xvfb) and prints
   its "rt_ms - injected press" the same way, when Xvfb is installed.

What it cannot see: when the pixels really change. Headless Chromium has no
screen; the rAF timestamp is when the frame began, and a real monitor, its
compositor and a USB keyboard add tens of ms that no browser reports (the
desktop figure has the same blind spot for the monitor). The figures are the
error of the browser's own clocks and event path, a lower bound on the error
a student's laptop makes.
"""

import argparse
import os
import queue
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "web_browser"))
sys.path.insert(0, str(HERE))

from web_browser_helpers import ClassServer, browser_problem, launch_chromium  # noqa: E402

DELAYS_MS = (300, 700)
# The page announces each onset; the benchmark hears it through a binding.
LISTEN = """window.addEventListener("attentionlab:onset", (event) => {
  window.__bench_onset(event.detail.onset_ms, event.detail.keys || []);
});"""


def summary(values) -> str:
    """n, median, IQR and worst of ms values (autopilot_timing.py's format)."""
    values = sorted(v for v in values if v == v)
    if not values:
        return "n=  0"
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return (f"n={len(values):3d}  median {statistics.median(values):7.2f}  "
            f"IQR {q[0]:7.2f} .. {q[2]:7.2f}  min {values[0]:7.2f}  max {values[-1]:7.2f} ms")


def clock_offset_ms(page, rounds=30):
    """(page clock - time.time()) in ms, and the round trip it was read in:
    the shortest of ``rounds`` round trips (its half is the uncertainty)."""
    best = None
    for _ in range(rounds):
        before = time.time() * 1000
        page_now = page.evaluate("performance.timeOrigin + performance.now()")
        after = time.time() * 1000
        if best is None or after - before < best[1]:
            best = (page_now - (before + after) / 2, after - before)
    origin = page.evaluate("performance.timeOrigin")
    return best[0] - origin, best[1]  # page performance.now() = time.time()*1000 + offset


def state(page):
    return page.evaluate("document.body.dataset.state")


def wait_state(page, wanted, timeout_s=120):
    deadline = time.monotonic() + timeout_s
    while state(page) not in wanted:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the student page never reached {wanted} (it is {state(page)!r})")
        page.wait_for_timeout(50)


def browser_session(server_url, seed):
    """Run one real-student Stroop run to its result screen; returns (rows,
    facts): a row per key pressed, with onset_ms and sent_ms (page clock) and
    what the page sent the server (trial_index, rt_ms, onset_s)."""
    from playwright.sync_api import sync_playwright

    onsets = queue.Queue()
    sent_trials = []
    rng = random.Random(seed)
    rows = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.expose_function("__bench_onset", lambda onset, keys: onsets.put(
            (onset, keys, time.time() * 1000)))
        page.add_init_script(LISTEN)
        page.on("request", lambda r: sent_trials.append(r.post_data_json)
                if r.url.endswith("/api/trial") else None)
        page.goto(server_url + "?input=keys")
        wait_state(page, {"menu"})
        page.click('button[data-task="stroop"]')
        offset, round_trip = clock_offset_ms(page)
        heard_lags = []
        while True:
            try:
                onset, keys, heard = onsets.get_nowait()
            except queue.Empty:
                if state(page) in ("result", "menu", "error"):
                    break
                if page.locator(".text-screen .continue").count():
                    page.keyboard.press(" ")  # instructions and the "test begins" text
                    page.wait_for_timeout(350)
                page.wait_for_timeout(2)
                continue
            delay = rng.uniform(*DELAYS_MS)
            heard_lags.append(heard + offset - onset)
            target = onset + delay - offset  # on time.time() * 1000
            # Sleep most of the way, then spin: time.sleep overshoots by up to a ms.
            while time.time() * 1000 < target - 5:
                time.sleep(0.001)
            while time.time() * 1000 < target:
                pass
            sent = time.time() * 1000 + offset
            page.keyboard.press(rng.choice(keys))
            rows.append({"onset_ms": onset, "sent_ms": sent})
        version = browser.version
        browser.close()
    recorded = {}
    for trial in sent_trials:  # a send the page retried counts once
        if trial and trial.get("outcome"):
            recorded.setdefault(trial["trial_index"], trial)
    recorded = [recorded[index] for index in sorted(recorded)]
    for row, trial in zip(rows, recorded):
        row.update(trial_index=trial["trial_index"], rt_ms=trial["outcome"]["rt_ms"],
                   onset_s=trial["outcome"]["onset_s"])
    facts = {"round_trip_ms": round_trip, "heard_lag_ms": heard_lags, "sent": len(recorded),
             "version": version}
    return rows, facts


def desktop_errors(trials):
    """The desktop session's 'rt_ms - injected press' for Stroop (autopilot_timing.py's
    measure), or None when Xvfb is missing."""
    if shutil.which("Xvfb") is None:
        return None
    import autopilot_timing as desktop
    from attentionlab.experiments.virtual_display import VirtualDisplay

    with VirtualDisplay() as display, tempfile.TemporaryDirectory() as tmp:
        rows, sidecar = desktop.run_task("stroop", desktop.TASKS["stroop"], display.name,
                                         trials, Path(tmp) / "stroop")
    return desktop.press_errors(rows, sidecar)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=24,
                        help="browser trials (default 24; the balanced plan may round up)")
    parser.add_argument("--desktop-trials", type=int, default=12,
                        help="trials of the desktop session (default 12)")
    parser.add_argument("--no-desktop", action="store_true", help="skip the desktop session")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    problem = browser_problem()
    if problem:
        print(f"browser_rt_accuracy: {problem}", file=sys.stderr)
        return 2
    # Whole trials of the balanced Stroop plan: ask for at least --trials.
    sets = {"stroop": (f"trials={max(4, args.trials)}", "practice_trials=0")}
    with tempfile.TemporaryDirectory() as tmp:
        server = ClassServer(Path(tmp) / "class", tasks=("stroop",), sets=sets)
        server.start()
        try:
            rows, facts = browser_session(server.student_url, args.seed)
        finally:
            server.stop()
    if not rows:
        print("browser_rt_accuracy: the page announced no onset (no 'attentionlab:onset' event "
              "from app.js's waitResponse), so no key could be pressed at a known delay",
              file=sys.stderr)
        return 1
    answered = [r for r in rows if r.get("rt_ms") is not None]
    errors = [r["rt_ms"] - (r["sent_ms"] - r["onset_ms"]) for r in answered]
    # The onset the event announced is the onset the page recorded: their
    # difference is the run's start, the same for every trial.
    starts = [r["onset_ms"] - r["onset_s"] * 1000 for r in answered]
    print(f"Browser RT accuracy: Chromium {facts['version']} headless, delays uniform "
          f"{DELAYS_MS[0]}-{DELAYS_MS[1]} ms after the reported onset, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"trials: {len(rows)} keys pressed, {facts['sent']} trials sent to the server, "
          f"{len(answered)} with a recorded RT")
    print(f"clock mapping: shortest round trip {facts['round_trip_ms']:.2f} ms "
          f"(uncertainty +-{facts['round_trip_ms'] / 2:.2f} ms)")
    if starts:
        print(f"reported onset - announced onset: spread {max(starts) - min(starts):.3f} ms "
              f"(0: the page recorded the onset it announced)")
    print(f"onset heard by the benchmark after: {summary(facts['heard_lag_ms'])}")
    print(f"browser stroop  rt_ms - true delay: {summary(errors)}")
    if args.no_desktop:
        print("desktop stroop  rt_ms - injected press: skipped (--no-desktop)")
    else:
        desk = desktop_errors(args.desktop_trials)
        print("desktop stroop  rt_ms - injected press: "
              + ("skipped (needs Xvfb)" if desk is None else summary(desk)))
    return 0 if answered else 1


if __name__ == "__main__":
    raise SystemExit(main())
