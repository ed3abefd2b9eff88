"""``attentionlab stimuli build``: generate the stimuli that are synthesised, not shipped.

Today that is the dichotic task's spoken passages (espeak-ng), written into
the cache (see :mod:`attentionlab.stimuli.dichotic_set`). Building is
reproducible: the same texts, voices and espeak-ng version give the same
files, in a folder named by their fingerprint.
"""

from pathlib import Path

from attentionlab.core.errors import UsageError
from attentionlab.core.progress import Progress

BUILDABLE = ("dichotic",)


def register(subparsers) -> None:
    stimuli = subparsers.add_parser(
        "stimuli", help="generate synthesised stimuli (the dichotic task's speech)",
        description="Generate stimuli that are synthesised on this computer rather than "
        "shipped with attentionlab.")
    actions = stimuli.add_subparsers(dest="stimuli_action", metavar="ACTION")
    actions.required = True
    build = actions.add_parser(
        "build", help="synthesise a task's stimuli into the cache",
        description="Synthesise the dichotic passages and words with espeak-ng (both "
        "voices) into the cache: $ATTENTIONLAB_CACHE, else $XDG_CACHE_HOME/attentionlab, "
        "else ~/.cache/attentionlab. An existing complete set is kept (see --force).")
    build.add_argument("task", nargs="?", default="dichotic", metavar="TASK",
                       help=f"task whose stimuli to build: {', '.join(BUILDABLE)} "
                       f"(default dichotic)")
    build.add_argument("--sets", default="standard,short", metavar="LIST",
                       help="which passage sets: standard, short (default both)")
    build.add_argument("--cache", metavar="DIR",
                       help="build into DIR/dichotic/... instead of the default cache")
    build.add_argument("--force", action="store_true",
                       help="rebuild even if the set is already there")
    build.set_defaults(func=run_build)


def run_build(args) -> int:
    from attentionlab.stimuli import dichotic_set

    if args.task not in BUILDABLE:
        raise UsageError(f"task {args.task!r} has no stimuli to build; buildable: "
                         f"{', '.join(BUILDABLE)}")
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [n for n in names if n not in dichotic_set.BUILTIN_SETS]
    if unknown or not names:
        raise UsageError(f"--sets: unknown set {(unknown or [''])[0]!r}; allowed: "
                         f"{', '.join(dichotic_set.BUILTIN_SETS)}")
    root = Path(args.cache) if args.cache else None
    for name in names:
        folder = dichotic_set.builtin_folder(name, root)
        existed = (folder / dichotic_set.MANIFEST).exists() and not args.force
        try:
            with Progress(f"{name}: synthesising", unit="recording") as progress:
                folder = dichotic_set.build(name, root, force=args.force, progress=progress)
        except OSError as exc:
            raise UsageError(f"cannot write the stimuli into {str(folder.parent)!r}: "
                             f"{exc.strerror}; choose another folder with --cache") from None
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        state = "already built" if existed else "built"
        print(f"{name}: {state} in {folder} ({size / 2**20:.1f} MiB)")
    return 0
