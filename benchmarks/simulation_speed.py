"""How fast simulated data are made: data-only simulation and a power point.

Prints simulated trials per second for ``attentionlab simulate`` (files
written, in the real format, then read back and counted, outside the
timing), for the in-memory studies of a power analysis, and the time of one
power point (N = 20, 144 trials, 1,000 simulated studies by default)
through the real analysis. Figures, not pass/fail.

Usage: python benchmarks/simulation_speed.py [--sessions 200] [--studies 200]
[--simulations 1000]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.simulation.power import power_table, stroop_study
from attentionlab.simulation.stroop import StroopPopulation
from attentionlab.simulation.sessions import write_sessions
from attentionlab.stimuli.stroop import StroopParams


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200,
                        help="simulated session files to write (default 200)")
    parser.add_argument("--studies", type=int, default=200,
                        help="in-memory studies of 20 participants (default 200)")
    parser.add_argument("--simulations", type=int, default=1000,
                        help="simulated studies in the power point (default 1000)")
    args = parser.parse_args(argv)
    params = StroopParams()
    per_session = params.trials + params.practice_trials
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        paths = write_sessions("stroop", args.sessions, out, seed=1)
        elapsed = time.perf_counter() - start
        rows = sum(len(pd.read_csv(p)) for p in paths)
        sidecars = sum(Path(p).with_suffix(".json").exists() for p in paths)
    trials = args.sessions * per_session
    print(f"data-only simulation (files): {args.sessions} sessions x {per_session} trials "
          f"in {elapsed:.2f} s = {trials / elapsed:,.0f} trials/s")
    print(f"  read back: {len(paths)} data files, {sidecars} sidecars, {rows:,} rows "
          f"(expected {trials:,})")

    rng = np.random.default_rng(1)
    n_rows = 0
    start = time.perf_counter()
    for k in range(args.studies):
        n_rows += len(stroop_study(StroopPopulation(), params, 20, 144, rng, str(k)))
    elapsed = time.perf_counter() - start
    print(f"in-memory studies (power): {args.studies} studies, {n_rows:,} trials in "
          f"{elapsed:.2f} s = {n_rows / elapsed:,.0f} trials/s")

    start = time.perf_counter()
    table = power_table("stroop", {"interference_ms": 30.0}, [20], [144],
                        simulations=args.simulations)
    elapsed = time.perf_counter() - start
    row = table.iloc[0]
    print(f"one power point ({args.simulations:,} simulated studies, N = 20, 144 trials, "
          f"full analysis): {elapsed:.1f} s; power {row.power:.3f} ± {row.mc_se:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
