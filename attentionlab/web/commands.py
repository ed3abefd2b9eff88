"""``attentionlab classroom serve``: the class in students' browsers, one command.

Checks everything first (tasks, ``--set`` items, address, port, the data
folder), binds the port, then prints exactly two lines (tests and the
teacher read them)::

    Student page: http://HOST:PORT/
    Teacher page: http://HOST:PORT/teacher?token=TOKEN

and serves until Ctrl-C or SIGTERM: uvicorn stops accepting connections,
lets requests in flight finish (their rows are on disk before they are
answered), then the store closes its files, one line is printed and the
exit status is 0. A mistake is one line on stderr, exit status 2, and
nothing is created on disk.
"""

import ipaddress
import socket
import sys

SERVE_HELP = """Serve the classroom demos to students' browsers from this computer: students
open the printed student page (or scan the QR code on the teacher page) on the same network,
get an anonymous label and pick demos; each trial is written to DATA_DIR as in a lab session.
The teacher page (its address carries a secret token) shows the counts and the live class
report, and closes the class. Nothing leaves this computer. Ctrl-C ends the class."""


def register(subparsers) -> None:
    """Add ``classroom serve`` to an argparse subparsers object."""
    group = subparsers.add_parser(
        "classroom", help="the classroom demos in students' web browsers (classroom serve)",
        description="The classroom demos in students' web browsers, served from this "
                    "computer. See docs/classroom-web.md.")
    # The CLI's parser class: its one-line errors (exit 2) for sub-subcommands too.
    commands = group.add_subparsers(dest="classroom_command", metavar="SUBCOMMAND",
                                    parser_class=subparsers._parser_class)
    commands.required = True
    serve = commands.add_parser("serve", help="start the class: a web server for the "
                                "students' devices and the teacher page",
                                description=SERVE_HELP)
    serve.add_argument("--data-dir", default="data", metavar="DIR",
                       help="folder for the data files (default ./data)")
    serve.add_argument("--tasks", metavar="TASK,...",
                       help="only these demos, in this order (default: every demo with a "
                            "browser version)")
    serve.add_argument("--host", default="0.0.0.0", metavar="ADDR",
                       help="address to listen on (default 0.0.0.0: every network of this "
                            "computer, so students' devices can reach it; 127.0.0.1: this "
                            "computer only)")
    serve.add_argument("--port", default=8000, type=int, metavar="N",
                       help="port (default 8000; 0: any free port, printed)")
    serve.add_argument("--set", action="append", default=[], metavar="TASK.NAME=VALUE",
                       help="change one parameter of one demo (repeatable), e.g. "
                            "stroop.trials=24; see 'attentionlab params TASK'")
    serve.set_defaults(func=run_serve)


def run_serve(args) -> int:
    from attentionlab.core.errors import UsageError
    from attentionlab.core.extras import has_module

    missing = [m for m in ("starlette", "uvicorn", "segno") if not has_module(m)]
    if missing:
        raise UsageError(f"classroom serve needs the web extra ({', '.join(missing)} "
                         f"missing): pip install 'attentionlab[web]'")
    tasks, params = check_tasks(args.tasks, args.set)
    host = check_host(args.host)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535 (0: any free port), "
                         f"got {args.port}")
    sock = bind(host, args.port)
    try:
        return serve(sock, host, args.data_dir, tasks, params)
    finally:
        sock.close()


def check_tasks(option, sets) -> tuple:
    """``({task: web module}, {task: params})`` of ``--tasks`` and ``--set``;
    :class:`UsageError` for an unknown task (did you mean), a task without a
    browser version or a classroom entry, or a bad ``--set`` item."""
    from attentionlab.classroom.demo_sets import by_demo
    from attentionlab.classroom.textbook import available as with_entry
    from attentionlab.core.errors import UsageError
    from attentionlab.web import tasks as web

    offered = [t for t in web.available() if t in with_entry()]
    chosen = offered if not option else [t.strip() for t in option.split(",") if t.strip()]
    if not chosen:
        raise UsageError(f"--tasks {option!r} names no task; available in the browser: "
                         f"{', '.join(offered)}")
    modules = {}
    for task in chosen:
        modules[task] = web.get(task)  # unknown task / no browser version: one line
        if task not in with_entry():
            raise UsageError(f"task {task!r} has no classroom entry; available in the "
                             f"browser: {', '.join(offered)}")
    per_task = by_demo(sets, chosen)
    params = {}
    for task in chosen:
        try:
            params[task] = web.demo_params(task, list(per_task[task]))
        except UsageError as exc:
            raise UsageError(f"{task}: {exc}") from None
    return modules, params


def check_host(host: str) -> str:
    """``host`` if it is an IP address (v4 or v6)."""
    from attentionlab.core.errors import UsageError

    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        raise UsageError(f"--host {host!r} is not an IP address; use 0.0.0.0 (every "
                         f"network of this computer) or 127.0.0.1 (this computer only)") \
            from None


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), before
    anything is written; :class:`UsageError` when the port is taken."""
    from attentionlab.core.errors import UsageError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise UsageError(f"port {port} is in use on {host} (another program, or another "
                             f"class); choose another with --port, or --port 0 for any "
                             f"free port") from None
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}); check --host "
                         f"and --port") from None
    return sock


def _server_class():
    import contextlib
    import signal

    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, except at the end: uvicorn raises the signal again
        after its graceful shutdown (exit status -15); ending a class with
        Ctrl-C or SIGTERM is the normal way, so the command returns 0."""

        @contextlib.contextmanager
        def capture_signals(self):
            previous = {sig: signal.signal(sig, self.handle_exit)
                        for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return Server


def serve(sock, host, data_dir, tasks, params) -> int:
    """Serve on the bound ``sock`` until Ctrl-C / SIGTERM; exit status 0."""
    import uvicorn

    from attentionlab.web import analysis_pool
    from attentionlab.web.class_store import ClassStore
    from attentionlab.web.lan import lan_address, url_host
    from attentionlab.web.server import create_app

    port = sock.getsockname()[1]
    base = f"http://{url_host(lan_address(host))}:{port}/"
    store = ClassStore(data_dir, tasks, params)
    stopped = []

    def said_goodbye():
        stopped.append(True)
        print(f"Class server stopped; the data are in {store.data_dir}", flush=True)

    try:
        app = create_app(store, base, on_shutdown=said_goodbye)
        print(f"Student page: {base}", flush=True)
        print(f"Teacher page: {base}teacher?token={store.teacher_token}", flush=True)
        analysis_pool.shared().warm_up()
        config = uvicorn.Config(app, log_level="warning", access_log=False,
                                timeout_graceful_shutdown=10, lifespan="on")
        _server_class()(config).run(sockets=[sock])
    finally:
        if not stopped:  # the server never started (or failed): still close the files
            store.close()
        analysis_pool.shared().close()
    sys.stdout.flush()
    return 0
