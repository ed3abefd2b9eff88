"""``attentionlab demo`` and ``attentionlab class-report``: the classroom.

:func:`register` adds both to the CLI's argparse subparsers; each sets
``func(args) -> exit status``. User mistakes raise :class:`UsageError`
(one line, exit 2).
"""

import sys

from attentionlab.core.errors import UsageError

DEMO_HELP = """A menu of short demos (about 2-4 minutes each) for a lecture or a lab class.
A student picks one (number key or click), does the short task, and sees their own effect
beside the textbook value; then back to the menu. Escape in the menu quits. Data are written
as in 'attentionlab run', under an anonymous label, and stay on this computer."""

REPORT_HELP = """Pool a class's session files: one page per task with the distribution of
the students' effects, the class mean and its 95% CI against the published value, how many
students showed the effect, and a plain-language explanation to project. Writes
class_report.html (self-contained) and class_summary.csv into --out. Nothing is sent
anywhere."""


def register(subparsers) -> None:
    """Add ``demo`` and ``class-report`` to an argparse subparsers object."""
    demo = subparsers.add_parser("demo", help="classroom demos: short tasks with a personal "
                                 "result beside the textbook value", description=DEMO_HELP)
    demo.add_argument("--data-dir", default="data", metavar="DIR",
                      help="folder for the data files (default ./data)")
    demo.add_argument("--student", metavar="LABEL",
                      help="the student's label, letters and digits (default: a random "
                           "anonymous one, e.g. S4821, shown on the menu)")
    demo.add_argument("--windowed", action="store_true",
                      help="a 1024x768 window instead of full screen")
    demo.add_argument("--autopilot", action="store_true",
                      help="a simulated student clicks the first demo of the menu, does it "
                           "(simulated=1), looks at the result and quits")
    demo.add_argument("--tasks", metavar="TASK,...",
                      help="only these demos, in this order (default: all)")
    demo.add_argument("--set", action="append", default=[], metavar="TASK.NAME=VALUE",
                      help="change one parameter of one demo (repeatable), e.g. "
                           "stroop.trials=24; see 'attentionlab params TASK'")
    demo.set_defaults(func=run_demo)

    report = subparsers.add_parser("class-report", help="pool a class's data: one page per "
                                   "task, class mean vs published value",
                                   description=REPORT_HELP)
    report.add_argument("paths", nargs="+", metavar="PATH",
                        help="session files, or folders searched recursively")
    report.add_argument("--out", required=True, metavar="DIR",
                        help="output folder (new or empty; see --force)")
    report.add_argument("--force", action="store_true",
                        help="write into an existing non-empty output folder")
    report.set_defaults(func=run_class_report)


def run_class_report(args) -> int:
    """``attentionlab class-report``: exit 0 when any task could be reported."""
    from attentionlab.classroom.report import headline, write_class_report

    try:
        result, written = write_class_report(args.paths, args.out, force=args.force)
    except UsageError as exc:
        for problem in getattr(exc, "problems", []):
            print(f"attentionlab: warning: {problem}", file=sys.stderr)
        raise
    for problem in result.problems:
        print(f"attentionlab: warning: {problem}", file=sys.stderr)
    for summary in result.summaries:
        print(headline(summary))
    print(f"Wrote {written['class_report.html']}")
    return 0


def run_demo(args) -> int:
    """``attentionlab demo``: the menu, until Escape."""
    from attentionlab.core.extras import require_lab

    require_lab("the classroom demos")
    from attentionlab.experiments.classroom import DemoOptions, run

    options = DemoOptions.from_args(data_dir=args.data_dir, student=args.student,
                                    windowed=args.windowed, autopilot=args.autopilot,
                                    tasks=args.tasks, sets=args.set)
    return run(options)
