"""``attentionlab simulate`` and ``attentionlab power``."""

import sys
from pathlib import Path

from attentionlab.core.errors import UsageError
from attentionlab.core.params import describe, parse_set_options
from attentionlab.core.progress import Progress


def register(subparsers) -> None:
    sim = subparsers.add_parser(
        "simulate", help="write simulated sessions (same format as real ones, simulated=1)",
        description="Simulated participants do the task; one CSV + sidecar per session, "
        "exactly as a real session writes them. Effects are set with --set, e.g. "
        "--set interference_ms=80. Simulation parameters: "
        + ", ".join(_population_names()) + "; task parameters as in 'attentionlab params'.")
    sim.add_argument("task", metavar="TASK",
                     help="the task simulated, one of: " + ", ".join(_simulated_tasks()))
    sim.add_argument("--participants", type=int, required=True, metavar="N",
                     help="number of simulated participants")
    sim.add_argument("--out", required=True, metavar="DIR",
                     help="folder for the data files: new or empty (see --force)")
    sim.add_argument("--force", action="store_true",
                     help="write into a folder that already holds files: the new sessions "
                          "are added beside them as further runs (nothing is replaced), "
                          "and 'analyze' then keeps one run per participant x session")
    sim.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    sim.add_argument("--trials", type=int, metavar="N", help="test trials per session")
    sim.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="set an effect or a task parameter (repeatable)")
    sim.set_defaults(func=run_simulate)

    power = subparsers.add_parser(
        "power", help="power analysis by simulation, through the real analysis",
        description="For each number of participants and of trials, simulate many studies, "
        "analyse each, and report how often the effect is significant (two-sided t-test, "
        "alpha .05).")
    power.add_argument("task", metavar="TASK",
                       help="the task: only " + ", ".join(_powered_tasks()) + " so far "
                            "(effects: " + "; ".join(_powered_effects()) + ")")
    power.add_argument("--effect", required=True, metavar="NAME=VALUE",
                       help="the effect to detect, e.g. interference_ms=30")
    power.add_argument("--participants", required=True, metavar="LIST",
                       help="numbers of participants, e.g. 10,20,40")
    power.add_argument("--trials", required=True, metavar="LIST",
                       help="numbers of test trials per participant, e.g. 48,144")
    power.add_argument("--simulations", type=int, default=1000, metavar="K",
                       help="simulated studies per cell (default 1000)")
    power.add_argument("--seed", type=int, default=1, metavar="S")
    power.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="other population or task parameters (repeatable)")
    power.add_argument("--out", default="power", metavar="DIR",
                       help="folder for power.csv and power_curve.png (default ./power)")
    power.set_defaults(func=run_power)


def _simulated_tasks():
    from attentionlab.tasks import TASKS as SIMULATIONS
    return list(SIMULATIONS)


def _powered_tasks():
    from attentionlab.simulation.power import EFFECTS
    return list(EFFECTS)


def _powered_effects():
    from attentionlab.simulation.power import EFFECTS
    return [f"{task}: {', '.join(names)}" for task, names in EFFECTS.items()]


def _population_names():
    from attentionlab.simulation.registry import population_for
    from attentionlab.tasks import TASKS as SIMULATIONS
    return sorted({row["name"] for task in SIMULATIONS
                   for row in describe(population_for(task)())})


def run_simulate(args) -> int:
    from attentionlab.simulation.sessions import write_sessions

    if not 1 <= args.participants <= 100000:
        raise UsageError(f"--participants must be between 1 and 100000, got {args.participants}")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()) and not args.force:
        raise UsageError(f"--out {str(out)!r} already holds files; choose a new or empty "
                         f"folder, or add --force to add these sessions beside them")

    with Progress("simulating sessions", unit="session") as progress:
        paths = write_sessions(args.task, args.participants, out, seed=args.seed,
                               trials=args.trials, overrides=parse_set_options(args.set),
                               progress=progress)
    print(f"Wrote {len(paths)} simulated session(s) to {out}/ (simulated=1). "
          f"Analyse them with: attentionlab analyze {out} --out {out}_analysis")
    again = [p for p in paths if "_run-1_" not in p.name]
    if again:
        print(f"Note: {len(again)} of them are further runs of participants already in "
              f"{out}/ (e.g. {again[0].name}); 'analyze' keeps one run per participant x "
              f"session (the one with the most test trials, the first found on a tie) and "
              f"says which.")
    return 0


def run_power(args) -> int:
    from attentionlab.simulation.power import (check_request, parse_list, power_figure,
                                             power_table, smallest_n)
    from attentionlab.simulation.registry import population_for

    effect = parse_set_options([args.effect])
    try:
        effect = {k: float(v) for k, v in effect.items()}
    except ValueError:
        raise UsageError(f"--effect value must be a number, got {args.effect!r}") from None
    population_for(args.task)  # an unknown task: UsageError listing the simulated tasks
    check_request(args.task, effect)
    participants = parse_list(args.participants, "--participants")
    trials = parse_list(args.trials, "--trials")
    if not 10 <= args.simulations <= 100000:
        raise UsageError(f"--simulations must be between 10 and 100000, got {args.simulations}")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"output folder {str(out)!r} is not empty; choose another --out")

    print(f"Simulating {args.simulations} studies for each of "
          f"{len(participants) * len(trials)} cells...", file=sys.stderr, flush=True)
    with Progress("power cells", unit="cell") as progress:
        table = power_table(args.task, effect, participants, trials,
                            simulations=args.simulations, seed=args.seed,
                            overrides=parse_set_options(args.set), progress=progress)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "power.csv", index=False)
    power_figure(table, effect, out / "power_curve.png")
    _print_table(table, effect, args.simulations)
    for target in (0.8, 0.9):
        best = smallest_n(table, target)
        text = ", ".join(f"{t} trials: {'N = ' + str(n) if n else 'not reached'}"
                         for t, n in best.items())
        print(f"Smallest N for {target:.0%} power: {text}")
    print(f"Wrote {out / 'power.csv'} and {out / 'power_curve.png'}")
    return 0


def _print_table(table, effect, k):
    (name, value), = effect.items()
    print(f"\nPower for {name} = {value:g} (two-sided t-test, alpha .05; "
          f"{k} simulated studies per cell; ± Monte-Carlo SE)\n")
    trials = sorted(table.trials.unique())
    print("participants | " + " | ".join(f"{t:>4} trials " for t in trials))
    for n, rows in table.groupby("participants"):
        cells = []
        for t in trials:
            r = rows[rows.trials == t].iloc[0]
            cells.append(f"{r.power:.3f} ± {r.mc_se:.3f}")
        print(f"{n:>12} | " + " | ".join(f"{c:>12}" for c in cells))
    print()
