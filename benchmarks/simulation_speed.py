"""How fast simulated data are made: data-only simulation and a power point.

Prints simulated trials per second for ``attentionlab simulate`` (files
written, in the real format) and for the in-memory studies of a power
analysis, and the time of one 1,000-simulation power point (N = 20, 144
trials) through the real analysis.

Usage: python benchmarks/simulation_speed.py
"""

import tempfile
import time

import numpy as np

from attentionlab.analysis.power import power_table, stroop_study
from attentionlab.analysis.simulate import StroopPopulation
from attentionlab.analysis.simulated_sessions import write_sessions
from attentionlab.stimuli.stroop import StroopParams


def main():
    params = StroopParams()
    n_sessions = 200
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        write_sessions("stroop", n_sessions, out, seed=1)
        elapsed = time.perf_counter() - start
    trials = n_sessions * (params.trials + params.practice_trials)
    print(f"data-only simulation (files): {n_sessions} sessions x "
          f"{params.trials + params.practice_trials} trials in {elapsed:.2f} s = "
          f"{trials / elapsed:,.0f} trials/s")

    rng = np.random.default_rng(1)
    start = time.perf_counter()
    for k in range(200):
        stroop_study(StroopPopulation(), params, 20, 144, rng, str(k))
    elapsed = time.perf_counter() - start
    print(f"in-memory studies (power): {200 * 20 * 144:,} trials in {elapsed:.2f} s = "
          f"{200 * 20 * 144 / elapsed:,.0f} trials/s")

    start = time.perf_counter()
    table = power_table("stroop", {"interference_ms": 30.0}, [20], [144], simulations=1000)
    elapsed = time.perf_counter() - start
    row = table.iloc[0]
    print(f"one power point (1,000 simulated studies, N = 20, 144 trials, full analysis): "
          f"{elapsed:.1f} s; power {row.power:.3f} ± {row.mc_se:.3f}")


if __name__ == "__main__":
    main()
