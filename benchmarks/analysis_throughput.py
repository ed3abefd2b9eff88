"""Throughput of `attentionlab analyze` on many Stroop sessions.

Writes SESSIONS sessions x TRIALS test trials of synthetic Stroop data in our
file format (CSV + JSON sidecar, one folder per participant) into a temporary
folder, then prints:

* the time pandas needs just to read the same files (``pd.read_csv`` per file
  and one ``concat``), in a fresh process;
* the time of ``attentionlab analyze`` on that folder (the whole command, in a
  fresh process, imports included), and of its parts;
* the peak memory (maximum resident set size) of each process.

It also checks that the work was real: every row written was analysed and
no input problem was reported (otherwise it exits 1 without a ratio: timing
a rejection is not throughput). Goal (issue 3): analysis <= 2x the read
time. The figures are printed, not judged.

    .venv/bin/python benchmarks/analysis_throughput.py [--sessions 1000] [--trials 240]
"""

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

from attentionlab.core.columns import column_names
from attentionlab.stimuli import stroop

INKS = ("red", "green", "blue", "yellow")
KEYS = dict(zip(INKS, "dfjk"))
WORDS = {"red": "RED", "green": "GREEN", "blue": "BLUE", "yellow": "YELLOW"}
NEUTRAL_WORDS = ("DEEP", "POOR", "LEGAL", "HORSE")


def write_data(folder: Path, sessions: int, trials: int, seed: int = 1) -> int:
    """Our file format, ex-Gaussian RTs with a 70 ms interference effect.

    Each row is a dict keyed by the declared column names (core/columns.py and
    stroop.COLUMNS), written under the header made from the same declarations,
    so a column added to the task is simply left empty here rather than
    shifting every value. Returns the number of test rows written.
    """
    rng = np.random.default_rng(seed)
    header = column_names(stroop.COLUMNS)
    shift = {"congruent": -10.0, "neutral": 0.0, "incongruent": 60.0}
    error = {"congruent": 0.01, "neutral": 0.015, "incongruent": 0.05}
    for s in range(1, sessions + 1):
        participant = f"P{s:04d}"
        sub = folder / f"sub-{participant}"
        sub.mkdir()
        stem = f"sub-{participant}_ses-1_task-stroop_run-1_beh"
        conds = rng.permutation(np.resize(stroop.CONDITIONS, trials))
        inks = rng.choice(INKS, trials)
        rts = rng.normal(600, 60, trials) + rng.exponential(120, trials)
        with open(sub / f"{stem}.csv", "w", newline="", encoding="utf-8") as fh:
            # restval: columns this benchmark has no value for (e.g. recordings) stay
            # empty; extrasaction="raise": a misspelt name fails here, not in analyze.
            out = csv.DictWriter(fh, fieldnames=header, restval="", extrasaction="raise",
                                 lineterminator="\n")
            out.writeheader()
            for i in range(trials):
                cond, ink = conds[i], inks[i]
                rt = rts[i] + shift[cond]
                if cond == "congruent":
                    word_colour = ink
                elif cond == "incongruent":
                    word_colour = INKS[(INKS.index(ink) + 1 + i % 3) % 4]
                else:
                    word_colour = ""
                word = WORDS[word_colour] if word_colour else NEUTRAL_WORDS[i % 4]
                wrong = rng.random() < error[cond]
                answer = INKS[(INKS.index(ink) + 1) % 4] if wrong else ink
                out.writerow({
                    "participant": participant, "session": "1", "task": "stroop", "run": 1,
                    "block": 1 + i * 3 // trials, "trial_index": i + 1, "phase": "test",
                    "onset_s": round(2.0 + i * 2.1, 4), "response": KEYS[answer],
                    "rt_ms": round(rt, 4), "correct": 0 if wrong else 1,
                    "dropped_frames": 0, "simulated": 1,
                    "timestamp": "2025-01-01T10:00:00+00:00", "word": word, "ink": ink,
                    "congruency": cond, "word_colour": word_colour,
                    "correct_key": KEYS[ink], "response_colour": answer, "lang": "en",
                    "response_mode": "keys"})
        (sub / f"{stem}.json").write_text(json.dumps({
            "task": "stroop", "participant": participant, "session": "1", "completed": True,
            "trials_planned": trials, "trials_done": trials, "abort_reason": None,
            "params": {}, "timing": {"dropped_frames_total": 0}}))
    return sessions * trials


READ_ONLY = textwrap.dedent("""
    import sys, time, resource
    t0 = time.perf_counter()
    from pathlib import Path
    import pandas as pd
    files = sorted(Path(sys.argv[1]).rglob("*.csv"))
    frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    print(time.perf_counter() - t0, len(frame),
          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
""")

ANALYZE = textwrap.dedent("""
    import sys, time, resource
    t0 = time.perf_counter()
    from attentionlab.experiments.cli import main
    code = main(["analyze", sys.argv[1], "--out", sys.argv[2], "--timings"])
    print(time.perf_counter() - t0, code,
          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
""")


def run(script, *args):
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, check=True)
    wall = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    return wall, lines[-1].split(), lines[:-1], done.stderr


def analysed_rows(lines) -> int:
    """Test trials analyze says it analysed (its "Analysed N stroop test trials" line)."""
    for line in lines:
        found = re.match(r"Analysed ([\d,]+) stroop test trials", line)
        if found:
            return int(found.group(1).replace(",", ""))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=240)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="attentionlab-bench-") as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        data.mkdir()
        started = time.perf_counter()
        written = write_data(data, args.sessions, args.trials)
        print(f"data: {args.sessions} sessions x {args.trials} trials written in "
              f"{time.perf_counter() - started:.1f} s")
        run(READ_ONLY, str(data))  # warm the file cache for both measurements
        wall_r, (inner_r, rows, mem_r), _, _ = run(READ_ONLY, str(data))
        wall_a, (inner_a, code, mem_a), parts, errors = run(ANALYZE, str(data), str(out))
        warnings = [line for line in errors.splitlines() if "warning" in line]
        print(f"pandas read only : {float(inner_r):6.2f} s in-process, {wall_r:6.2f} s "
              f"process wall, {int(rows):,} rows, peak RSS {float(mem_r):.0f} MiB")
        print(f"attentionlab analyze: {float(inner_a):6.2f} s in-process, {wall_a:6.2f} s "
              f"process wall, exit {code}, peak RSS {float(mem_a):.0f} MiB")
        for line in parts:
            print("   ", line)
        analysed = analysed_rows(parts)
        print(f"rows analysed: {analysed:,} of {written:,} written; "
              f"input problems reported: {len(warnings)}")
        if code != "0" or analysed != written or warnings:
            # Timing a rejection is not throughput (issue 13): say so, print no ratio.
            print("analyze did not analyse every row; no throughput figure. First "
                  "problems:\n" + "\n".join(errors.splitlines()[:5]), file=sys.stderr)
            return 1
        print(f"ratio analyze/read: {float(inner_a) / float(inner_r):.2f} in-process, "
              f"{wall_a / wall_r:.2f} process wall (goal <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
