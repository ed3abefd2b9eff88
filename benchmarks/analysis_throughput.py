"""Throughput of `attentionlab analyze` on many Stroop sessions, at several sizes.

For each size in ``--sizes`` (total test trials; sessions of TRIALS trials),
writes SESSIONS sessions x TRIALS test trials of synthetic Stroop data in our
file format (CSV + JSON sidecar, one folder per participant) into a temporary
folder, then prints:

* the time pandas needs just to read the same files (``pd.read_csv`` per file
  and one ``concat``), in a fresh process;
* the time of ``attentionlab analyze`` on that folder (the whole command, in a
  fresh process, imports included), and of its parts;
* the peak memory (maximum resident set size, ``ru_maxrss``, of the child
  process doing only that measurement) of each process;
* the CPU time (user + system) of each process: on a shared machine the
  wall-clock ratio moves with the other users' load, the CPU ratio much less
  (the load average is printed with each size);
* the in-memory size of the data read (``DataFrame.memory_usage(deep=True)``,
  measured after the read was timed).

A table at the end has one line per size. Goals (issue 15): analyze <= 1.5x
the default pandas read, time linear in trials, peak memory <= 3x the data's
in-memory size. The files of each size are deleted before the next size is
written (10^7 trials are about 2.5 GB of CSV).

It also checks that the work was real: every row written was analysed and
no input problem was reported (otherwise it exits 1 without a ratio: timing
a rejection is not throughput). The figures are printed, not judged.

    .venv/bin/python benchmarks/analysis_throughput.py [--sizes 240000,1000000,10000000]
    .venv/bin/python benchmarks/analysis_throughput.py --sessions 3 --trials 24  # one size
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.core.columns import column_names
from attentionlab.stimuli import stroop

INKS = ("red", "green", "blue", "yellow")
KEYS = dict(zip(INKS, "dfjk"))
WORDS = {"red": "RED", "green": "GREEN", "blue": "BLUE", "yellow": "YELLOW"}
NEUTRAL_WORDS = ("DEEP", "POOR", "LEGAL", "HORSE")


def write_data(folder: Path, sessions: int, trials: int, seed: int = 1) -> int:
    """Our file format, ex-Gaussian RTs with a 70 ms interference effect.

    Each session's columns are keyed by the declared column names (core/columns.py
    and stroop.COLUMNS), written under the header made from the same declarations,
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
        # Built a column at a time (10^7 rows row by row took minutes), then put
        # under the header made from the declarations: a column added to the task
        # is left empty (""), a misspelt name here fails (the check below).
        ink_i = np.vectorize(INKS.index)(inks)
        i = np.arange(trials)
        rt = rts + np.vectorize(shift.get)(conds)
        other = np.array(INKS)[(ink_i + 1 + i % 3) % 4]
        word_colour = np.where(conds == "congruent", inks,
                               np.where(conds == "incongruent", other, ""))
        word = np.where(word_colour == "", np.array(NEUTRAL_WORDS)[i % 4],
                        np.vectorize(lambda c: WORDS.get(c, ""))(word_colour))
        wrong = rng.random(trials) < np.vectorize(error.get)(conds)
        answer = np.where(wrong, np.array(INKS)[(ink_i + 1) % 4], inks)
        keys = np.vectorize(KEYS.get)
        rows = {
            "participant": participant, "session": "1", "task": "stroop", "run": 1,
            "block": 1 + i * 3 // trials, "trial_index": i + 1, "phase": "test",
            "onset_s": np.round(2.0 + i * 2.1, 4), "response": keys(answer),
            "rt_ms": np.round(rt, 4), "correct": np.where(wrong, 0, 1),
            "dropped_frames": 0, "simulated": 1,
            "timestamp": "2025-01-01T10:00:00+00:00", "word": word, "ink": inks,
            "congruency": conds, "word_colour": word_colour,
            "correct_key": keys(inks), "response_colour": answer, "lang": "en",
            "response_mode": "keys"}
        unknown = set(rows) - set(header)
        if unknown:
            raise ValueError(f"not declared columns: {sorted(unknown)}")
        frame = pd.DataFrame(rows, index=i).reindex(columns=header, fill_value="")
        frame.to_csv(sub / f"{stem}.csv", index=False, lineterminator="\n",
                     encoding="utf-8")
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
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    size = frame.memory_usage(deep=True).sum() / 2**20  # after the timing: not timed
    print(seconds, len(frame), usage.ru_maxrss / 1024, size, usage.ru_utime + usage.ru_stime)
