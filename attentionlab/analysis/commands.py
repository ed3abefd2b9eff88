"""The ``analyze`` and ``export`` commands, added to the ``attentionlab`` CLI.

:func:`register` adds them to the CLI's argparse subparsers; each sets
``func(args) -> exit status``. User mistakes raise :class:`UsageError`
(the CLI prints one line and exits 2). Problems in the data files are
printed to stderr, one line each, and do not stop the analysis: exit 0 when
anything was analysed, 2 when nothing could be.
"""

import argparse
import sys

from attentionlab.core.errors import UsageError

ANALYZE_HELP = """Analyse session files: per-participant effects (participants.csv),
group statistics (group.csv), figures (PNG and SVG) and a self-contained report.html.
RT cleaning, in this order: error trials removed (unless --include-errors), then the
absolute bounds, then --trim within participant x session x condition."""


def register(subparsers) -> None:
    """Add ``analyze`` and ``export`` to an argparse subparsers object."""
    analyze = subparsers.add_parser(
        "analyze", help="analyse session files: effects, statistics, figures, report",
        description=ANALYZE_HELP)
    analyze.add_argument("paths", nargs="+", metavar="PATH",
                         help="data files, or folders searched recursively")
    analyze.add_argument("--out", required=True, metavar="DIR",
                         help="output folder (new or empty; see --force)")
    analyze.add_argument("--task", metavar="TASK",
                         help="analyse this task (default: the task of most files)")
    analyze.add_argument("--mapping", metavar="FILE.toml",
                         help="read other labs' or PsychoPy Builder files through this "
                              "mapping: a TOML file, or a shipped one by name, e.g. "
                              "psychopy_builder_stroop (see docs/analysis.md)")
    analyze.add_argument("--min-rt-ms", type=_number, default=200.0, metavar="X",
                         help="remove RTs below X ms (default 200; 0 for none)")
    analyze.add_argument("--max-rt-ms", type=_number, default=None, metavar="Y",
                         help="remove RTs above Y ms (default: no upper bound)")
    analyze.add_argument("--trim", default="none", metavar="none|sd:K|mad:K",
                         help="then remove RTs beyond mean +/- K SD (sd:K) or median +/- "
                              "K x 1.4826 x MAD (mad:K), per participant x session x "
                              "condition (default none)")
    analyze.add_argument("--include-errors", action="store_true",
                         help="keep error trials in the RT means")
    analyze.add_argument("--min-accuracy", type=_proportion, default=None, metavar="P",
                         help="exclude participant x sessions with accuracy below P from "
                              "the group statistics (default: none excluded)")
    analyze.add_argument("--splits", type=int, default=None, metavar="N",
                         help="random splits for the split-half reliability (default: "
                              "1000, fewer for very large data sets, at least 100)")
    analyze.add_argument("--seed", type=int, default=1, metavar="N",
                         help="seed of the random splits (default 1)")
    analyze.add_argument("--slopes-from", choices=("means", "trials"), default="means",
                         help="search: fit each RT x set-size line through the mean RT at "
                              "each set size (means, default) or over the single trials by "
                              "least squares (trials)")
    analyze.add_argument("--by", metavar="COLUMN",
                         help="search: slopes per level of this extra factor (a column of "
                              "the files, or of a mapping's [factors]), compared between two "
                              "levels with paired t-tests")
    analyze.add_argument("--force", action="store_true",
                         help="write into an existing non-empty output folder")
    analyze.add_argument("--timings", action="store_true", help=argparse.SUPPRESS)
    analyze.set_defaults(func=run_analyze)

    export = subparsers.add_parser("export", help="export session files to other formats",
                                   description="Export session files to other formats.")
    formats = export.add_subparsers(dest="format", metavar="FORMAT")
    formats.required = True
    bids = formats.add_parser("bids", help="BIDS behavioural files (_beh.tsv + _beh.json)",
                              description="Write DATA_DIR's session files as a BIDS data set "
                                          "in OUT_DIR (RTs in seconds, n/a for missing).")
    bids.add_argument("data_dir", metavar="DATA_DIR", help="folder of session files")
    bids.add_argument("out_dir", metavar="OUT_DIR", help="new or empty output folder")
    bids.add_argument("--force", action="store_true",
                      help="write into an existing non-empty OUT_DIR")
    bids.set_defaults(func=run_export_bids)


def _number(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of ms, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of ms >= 0, got {text!r}")
    return value


def _proportion(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a proportion between 0 and 1, got {text!r}")
    return value


def run_analyze(args) -> int:
    """``attentionlab analyze``: exit 0 when anything was analysed."""
    from attentionlab.analysis.cleaning import CleaningSettings
    from attentionlab.analysis.pipeline import (AnalysisSettings, check_output_folder,
                                                run_analysis, write_outputs)

    if args.splits is not None and not 10 <= args.splits <= 100_000:
        raise UsageError(f"--splits must be between 10 and 100000, got {args.splits}")
    settings = AnalysisSettings(
        cleaning=CleaningSettings(include_errors=args.include_errors,
                                  min_rt_ms=args.min_rt_ms or None, max_rt_ms=args.max_rt_ms,
                                  trim=args.trim),
        task=args.task, mapping=args.mapping, min_accuracy=args.min_accuracy,
        n_splits=args.splits, seed=args.seed, slopes_from=args.slopes_from, by=args.by)
    out = check_output_folder(args.out, args.paths, args.force)
    try:
        result = run_analysis(args.paths, settings)
    except UsageError as exc:
        _print_problems(getattr(exc, "problems", []))
        raise
    _print_problems(result.problems)
    written = write_outputs(result, out)
    people = result.participants["participant"].nunique()
    print(f"Analysed {len(result.test):,} {result.task} test trials of {people:,} "
          f"participant(s) from {len(result.data.sessions):,} file(s)"
          + (f"; {len(result.problems)} problem(s) in the input (listed in the report)"
             if result.problems else ""))
    for line in result.analysis.headline(result):
        print(line)
    if result.notices:
        print("Notes (also at the top of the report):")
        for notice in result.notices:
            print(f"- {notice}")
    print(f"Wrote {written['report.html']}")
    if args.timings:
        for step, seconds in result.timings.items():
            print(f"{step}: {seconds:.3f} s")
    return 0


def run_export_bids(args) -> int:
    """``attentionlab export bids DATA_DIR OUT_DIR``."""
    from attentionlab.analysis.bids import export_bids

    try:
        written, problems = export_bids(args.data_dir, args.out_dir, force=args.force)
    except UsageError as exc:
        _print_problems(getattr(exc, "problems", []))
        raise
    _print_problems(problems)
    print(f"Wrote {written} session file(s) as BIDS into {args.out_dir}")
    return 0


def _print_problems(problems, limit=50):
    for problem in problems[:limit]:
        print(f"attentionlab: warning: {problem}", file=sys.stderr)
    if len(problems) > limit:
        print(f"attentionlab: warning: ... and {len(problems) - limit} more problems "
              f"(all listed in the report)", file=sys.stderr)
