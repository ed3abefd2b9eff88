"""``make demo``: a short Stroop session, then the participant's interference.

With a screen, a person does the short session in a window. Without one
(a server, CI, a container), the same session runs on a virtual display
with the autopilot answering, so a newcomer sees the whole pipeline work:
presentation, data file, analysis.

Usage: ``python -m attentionlab.experiments.quick_demo [--autopilot]``
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from attentionlab.analysis.stroop import participant_effects
from attentionlab.experiments.virtual_display import VirtualDisplay

DEMO_ARGS = ["--participant", "demo", "--session", "1", "--windowed", "--trials", "36",
             "--set", "blocks=1", "--set", "practice_trials=6"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--autopilot", action="store_true",
                        help="let the simulated participant answer even with a screen")
    parser.add_argument("--data-dir", default="data", help="where the data go (default ./data)")
    args = parser.parse_args(argv)

    command = [sys.executable, "-m", "attentionlab.experiments.cli", "run", "stroop",
               *DEMO_ARGS, "--data-dir", args.data_dir]
    has_screen = bool(os.environ.get("DISPLAY"))
    if has_screen and not args.autopilot:
        print("A short Stroop session opens in a window: name the INK colour with the keys "
              "shown. Escape ends it.\n", flush=True)
        status = subprocess.call(command)
    else:
        if not has_screen:
            print("No screen found: running the short Stroop on a virtual display, with the "
                  "autopilot (a simulated participant) answering. About a minute.\n",
                  flush=True)
        with VirtualDisplay() as display:
            env = {**os.environ, "DISPLAY": display.name}
            status = subprocess.call(command + ["--autopilot"], env=env)
    if status not in (0, 1):
        return status
    return _summarise(Path(args.data_dir))


def _summarise(data_dir: Path) -> int:
    files = sorted((data_dir / "sub-demo").glob("sub-demo_ses-1_task-stroop_run-*_beh.csv"),
                   key=lambda p: int(p.stem.split("_run-")[1].split("_")[0]))
    if not files:
        print("No data file was written.", file=sys.stderr)
        return 1
    latest = files[-1]
    data = pd.read_csv(latest, dtype={"participant": str, "session": str})
    effects = participant_effects(data)
    print(f"\nData written to {latest}")
    print(f"  (and its sidecar {latest.with_suffix('.json')})")
    if effects.empty or pd.isna(effects.loc[0, "interference_ms"]):
        print("Too few correct trials to compute the interference effect.")
        return 0
    row = effects.iloc[0]
    simulated = bool(data["simulated"].astype(int).any())
    who = "The simulated participant's" if simulated else "Your"
    print(f"\n{who} Stroop interference: {row['interference_ms']:.0f} ms "
          f"(incongruent {row['rt_incongruent_ms']:.0f} ms - congruent "
          f"{row['rt_congruent_ms']:.0f} ms; accuracy "
          f"{row['acc_congruent']:.0%} / {row['acc_incongruent']:.0%}).")
    print("Typical with keys: 60-90 ms (von Bastian et al. 2016: 65 ms).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
