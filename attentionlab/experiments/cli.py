"""The ``attentionlab`` command.

Exit status: 0 done (session completed), 1 session aborted (data kept),
2 invalid arguments, or a display, keyboard or sound device that cannot be
opened (one line on stderr saying what is wrong and what is allowed; nothing
created on disk).
"""

import argparse
import sys

from attentionlab.core.errors import UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line and exit 2, like our own UsageErrors."""

    def error(self, message):
        import re

        from attentionlab.core.errors import did_you_mean

        # argparse (before Python 3.12) suggests nothing for a mistyped command.
        found = re.match(r"argument ([^:]+): invalid choice: '([^']*)' \(choose from (.*)\)$",
                         message)
        if found:
            argument, given, choices = found.group(1), found.group(2), found.group(3)
            hint = did_you_mean(given, re.findall(r"'([^']*)'", choices))
            message = (f"unknown command {given!r}{hint}; available: "
                       f"{choices.replace(chr(39), '')}" if argument == "COMMAND" else
                       f"argument {argument}: invalid choice: {given!r}{hint}; choose from "
                       f"{choices}")
        self.exit(2, f"attentionlab: error: {message} (see '{self.prog} --help')\n")


class _RunHelp(argparse.HelpFormatter):
    """Wrapped description, epilog kept as written (a table of variables)."""

    def _fill_text(self, text, width, indent):
        if text.startswith("environment variables"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


CONFIG_HELP = (
    "TOML file of parameter values: either top-level NAME = VALUE lines for the task "
    "being run, or one [TASK] table per task (only this task's table is used; the others "
    "are checked too). Never both; an unknown table or name is an error")

RUN_EPILOG = """\
environment variables the session honours:
  DISPLAY                   the X display to open the window on (Linux; checked
                            before the session starts)
  ATTENTIONLAB_CAPTURE_DIR  save every new screen the participant sees as a
                            numbered PNG in this folder (created if needed), e.g.
                            for an ethics application; reading the screen back
                            lengthens those frames: for showing screens, not for
                            data
  ATTENTIONLAB_CACHE        where generated stimuli are kept (dichotic speech);
                            default $XDG_CACHE_HOME/attentionlab, else
                            ~/.cache/attentionlab
"""


def _version() -> str:
    """The installed distribution's version (one number: the package metadata)."""
    from importlib import metadata

    try:
        return metadata.version("attentionlab")
    except metadata.PackageNotFoundError:  # running from a source tree not installed
        import attentionlab

        return getattr(attentionlab, "__version__", "unknown")