""")

ANALYZE = textwrap.dedent("""
    import sys, time, resource
    t0 = time.perf_counter()
    from attentionlab.experiments.cli import main
    code = main(["analyze", sys.argv[1], "--out", sys.argv[2], "--timings"])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(time.perf_counter() - t0, code, usage.ru_maxrss / 1024,
          usage.ru_utime + usage.ru_stime)
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


def measure(tmp: Path, sessions: int, trials: int):
    """One size: write, read with pandas, analyze. Returns the table row, or
    None when analyze did not analyse every row (no figures then)."""
    data, out = tmp / "data", tmp / "out"
    data.mkdir()
    started = time.perf_counter()
    written = write_data(data, sessions, trials)
    print(f"\n== {written:,} trials: {sessions} sessions x {trials} trials written in "
          f"{time.perf_counter() - started:.1f} s")
    run(READ_ONLY, str(data))  # warm the file cache for both measurements
    load = os.getloadavg()[0]
    wall_r, (inner_r, rows, mem_r, size, cpu_r), _, _ = run(READ_ONLY, str(data))
    wall_a, (inner_a, code, mem_a, cpu_a), parts, errors = run(ANALYZE, str(data), str(out))
    print(f"load average (1 min) of the machine: {load:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)")
    warnings = [line for line in errors.splitlines() if "warning" in line]
    print(f"pandas read only : {float(inner_r):6.2f} s in-process, {wall_r:6.2f} s "
          f"process wall, {float(cpu_r):6.2f} s CPU, {int(rows):,} rows, peak RSS "
          f"{float(mem_r):.0f} MiB, data in memory {float(size):.0f} MiB")
    print(f"attentionlab analyze: {float(inner_a):6.2f} s in-process, {wall_a:6.2f} s "
          f"process wall, {float(cpu_a):6.2f} s CPU, exit {code}, peak RSS "
          f"{float(mem_a):.0f} MiB")
    for line in parts:
        print("   ", line)
    analysed = analysed_rows(parts)
    print(f"rows analysed: {analysed:,} of {written:,} written; "
          f"input problems reported: {len(warnings)}")
    if code != "0" or analysed != written or warnings:
        # Timing a rejection is not throughput (issue 13): say so, print no ratio.
        print("analyze did not analyse every row; no throughput figure. First "
              "problems:\n" + "\n".join(errors.splitlines()[:5]), file=sys.stderr)
        return None
    ratio, cpu_ratio = float(inner_a) / float(inner_r), float(cpu_a) / float(cpu_r)
    print(f"ratio analyze/read: {ratio:.2f} in-process, "
          f"{wall_a / wall_r:.2f} process wall, {cpu_ratio:.2f} CPU (goal <= 1.5)")
    return (written, float(inner_r), float(mem_r), float(inner_a), float(mem_a), ratio,
            float(size), cpu_ratio)


def sizes_option(text: str) -> list:
    try:
        sizes = [int(float(part)) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"--sizes takes trial counts separated by commas (e.g. 240000,1e6), got {text!r}")
    return sizes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes_option, default="240000,1000000,10000000",
                        help="total test trials per run, comma-separated (default: "
                             "%(default)s)")
    parser.add_argument("--sessions", type=int, default=None,
                        help="one run of this many sessions instead of --sizes")
    parser.add_argument("--trials", type=int, default=240, help="trials per session")
    args = parser.parse_args(argv)
    if args.sessions is not None:
        plan = [args.sessions]
    else:
        plan = [max(1, round(size / args.trials)) for size in args.sizes]
    table = []
    for sessions in plan:
        # A fresh folder per size, deleted before the next one is written.
        with tempfile.TemporaryDirectory(prefix="attentionlab-bench-") as tmp:
            row = measure(Path(tmp), sessions, args.trials)
        if row is None:
            return 1
        table.append(row)
    print("\n    trials  read s  read MiB  analyze s  analyze MiB  ratio  CPU ratio  "
          "data MiB  peak/data  s per 1e6 trials")
    for written, read_s, read_mb, an_s, an_mb, ratio, size, cpu_ratio in table:
        print(f"{written:10,}  {read_s:6.2f}  {read_mb:8.0f}  {an_s:9.2f}  {an_mb:11.0f}  "
              f"{ratio:5.2f}  {cpu_ratio:9.2f}  {size:8.1f}  {an_mb / size:9.2f}  "
              f"{an_s / written * 1e6:16.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
