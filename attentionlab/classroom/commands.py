"""``attentionlab class-report``: the classroom's pooled report. (``attentionlab
demo`` shows PsychoPy screens, so it lives in experiments/demo_command.py.)

:func:`register` adds it to the CLI's argparse subparsers; it sets
``func(args) -> exit status``. User mistakes raise :class:`UsageError`
(one line, exit 2).
"""

import sys

from attentionlab.core.errors import UsageError

REPORT_HELP = """Pool a class's session files: one page per task with the distribution of
the students' effects, the class mean and its 95% CI against the published value, how many
students showed the effect, and a plain-language explanation to project. Writes
class_report.html (self-contained) and class_summary.csv into --out. Nothing is sent
anywhere."""


def register(subparsers) -> None:
    """Add ``class-report`` to an argparse subparsers object."""
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