def build_parser() -> argparse.ArgumentParser:
    from attentionlab.experiments.tasks import lang_help
    from attentionlab.stimuli.registry import TASKS

    tasks = ", ".join(TASKS)
    parser = _Parser(prog="attentionlab",
                     description="Classic attention experiments with the analysis built in.")
    parser.add_argument("--version", action="version", version=f"attentionlab {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    run = sub.add_parser("run", help="run a session with a participant",
                         description="Run a task session. Data are written trial by trial to "
                         "DATA_DIR/sub-<participant>/. Before it starts, the planned number "
                         "of trials and an estimate of the duration are printed.",
                         epilog=RUN_EPILOG, formatter_class=_RunHelp)
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
                     help="number of test trials (rounded up to a balanced design; the "
                     "rounding is printed before the session)")
    run.add_argument("--windowed", action="store_true",
                     help="a 1024x768 window instead of full screen")
    run.add_argument("--skip-intro", action="store_true",
                     help="no instructions and no practice: start with the first test trial")
    run.add_argument("--photodiode", action="store_true",
                     help="white square bottom-left from each stimulus onset to the response")
    run.add_argument("--monitor", metavar="NAME",
                     help="a monitor saved in PsychoPy's Monitor Center (screen width and "
                     "viewing distance in cm, resolution): sizes declared in degrees "
                     "(the *_deg parameters) are drawn in degrees of visual angle and the "
                     "sidecar records the geometry; without it sizes are fractions of the "
                     "screen height (see docs/study.md, 'Stimuli in degrees')")
    run.add_argument("--autopilot", action="store_true",
                     help="a simulated participant answers through XTest (rows say simulated=1); "
                     "--set may then also set its effects, e.g. interference_ms=80 "
                     "(see 'attentionlab simulate --help')")
    run.add_argument("--lang", metavar="CODE",
                     help=f"language of words and instructions: {lang_help()}")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="override one task parameter (repeatable); see 'attentionlab params'")
    run.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    run.add_argument("--allocate", action="store_true",
                     help="balanced assignment: the counterbalancing group (key mapping, "
                     "block or cue order, stimulus set) goes to the group with the fewest "
                     "completed sessions in DATA_DIR/allocation/<task>.counterbalance.json "
                     "(safe when two computers share the folder; a participant keeps their "
                     "group; dropouts are refilled). Without it the group follows the digits "
                     "of the label (see docs/study.md, 'Balanced assignment')")
    run.add_argument("--resume", action="store_true",
                     help="continue the latest unfinished run of this participant, session "
                     "and task (stopped by a crash, kill or Escape): its seed, parameters and "
                     "trial list, from the first test trial not on disk, into a new run file "
                     "whose sidecar names the run it continues (that file is only read). No "
                     "practice: the instructions again under a 'welcome back' line, then the "
                     "test. Not with --seed, --trials, --lang, --config or task --set values "
                     "(the recorded ones are used); with --autopilot, --set may give the "
                     "simulated participant's")
    run.set_defaults(func=_cmd_run)

    params = sub.add_parser("params", help="list a task's parameters, defaults and meaning")
    params.add_argument("task", metavar="TASK", help=f"task: {tasks}")
    params.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="show the values after these overrides")
    params.add_argument("--config", metavar="FILE",
                        help="show the values after this TOML file (as for 'run --config')")
    params.set_defaults(func=_cmd_params)

    check = sub.add_parser("check", help="check this computer before the first participant")
    check.add_argument("--data-dir", default="data", metavar="DIR",
                       help="data folder to check (default ./data)")
    check.add_argument("--windowed", action="store_true",
                       help="measure in a window instead of full screen")
    check.set_defaults(func=_cmd_check)

    from attentionlab.analysis import commands as analysis_commands
    from attentionlab.simulation import commands as simulation_commands
    from attentionlab.classroom import commands as classroom_commands
    from attentionlab.experiments import demo_command
    from attentionlab.stimuli import commands as stimuli_commands
    from attentionlab.experiments import hand_scoring
    from attentionlab.speech import voicekey_check
    from attentionlab.experiments import study_command
    from attentionlab.web import commands as web_commands

    analysis_commands.register(sub)
    simulation_commands.register(sub)
    stimuli_commands.register(sub)
    demo_command.register(sub)
    classroom_commands.register(sub)
    hand_scoring.register(sub)
    voicekey_check.register(sub)
    study_command.register(sub)
    web_commands.register(sub)
    return parser


