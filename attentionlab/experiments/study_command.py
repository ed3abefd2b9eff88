"""``attentionlab study run`` and ``attentionlab study status`` (docs/study.md).

:func:`register` adds ``study`` to the CLI's argparse subparsers; each
subcommand sets ``func(args) -> exit status``.
"""

import sys

STUDY_HELP = """A study runs several tasks for one participant, one after the other, as
listed in a study file (TOML; docs/study.md has a full example): the participant form
first (if the file declares [[details]]), a break screen between tasks, each task's data
written exactly as 'attentionlab run' writes them, and a study log in the participant's
folder. Started again, a study continues with the next unfinished task."""


def register(subparsers) -> None:
    """Add ``study run`` and ``study status`` to an argparse subparsers object."""
    study = subparsers.add_parser("study", help="run a battery of tasks per participant "
                                  "from a study file; show who has done what",
                                  description=STUDY_HELP)
    # Our parser class: a mistake is one line and exit status 2.
    sub = study.add_subparsers(dest="study_command", metavar="SUBCOMMAND",
                               parser_class=subparsers._parser_class)
    sub.required = True

    run = sub.add_parser("run", help="run (or continue) the study with one participant",
                         description=STUDY_HELP)
    run.add_argument("study_file", metavar="STUDY.toml", help="the study file")
    run.add_argument("--participant", required=True, metavar="LABEL",
                     help="participant label: letters and digits only, e.g. P07")
    run.add_argument("--data-dir", default="data", metavar="DIR",
                     help="folder for the data files (default ./data)")
    run.add_argument("--windowed", action="store_true",
                     help="a 1024x768 window instead of full screen")
    run.add_argument("--monitor", metavar="NAME",
                     help="a monitor saved in PsychoPy's Monitor Center (width, viewing "
                          "distance): sizes in degrees; replaces the study file's [monitor] "
                          "table (see docs/study.md, 'Stimuli in degrees')")
    run.add_argument("--autopilot", action="store_true",
                     help="a simulated participant fills in the form and does every task "
                          "(rows say simulated=1)")
    run.set_defaults(func=_cmd_run)

    status = sub.add_parser("status", help="who has done which task of the study, what is "
                            "missing, and each participant's group")
    status.add_argument("study_file", metavar="STUDY.toml", help="the study file")
    status.add_argument("--data-dir", default="data", metavar="DIR",
                        help="folder of the data files (default ./data)")
    status.set_defaults(func=_cmd_status)


def _cmd_run(args) -> int:
    from attentionlab.core.extras import require_lab
    from attentionlab.experiments.study import StudyRun, run_study

    geometry = None
    if args.monitor is not None:
        require_lab("running a study")
        from attentionlab.experiments.monitor_geometry import from_monitor_center

        geometry = from_monitor_center(args.monitor)  # before anything is made
    request = StudyRun(participant=args.participant, data_dir=args.data_dir,
                       windowed=args.windowed, autopilot=args.autopilot, geometry=geometry,
                       command_line=tuple(sys.argv[1:]))
    if args.autopilot:
        print("Autopilot: a simulated participant will respond (simulated=1).", flush=True)
    return run_study(args.study_file, request)


def _cmd_status(args) -> int:
    from pathlib import Path

    from attentionlab.core.errors import UsageError
    from attentionlab.experiments.study import load_study, study_status

    study = load_study(args.study_file).study
    if Path(args.data_dir).exists() and not Path(args.data_dir).is_dir():
        raise UsageError(f"--data-dir {args.data_dir!r} is a file, not a folder")
    for line in status_lines(study, study_status(args.data_dir, study), args.data_dir):
        print(line)
    return 0


def status_lines(study, rows, data_dir) -> list[str]:
    """The status table: one line per participant, a cell per task
    (done/partial/missing and its run files), then what is missing.

    >>> from attentionlab.core.study_file import Study, StudyTask
    >>> s = Study("s.toml", "lab", "fixed", "1", (StudyTask("stroop"),))
    >>> status_lines(s, [], "data")[-1]
    "No participant has started study 'lab' in 'data'."
    """
    tasks = study.task_names
    head = [f"Study {study.name!r} ({study.order} order; {len(tasks)} tasks: "
            f"{', '.join(tasks)}); data folder {str(data_dir)!r}"]
    if not rows:
        return head + [f"No participant has started study {study.name!r} in "
                       f"{str(data_dir)!r}."]
    table = [["participant", "group", *tasks]]
    for row in rows:
        cells = []
        for task in tasks:
            status = row["tasks"][task]
            runs = " ".join(_run_label(name) for name in status.runs)
            cells.append(f"{status.state} ({runs})" if runs else status.state)
        table.append([row["participant"], row["group"], *cells])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = head + [""] + ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
                           for r in table]
    finished = [r for r in rows if not r["missing"]]
    lines += ["", f"{len(finished)} of {len(rows)} participants have done every task."]
    for row in rows:
        if row["missing"]:
            parts = [f"{t} ({row['tasks'][t].state})" for t in row["missing"]]
            lines.append(f"Missing for {row['participant']}: {', '.join(parts)}")
    return lines


def _run_label(file_name: str) -> str:
    """``sub-P1_ses-1_task-stroop_run-2_beh.csv`` -> ``run-2``."""
    return "run-" + file_name.rsplit("_run-", 1)[-1].split("_", 1)[0]
