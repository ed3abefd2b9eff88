"""The teacher's side: the page (QR code, address, counts), the live class
report, and the final report written when the class is closed.

The live report is the class report of ``attentionlab class-report``
(:mod:`attentionlab.classroom.report`, the same code and page) over this
class's session files. Building it runs every task's analysis, which takes
seconds, so it is built in a worker thread, at most every
:data:`REPORT_EVERY_S` seconds and only when rows arrived since the last
build; the teacher page shows the last one built meanwhile.

>>> short_address("http://192.168.1.20:8000/")
'192.168.1.20:8000'
>>> qr_svg("http://192.168.1.20:8000/").startswith("<svg")
True
"""

import threading
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit

REPORT_EVERY_S = 5.0
REPORT_FOLDER = "class_report"


def short_address(url: str) -> str:
    """What a student types: host and port, without ``http://`` and the slash."""
    return urlsplit(url).netloc


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (segno: pure Python, no file, no network)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000",
                                                  light="#fff")


def report_html(files) -> str:
    """The class report of ``files`` (session CSVs) as HTML: the same code as
    ``attentionlab class-report``. :class:`UsageError` when nothing can be reported."""
    from attentionlab.classroom.report import build_class, render

    return render(build_class([str(f) for f in files]))


class LiveReport:
    """The class report HTML, rebuilt in the background when ``version()``
    (the store's row counter) has changed and the last build is old enough.
    ``build(files)`` makes the HTML (default :func:`report_html`; the server
    runs it in its analysis worker processes)."""

    def __init__(self, files, version, *, every_s: float = REPORT_EVERY_S,
                 clock=time.monotonic, build=report_html):
        self._files, self._version, self.every_s, self.clock = files, version, every_s, clock
        self._build_html = build
        self._lock = threading.Lock()
        self._built_version = None
        self._built_at = None
        self._building = False
        self.html = None      # the last report built (None: none yet)
        self.message = "The report appears when the first student has sent a trial."

    def current(self) -> tuple:
        """``(html or None, message)`` now; starts a rebuild when one is due."""
        with self._lock:
            due = (not self._building and self._version() != self._built_version and
                   (self._built_at is None or self.clock() - self._built_at >= self.every_s))
            if due:
                self._building = True
                threading.Thread(target=self._build, args=(self._version(),),
                                 name="class-report", daemon=True).start()
            return self.html, self.message

    def _build(self, version) -> None:
        from attentionlab.core.errors import UsageError

        html, message = None, None
        try:
            files = self._files()
            if files:
                html = self._build_html(files)
        except UsageError as exc:
            # Usually no demo is finished yet; the analysis's own wording is for
            # researchers, so the teacher gets the plain version.
            message = ("No results yet: the class report appears here once a student has "
                       "finished a demo.")
        except Exception as exc:  # noqa: BLE001 -- the class goes on without the report
            traceback.print_exc()
            message = f"The class report failed ({type(exc).__name__}); the data are safe."
        with self._lock:
            if html is not None:
                self.html = html
            elif message:
                self.message = message
            self._built_version, self._built_at, self._building = (version, self.clock(),
                                                                   False)

    def wait_idle(self, timeout_s: float = 60.0) -> None:
        """Wait until no build runs (tests; the server's shutdown)."""
        end = time.monotonic() + timeout_s
        while self._building and time.monotonic() < end:
            time.sleep(0.05)


def write_final_report(data_dir, files) -> Path:
    """``<data_dir>/class_report/`` (``class_report-2``, ... when it exists:
    never overwritten) with class_report.html and class_summary.csv; returns
    the HTML's path. :class:`UsageError` when nothing can be reported (the
    new folder is then removed again)."""
    from attentionlab.classroom.report import write_class_report

    data_dir = Path(data_dir)
    for n in range(1, 10_000):
        folder = data_dir / (REPORT_FOLDER if n == 1 else f"{REPORT_FOLDER}-{n}")
        try:
            folder.mkdir()  # claims the name: two closes never share a folder
            break
        except FileExistsError:
            continue
    try:
        _, written = write_class_report([str(f) for f in files], folder)
    except BaseException:
        if not any(folder.iterdir()):
            folder.rmdir()
        raise
    return written["class_report.html"]