def _cmd_run(args) -> int:
    from attentionlab.core.extras import require_lab

    require_lab()  # before anything else: without PsychoPy nothing below can help
    from attentionlab.core.datafile import preflight
    from attentionlab.core.labels import check_label
    from attentionlab.experiments import tasks
    from attentionlab.experiments.devices import check_display
    from attentionlab.experiments.session import SessionOptions, run_session
    from attentionlab.experiments.session_plan import plan_lines

    check_label(args.participant, "participant")
    check_label(args.session, "session")
    if args.seed is not None and not 0 <= args.seed < 2**31:
        raise UsageError(f"--seed must be between 0 and {2**31 - 1}, got {args.seed}")
    geometry = None
    if args.monitor is not None:
        from attentionlab.experiments.monitor_geometry import from_monitor_center

        geometry = from_monitor_center(args.monitor)  # before anything is planned or made
    resume = None
    if args.resume:
        from attentionlab.experiments.resume import resume_from_command_line

        resume, params, population = resume_from_command_line(args)
        seed = resume.seed
        # A resumed run keeps the group its first run was given.
        assignment = resume.sidecar.get("counterbalance_assignment") or tasks.assignment(
            args.task, params, args.participant)
        prepared = _prepare_assigned(tasks, args, params, seed, assignment)
    else:
        params, population = tasks.resolve_params(args.task, config=args.config, sets=args.set,
                                                  trials=args.trials, lang=args.lang,
                                                  autopilot=args.autopilot)
        _note_config_without_table(args.config, args.task)
        seed = args.seed if args.seed is not None else tasks.new_seed()
        # Only peeked here (nothing written): the group is taken after the checks below.
        assignment = tasks.assignment(args.task, params, args.participant, args.data_dir,
                                      allocate=args.allocate, write=False)
        prepared = _prepare_assigned(tasks, args, params, seed, assignment)
        if args.allocate:
            print(_assignment_line(assignment), flush=True)
        # Said before any device opens: the plan is the same with or without a screen.
        for line in plan_lines(args.task, params, prepared, args.participant, seed,
                               asked=_trials_asked(args, params), skip_intro=args.skip_intro,
                               population=population):
            print(line, flush=True)
    check_display()
    made = _first_missing(args.data_dir)
    preflight(args.data_dir)
    if args.allocate and resume is None:
        taken = tasks.assignment(args.task, params, args.participant, args.data_dir,
                                 allocate=True)  # written now, under the file lock
        if taken["group"] != assignment["group"]:
            print(f"Another computer took group {assignment['group']} at the same moment: "
                  f"this session is group {taken['group']}.", flush=True)
            prepared = _prepare_assigned(tasks, args, params, seed, taken)
        assignment = taken
    options = SessionOptions(
        allocation_scheme=assignment["scheme"] if assignment["method"] == "allocation" else None,
        task=args.task, participant=args.participant, session=args.session,
        data_dir=args.data_dir, seed=seed, windowed=args.windowed,
        skip_intro=args.skip_intro, photodiode=args.photodiode, autopilot=args.autopilot,
        population=population, geometry=geometry, command_line=sys.argv[1:])
    if args.autopilot:
        print("Autopilot: a simulated participant will respond (simulated=1).", flush=True)
    try:
        return run_session(options, params, prepared, resume=resume)
    except UsageError:
        # A device that cannot be opened (DeviceError, or a sound device the
        # task refuses): devices open before the data file, so nothing was
        # written; leave no empty folder that preflight made either.
        _remove_empty_folders(args.data_dir, made)
        raise


def _prepare_assigned(tasks, args, params, seed, assignment):
    """The task prepared with its group: an allocated group is passed on;
    the label rule is the definition's own (group=None), so a session run
    without --allocate plans exactly as before."""
    group = assignment["group"] if assignment["method"] == "allocation" else None
    return tasks.prepare(args.task, params, args.participant, seed, group, assignment)


def _assignment_line(assignment) -> str:
    """e.g. ``Counterbalancing group 2 of 4 (allocation: ...)``."""
    if assignment["n_groups"] == 1:
        return "Counterbalancing: none with these settings (one group)."
    how = ("allocation: fewest completed sessions" if assignment["method"] == "allocation"
           else "label rule: the digits of the label")
    return (f"Counterbalancing group {assignment['group']} of {assignment['n_groups']} "
            f"(0-{assignment['n_groups'] - 1}; {how}).")


def _first_missing(folder):
    """The outermost folder of ``folder``'s path that does not exist yet, or None."""
    from pathlib import Path

    missing = None
    for part in (Path(folder), *Path(folder).parents):
        if part.exists():
            return missing
        missing = part
    return missing


def _remove_empty_folders(folder, up_to) -> None:
    """Remove ``folder`` and its parents up to ``up_to`` while they are empty."""
    from pathlib import Path

    if up_to is None:
        return
    for part in (Path(folder), *Path(folder).parents):
        try:
            part.rmdir()  # only ever succeeds on an empty folder
        except OSError:
            return
        if part == up_to:
            return


def _trials_asked(args, params) -> str | None:
    """How the user set the number of trials (for the rounding note), or None."""
    from attentionlab.stimuli.registry import PARAMS

    if args.trials is not None:
        return f"--trials {args.trials}"
    if params.trials != PARAMS[args.task]().trials:
        return f"trials={params.trials}"
    return None


def _note_config_without_table(config, task) -> None:
    """A config file of task tables without one for ``task``: allowed (one
    file for the lab), but said, so that nobody expects its values to apply."""
    from attentionlab.core.params import read_config
    from attentionlab.stimuli.registry import TASKS

    if config and task not in read_config(config, task, TASKS):
        print(f"Note: config file {config!r} has no [{task}] table; {task} keeps its "
              f"defaults (and any --set values).", flush=True)


def _cmd_params(args) -> int:
    from attentionlab.core.params import describe
    from attentionlab.experiments.tasks import resolve_params

    params, _ = resolve_params(args.task, config=args.config, sets=args.set)
    _note_config_without_table(args.config, args.task)
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
