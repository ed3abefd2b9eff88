"""The classroom's web server: the student page, the JSON API, the teacher page.

A Starlette application (served by uvicorn, :mod:`attentionlab.web.commands`)
around one :class:`~attentionlab.web.class_store.ClassStore`. The HTTP API is
fixed in docs/classroom-web.md; in short:

students (identified by ``student_token``)
    ``GET /``, ``GET /static/...``, ``POST /api/join``, ``/api/start``,
    ``/api/trial``, ``/api/finish``, ``/api/heartbeat``
teacher (``?token=`` or the ``X-Teacher-Token`` header; 403 otherwise)
    ``GET /teacher``, ``/teacher/report``, ``/api/teacher/status``,
    ``POST /api/teacher/close``

Every body is checked by :mod:`attentionlab.web.validation` before use,
every error is ``{"error": "plain sentence"}`` with its status, and every
page is rendered by Jinja2 with autoescaping (student-sent text is escaped).
The store's disk work (fsync) and the analyses run in worker threads, never
on the event loop.

>>> from attentionlab.web.class_store import ClassStore
>>> import tempfile
>>> store = ClassStore(tempfile.mkdtemp(), {})
>>> app = create_app(store, "http://127.0.0.1:8000/")
>>> store.close()
"""

import secrets
import traceback
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from attentionlab.core.params import as_plain
from attentionlab.web import validation
from attentionlab.web.runs import autopilot_plan, json_safe
from attentionlab.web import analysis_pool
from attentionlab.web.analysis_pool import WORKERS
from attentionlab.web.teacher import (REPORT_EVERY_S, LiveReport, qr_svg, report_html,
                                      short_address, write_final_report)
from attentionlab.web.validation import RequestError

HERE = Path(__file__).parent
# Everything a page loads comes from this server: no inline script, no other host.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
     b"frame-ancestors 'self'; base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cache-control", b"no-store"),
]


