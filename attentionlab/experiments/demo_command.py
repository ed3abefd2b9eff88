"""``attentionlab demo``: the classroom demos' menu (PsychoPy screens, see
experiments/classroom.py). :func:`register` adds it to the CLI's argparse
subparsers; it sets ``func(args) -> exit status``."""

DEMO_HELP = """A menu of short demos (about 2-4 minutes each) for a lecture or a lab class.
A student picks one (number key or click), does the short task, and sees their own effect
beside the textbook value; then back to the menu. Escape in the menu quits. Data are written
as in 'attentionlab run', under an anonymous label, and stay on this computer."""


def register(subparsers) -> None:
    """Add ``demo`` to an argparse subparsers object."""
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


def run_demo(args) -> int:
    """``attentionlab demo``: the menu, until Escape."""
    from attentionlab.core.extras import require_lab

    require_lab("the classroom demos")
    from attentionlab.experiments.classroom import DemoOptions, run

    options = DemoOptions.from_args(data_dir=args.data_dir, student=args.student,
                                    windowed=args.windowed, autopilot=args.autopilot,
                                    tasks=args.tasks, sets=args.set)
    return run(options)
