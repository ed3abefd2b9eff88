"""The ``attentionlab`` command.

Exit status: 0 done (session completed), 1 session aborted (data kept),
2 invalid arguments (one line on stderr saying what is wrong and what is
allowed; nothing created on disk).
"""

import argparse
import os
import sys

from attentionlab.core.errors import UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and exit 2, like our own UsageErrors."""

    def error(self, message):
        self.exit(2, f"attentionlab: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    from attentionlab.stimuli.registry import TASKS

    tasks = ", ".join(TASKS)
    parser = _Parser(prog="attentionlab",
                     description="Classic attention experiments with the analysis built in.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    run = sub.add_parser("run", help="run a session with a participant",
                         description="Run a task session. Data are written trial by trial to "
                         "DATA_DIR/sub-<participant>/.")
    run.add_argument("task", metavar="TASK", help=f"task to run: {tasks}")
    run.add_argument("--participant", required=True, metavar="LABEL",
                     help="participant label: letters and digits only, e.g. P07")
    run.add_argument("--session", default="1", metavar="LABEL",
                     help="session label: letters and digits (default 1)")
    run.add_argument("--data-dir", default="data", metavar="DIR",
                     help="folder for the data files (default ./data)")
    run.add_argument("--seed", type=int, metavar="N",
                     help="random seed for the trial order (default: a fresh one, recorded)")
    run.add_argument("--trials", type=int, metavar="N",
                     help="number of test trials (rounded up to a balanced design)")
    run.add_argument("--windowed", action="store_true",
                     help="a 1024x768 window instead of full screen")
    run.add_argument("--skip-intro", action="store_true",
                     help="no instructions and no practice: start with the first test trial")
    run.add_argument("--photodiode", action="store_true",
                     help="white square bottom-left from each stimulus onset to the response")
    run.add_argument("--autopilot", action="store_true",
                     help="a simulated participant answers through XTest (rows say simulated=1); "
                     "--set may then also set its effects, e.g. interference_ms=80 "
                     "(see 'attentionlab simulate --help')")
    run.add_argument("--lang", metavar="CODE", help="language of words and instructions")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="override one task parameter (repeatable); see 'attentionlab params'")
    run.add_argument("--config", metavar="FILE", help="TOML file of parameter values")
    run.set_defaults(func=_cmd_run)

    params = sub.add_parser("params", help="list a task's parameters, defaults and meaning")
    params.add_argument("task", metavar="TASK", help=f"task: {tasks}")
    params.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="show the values after these overrides")
    params.add_argument("--config", metavar="FILE", help="show the values after this TOML file")
    params.set_defaults(func=_cmd_params)

    check = sub.add_parser("check", help="check this computer before the first participant")
    check.add_argument("--data-dir", default="data", metavar="DIR",
                       help="data folder to check (default ./data)")
    check.add_argument("--windowed", action="store_true",
                       help="measure in a window instead of full screen")
    check.set_defaults(func=_cmd_check)

    from attentionlab.analysis import commands as analysis_commands
    from attentionlab.analysis import simulation_commands
    from attentionlab import classroom_commands
    from attentionlab.stimuli import commands as stimuli_commands
    from attentionlab.experiments import hand_scoring
    from attentionlab.analysis import voicekey_check

    analysis_commands.register(sub)
    simulation_commands.register(sub)
    stimuli_commands.register(sub)
    classroom_commands.register(sub)
    hand_scoring.register(sub)
    voicekey_check.register(sub)
    return parser


def _cmd_run(args) -> int:
    from attentionlab.core.datafile import preflight
    from attentionlab.core.labels import check_label
    from attentionlab.experiments import tasks
    from attentionlab.experiments.session import SessionOptions, run_session

    check_label(args.participant, "participant")
    check_label(args.session, "session")
    if args.seed is not None and not 0 <= args.seed < 2**31:
        raise UsageError(f"--seed must be between 0 and {2**31 - 1}, got {args.seed}")
    params, population = tasks.resolve_params(args.task, config=args.config, sets=args.set,
                                              trials=args.trials, lang=args.lang,
                                              autopilot=args.autopilot)
    seed = args.seed if args.seed is not None else tasks.new_seed()
    prepared = tasks.prepare(args.task, params, args.participant, seed)
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        raise UsageError("no display: $DISPLAY is not set. Run on a screen, or on a virtual "
                         "one with 'xvfb-run -s \"-screen 0 1024x768x24\" attentionlab run ...'")
    preflight(args.data_dir)
    options = SessionOptions(
        task=args.task, participant=args.participant, session=args.session,
        data_dir=args.data_dir, seed=seed, windowed=args.windowed,
        skip_intro=args.skip_intro, photodiode=args.photodiode, autopilot=args.autopilot,
        population=population, command_line=sys.argv[1:])
    if args.autopilot:
        print("Autopilot: a simulated participant will respond (simulated=1).", flush=True)
    return run_session(options, params, prepared)


def _cmd_params(args) -> int:
    from attentionlab.core.params import describe
    from attentionlab.experiments.tasks import resolve_params

    params, _ = resolve_params(args.task, config=args.config, sets=args.set)
    rows = describe(params)
    width = max(len(r["name"]) for r in rows)
    print(f"Parameters of {args.task} (change with --set NAME=VALUE or --config FILE.toml):\n")
    for r in rows:
        unit = f" {r['unit']}" if r["unit"] else ""
        allowed = f"  [allowed: {r['allowed']}]" if r["allowed"] else ""
        print(f"  {r['name']:<{width}} = {r['value']}{unit}")
        print(f"  {'':<{width}}   {r['doc']}{allowed}")
    return 0


def _cmd_check(args) -> int:
    from attentionlab.experiments.check import run_check

    return run_check(args.data_dir, windowed=args.windowed)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"attentionlab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("attentionlab: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into e.g. `head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