def templates():
    """The Jinja2 environment of web/templates/, autoescaping every page."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined)


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[h for h in SECURITY_HEADERS if h[0] not in names]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def read_json(request, schema: dict) -> dict:
    """The request's JSON body checked against ``schema``; refused (413) as
    soon as it grows past the limit, before it is all read."""
    limit = validation.MAX_BODY_BYTES
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise RequestError(f"the request is larger than {limit // 1024} KiB", 413)
    body, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(f"the request is larger than {limit // 1024} KiB", 413)
        body.append(chunk)
    return validation.parse_json(b"".join(body), schema)


def create_app(store, student_url: str, *, on_shutdown=None,
               report_every_s: float = REPORT_EVERY_S) -> Starlette:
    """The application serving ``store``'s class; ``student_url`` is what
    the teacher page shows (and encodes in the QR code); the live report is
    rebuilt at most every ``report_every_s`` seconds."""
    env = templates()
    # Analyses (a student's result, the reports) take a second or more of CPU: in
    # worker processes (analysis_pool.py), and only as many threads wait for them
    # as there are workers, so that the threads writing trials are always free.
    analyses = anyio.CapacityLimiter(WORKERS)
    pool = analysis_pool.shared()
    report = LiveReport(store.session_files, lambda: store.version, every_s=report_every_s,
                        build=lambda files: pool.run(report_html, files))

    def teacher_only(request) -> None:
        given = request.query_params.get("token") or request.headers.get("x-teacher-token")
        if not given or not secrets.compare_digest(given.encode(),
                                                   store.teacher_token.encode()):
            raise RequestError("the teacher page needs the teacher's token (see the "
                               "line 'Teacher page:' printed when the server started)", 403)

    # -- students ------------------------------------------------------------------------------
    async def student_page(request):
        return HTMLResponse(env.get_template("student.html").render())

    async def join(request):
        data = await read_json(request, validation.SCHEMAS["join"])
        student = await run_in_threadpool(store.join, data["student_token"])
        return JSONResponse({"label": student.label, "student_token": student.token,
                             "menu": store.menu(student.label)})

    async def start(request):
        data = await read_json(request, validation.SCHEMAS["start"])
        run, _ = await run_in_threadpool(store.start, data["student_token"], data["task"],
                                         data["device"], data.get("autopilot", False))
        return JSONResponse(await run_in_threadpool(start_answer, run, store.tasks[run.task]))

    async def trial(request):
        data = await read_json(request, validation.SCHEMAS["trial"])
        duplicate = await run_in_threadpool(
            store.record_trial, data["student_token"], data["run_id"], data["trial_index"],
            data["outcome"], data["dropped_frames"])
        return JSONResponse({"ok": True, "duplicate": duplicate})

    async def finish(request):
        data = await read_json(request, validation.SCHEMAS["finish"])
        run = await run_in_threadpool(store.finish, data["student_token"], data["run_id"],
                                      data["aborted"])
        if not run.completed:
            return JSONResponse({"result": None, "message": "The demo was stopped before "
                                 "the end, so there is no result this time."})
        result, message = await anyio.to_thread.run_sync(
            pool.run, student_result, run.csv_path, run.task, limiter=analyses)
        return JSONResponse(json_safe({"result": result, "message": message}))

    async def heartbeat(request):
        data = await read_json(request, validation.SCHEMAS["heartbeat"])
        store.student(data["student_token"])
        return JSONResponse({"ok": True})

    # -- teacher -------------------------------------------------------------------------------
    async def teacher_page(request):
        teacher_only(request)
        from attentionlab.classroom.textbook import TEXTBOOK

        page = env.get_template("teacher.html").render(
            student_url=student_url, address=short_address(student_url),
            qr=qr_svg(student_url), status=store.status(),
            titles={t: TEXTBOOK[t].title for t in store.tasks},
            data_dir=str(store.data_dir), token=store.teacher_token)
        return HTMLResponse(page)

    async def teacher_status(request):
        teacher_only(request)
        return JSONResponse(store.status())

    async def teacher_report(request):
        teacher_only(request)
        html, message = report.current()
        if html is None:
            return HTMLResponse(env.get_template("report_waiting.html").render(
                message=message))
        return HTMLResponse(html)

    async def teacher_close(request):
        teacher_only(request)
        store.close_class()
        from attentionlab.core.errors import UsageError

        try:
            path = await anyio.to_thread.run_sync(
                pool.run, write_final_report, store.data_dir, store.session_files(),
                limiter=analyses)
        except UsageError as exc:
            return JSONResponse({"report": None, "message": str(exc)})
        return JSONResponse({"report": str(path)})

    # -- errors --------------------------------------------------------------------------------
    async def refused(request, exc: RequestError):
        return JSONResponse({"error": str(exc), **exc.extra}, status_code=exc.status)

    async def http_error(request, exc: HTTPException):
        messages = {404: "no such page", 405: "this method is not allowed here"}
        return JSONResponse({"error": messages.get(exc.status_code, str(exc.detail))},
                            status_code=exc.status_code)

    async def crashed(request, exc: Exception):
        # uvicorn prints the traceback to the teacher's terminal (the error is raised on).
        return JSONResponse({"error": "the server failed on this request (the details "
                             "are in the teacher's terminal)"}, status_code=500)

    @asynccontextmanager
    async def lifespan(app):
        yield
        report.wait_idle()
        store.close()
        if on_shutdown is not None:
            on_shutdown()

    from attentionlab.web import task_assets

    def params_of(task):
        if task not in store.params:
            raise RequestError(f"no demo {task!r} in this class", 404)
        return store.params[task]

    static = StaticFiles(directory=HERE / "static", check_dir=False)
    app = Starlette(
        routes=[Route("/", student_page), Mount("/static", static, name="static"),
                # Browsers ask for an icon by themselves: "none", without a 404 in the log.
                Route("/favicon.ico", lambda request: Response(status_code=204)),
                *task_assets.routes(params_of),
                Route("/api/join", join, methods=["POST"]),
                Route("/api/start", start, methods=["POST"]),
                Route("/api/trial", trial, methods=["POST"]),
                Route("/api/finish", finish, methods=["POST"]),
                Route("/api/heartbeat", heartbeat, methods=["POST"]),
                Route("/teacher", teacher_page), Route("/teacher/report", teacher_report),
                Route("/api/teacher/status", teacher_status),
                Route("/api/teacher/close", teacher_close, methods=["POST"])],
        exception_handlers={RequestError: refused, HTTPException: http_error,
                            Exception: crashed},
        lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.state.store, app.state.report, app.state.pool = store, report, pool
    return app


def start_answer(run, module) -> dict:
    """/api/start's answer: the run, its texts, every trial's display (the
    task's web module) and the autopilot's plan for a simulated student."""
    return json_safe({
        "run_id": run.run_id, "task": run.task, "input": run.input,
        "next_index": run.next_index, "n_trials": len(run.trials),
        "params": as_plain(run.params), "texts": module.texts(run.params, run.input),
        "trials": [{"index": i, "phase": t.phase, "block": t.block,
                    "display": module.display(t, run.params)}
                   for i, t in enumerate(run.trials, start=1)],
        "autopilot": autopilot_plan(run) if run.simulated else None,
    })


def student_result(csv_path, task: str) -> tuple:
    """The results screen's texts and numbers for a completed run's CSV (those
    of the desktop demo: :mod:`attentionlab.classroom.student_result_text`);
    ``(None, message)`` when nothing could be computed. Runs in an analysis
    worker process (plain values in and out)."""
    from attentionlab.classroom.report import student_result as analyse
    from attentionlab.classroom.student_result_text import short_explanation, verdict
    from attentionlab.core.errors import UsageError

    try:
        entry, row = analyse(csv_path, task)
    except UsageError:
        return None, "No result could be computed from your answers this time."
    except Exception:  # noqa: BLE001 -- a bug must not end the student's demo
        traceback.print_exc()
        return None, "No result could be computed. Your answers are saved."
    text, kind = verdict(entry, row)
    return {"title": entry.title, "sentence": entry.sentence(row),
            "details": list(entry.details(row)), "verdict": text, "verdict_kind": kind,
            "value_text": entry.format(row.get("value")),
            "published_text": entry.published_text, "source": entry.source,
            "explanation": short_explanation(entry)}, ""
