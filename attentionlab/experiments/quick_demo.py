"""``make demo``: a one-minute Stroop session, then the interference with its 95% CI.

With a screen, a person does the short session in a window. Without one
(a server, CI, a container), the same session runs on a virtual display
with the autopilot answering, so a newcomer sees the whole pipeline work:
presentation, data file, analysis.

The session: 48 test trials, congruent and incongruent only (the two the
interference compares, 24 each), short fixation and blank (200 ms each), in
one block; a person also gets the instructions and 8 practice trials, the
autopilot skips them (``--skip-intro``), so ``--autopilot`` on a screen runs
the same session as on a virtual display. The seed is fixed (``--seed``,
default 1), only so that every run shows the same trials and answers.

The autopilot's participant is the population's average participant (every
between-participant SD set to 0: interference 70 ms, facilitation 10 ms, mu
600 ms) with steadier responses than the average person (ex-Gaussian sigma
40 ms and tau 60 ms instead of 60 and 120), so that 24 trials per condition
measure the effect to about +/- 40 ms: across 1,000 seeds, 95% of its
estimates fell between 33 and 111 ms (tests/test_quick_demo.py sweeps the
seeds). The same minute of trials gave -1 to 146 ms for the average
participant with the default trial noise, and -25 to 176 ms for participants
drawn from the default population (docs/simulation.md, "The demo's
participant").

Usage: ``python -m attentionlab.experiments.quick_demo [--autopilot] [--seed N]``
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from scipy import stats

from attentionlab.analysis.cleaning import CleaningSettings, clean
from attentionlab.analysis.stroop import participant_effects
from attentionlab.experiments.virtual_display import VirtualDisplay

DEMO_SEED = 1  # fixed for reproducibility only: the same trials and answers every run
SESSION_ARGS = ["--participant", "demo", "--session", "1", "--windowed", "--trials", "48",
                "--set", "blocks=1", "--set", "conditions=congruent,incongruent",
                "--set", "condition_weights=1,1", "--set", "fixation_ms=200",
                "--set", "iti_ms=200", "--set", "practice_trials=8"]
# The autopilot's participant (population parameters, see docs/simulation.md).
TYPICAL_PARTICIPANT = {"interference_sd_ms": 0, "facilitation_sd_ms": 0, "mu_sd_ms": 0,
                       "tau_sd_ms": 0, "error_sd": 0, "sigma_ms": 40, "tau_ms": 60}
TYPICAL_RANGE_MS = (60, 90)  # with keys; von Bastian, Souza & Gade (2016): 65 ms


def demo_command(data_dir: str, seed: int = DEMO_SEED, autopilot: bool = False) -> list:
    """The ``attentionlab run stroop ...`` command line of the demo session
    (the autopilot needs no instructions or practice)."""
    command = [sys.executable, "-m", "attentionlab.experiments.cli", "run", "stroop",
               *SESSION_ARGS, "--seed", str(seed), "--data-dir", data_dir]
    if autopilot:
        command += ["--autopilot"]
        for name, value in TYPICAL_PARTICIPANT.items():
            command += ["--set", f"{name}={value}"]
        command += ["--skip-intro"]
    return command


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--autopilot", action="store_true",
                        help="let the simulated participant answer even with a screen")
    parser.add_argument("--data-dir", default="data", help="where the data go (default ./data)")
    parser.add_argument("--seed", type=int, default=DEMO_SEED,
                        help=f"seed of the trial order and of the autopilot's answers "
                        f"(default {DEMO_SEED}, fixed so that every run is the same)")
    args = parser.parse_args(argv)

    has_screen = bool(os.environ.get("DISPLAY"))
    if has_screen and not args.autopilot:
        print("A short Stroop session opens in a window: name the INK colour with the keys "
              "shown. Escape ends it.\n", flush=True)
        status = subprocess.call(demo_command(args.data_dir, args.seed))
    elif has_screen:
        status = subprocess.call(demo_command(args.data_dir, args.seed, autopilot=True))
    else:
        print("No screen found: running the short Stroop on a virtual display, with the "
              "autopilot (a simulated participant) answering. About a minute.\n", flush=True)
        with VirtualDisplay() as display:
            env = {**os.environ, "DISPLAY": display.name}
            status = subprocess.call(demo_command(args.data_dir, args.seed, autopilot=True),
                                     env=env)
    if status not in (0, 1):
        return status
    return _summarise(Path(args.data_dir))


def interference_summary(data: pd.DataFrame, level: float = 0.95) -> dict:
    """The interference of one session with its confidence interval over trials.

    ``data``: one session's rows (long format, as written by ``run``). RT
    means, accuracies and ``interference_ms`` come from
    :func:`attentionlab.analysis.stroop.participant_effects` with the default
    cleaning (correct test trials, RT >= 200 ms); ``ci_low_ms``/``ci_high_ms``
    are the Welch t interval (scipy) of incongruent minus congruent mean RT,
    trials as the observations; NaN with fewer than two trials in a condition.
    ``n_congruent``/``n_incongruent``: trials in the means. Times in ms.

    >>> d = pd.DataFrame({"participant": "P1", "session": "1", "phase": "test",
    ...     "congruency": ["congruent"] * 3 + ["incongruent"] * 3,
    ...     "rt_ms": [500.0, 520, 540, 580, 600, 620], "correct": 1})
    >>> s = interference_summary(d)
    >>> round(s["interference_ms"]), round(s["ci_low_ms"]), round(s["ci_high_ms"])
    (80, 35, 125)
    """
    test = data[data["phase"] == "test"]
    used = clean(test, CleaningSettings(), "congruency", ("participant", "session")).used
    effects = participant_effects(test, used=used)
    row = effects.iloc[0]
    rt = pd.to_numeric(test["rt_ms"], errors="coerce")[used]
    congruency = test["congruency"][used]
    congruent = rt[congruency == "congruent"].to_numpy()
    incongruent = rt[congruency == "incongruent"].to_numpy()
    low = high = float("nan")
    if len(congruent) >= 2 and len(incongruent) >= 2:
        interval = stats.ttest_ind(incongruent, congruent, equal_var=False) \
            .confidence_interval(level)
        low, high = float(interval.low), float(interval.high)
    return {"interference_ms": float(row["interference_ms"]), "ci_low_ms": low,
            "ci_high_ms": high, "ci_level": level,
            "rt_congruent_ms": float(row["rt_congruent_ms"]),
            "rt_incongruent_ms": float(row["rt_incongruent_ms"]),
            "acc_congruent": float(row["acc_congruent"]),
            "acc_incongruent": float(row["acc_incongruent"]),
            "n_congruent": len(congruent), "n_incongruent": len(incongruent)}


def summary_lines(summary: dict, simulated: bool, programmed_ms: float | None = None) -> list:
    """The demo's printed result, one string per line."""
    who = "The simulated participant's" if simulated else "Your"
    s = summary
    if pd.isna(s["interference_ms"]):
        return ["Too few correct trials to compute the interference effect."]
    lines = [f"{who} Stroop interference: {s['interference_ms']:.0f} ms"]
    if pd.isna(s["ci_low_ms"]):
        lines[0] += " (no confidence interval: fewer than two correct trials in a condition)"
    else:
        lines[0] += (f", {s['ci_level']:.0%} CI {s['ci_low_ms']:.0f} to "
                     f"{s['ci_high_ms']:.0f} ms")
    lines.append(f"  (incongruent {s['rt_incongruent_ms']:.0f} ms - congruent "
                 f"{s['rt_congruent_ms']:.0f} ms: mean RTs of {s['n_incongruent']} and "
                 f"{s['n_congruent']} correct trials; Welch t interval over trials; "
                 f"accuracy {s['acc_incongruent']:.0%} / {s['acc_congruent']:.0%}).")
    low, high = TYPICAL_RANGE_MS
    lines.append(f"Typical with keys: {low}-{high} ms (von Bastian et al. 2016: 65 ms).")
    if programmed_ms is not None:
        lines.append(f"The simulated participant was given {programmed_ms:.0f} ms; the CI "
                     f"shows how far one minute of trials can land from it.")
    return lines


def _summarise(data_dir: Path) -> int:
    files = sorted((data_dir / "sub-demo").glob("sub-demo_ses-1_task-stroop_run-*_beh.csv"),
                   key=lambda p: int(p.stem.split("_run-")[1].split("_")[0]))
    if not files:
        print("No data file was written.", file=sys.stderr)
        return 1
    latest = files[-1]
    data = pd.read_csv(latest, dtype={"participant": str, "session": str})
    print(f"\nData written to {latest}")
    print(f"  (and its sidecar {latest.with_suffix('.json')})")
    simulated = bool(data["simulated"].astype(int).any())
    programmed = None
    try:
        sidecar = json.loads(latest.with_suffix(".json").read_text(encoding="utf-8"))
        programmed = sidecar["autopilot"]["participant"]["interference_ms"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # a person's session, or a sidecar cut short: no programmed value to show
    print()
    for line in summary_lines(interference_summary(data), simulated, programmed):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
