"""Crash-safe session files: one CSV row per trial, a JSON sidecar beside it.

The rules that protect data (docs/architecture.md) live here, in one place:

* the CSV is created with exclusive create (``open(..., "x")``): an existing
  file is never opened for writing again, and ``run-<n>`` is the next number
  free for both the CSV and the sidecar;
* each row is written whole, then flushed and fsynced, so ``kill -9`` loses
  at most the trial in progress;
* the sidecar is written when the session starts and replaced atomically
  (temporary file, fsync, rename) when it ends.

>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> f = SessionFiles.create(d, "P01", "1", "stroop", ["a", "b"])
>>> f.run, f.csv_path.name
(1, 'sub-P01_ses-1_task-stroop_run-1_beh.csv')
>>> f.append_row({"a": 1, "b": "x"}); f.close()
"""

# Hand-written: neither pandas nor PsychoPy's ExperimentHandler writes each
# row durably (fsync) as it comes, which is what survives kill -9.
import csv
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from attentionlab.core.errors import UsageError
from attentionlab.core.labels import check_label

MIN_FREE_BYTES = 50 * 1024 * 1024  # a session's CSV is tiny; this leaves room for recordings


def session_stem(participant: str, session: str, task: str, run: int) -> str:
    """BIDS-style file stem, e.g. ``sub-P07_ses-1_task-stroop_run-1_beh``."""
    return f"sub-{participant}_ses-{session}_task-{task}_run-{run}_beh"


def existing_runs(data_dir, participant: str, session: str, task: str) -> list:
    """Run numbers on disk (CSV or sidecar) of one participant, session and
    task, ascending, e.g. ``[1, 2]`` (``run --resume`` looks for the latest)."""
    folder = Path(data_dir) / f"sub-{participant}"
    prefix = session_stem(participant, session, task, 0)[:-len("0_beh")]
    runs = set()
    for path in folder.glob(f"{prefix}*_beh.*") if folder.is_dir() else ():
        number = path.stem[len(prefix):-len("_beh")]
        if number.isdigit() and path.suffix in (".csv", ".json"):
            runs.add(int(number))
    return sorted(runs)


def preflight(data_dir: str | Path, option: str = "--data-dir") -> Path:
    """Check, before any window opens, that ``data_dir`` can take a session.

    Creates the folder if needed, writes and removes a probe file, and
    checks the free space. Raises :class:`UsageError` saying what is wrong;
    ``option`` is the command-line option that named the folder.
    """
    path = Path(data_dir)
    # A file where the folder (or one above it) should be: say so, rather than
    # mkdir's "File exists" / "Not a directory".
    for part in (path, *path.parents):
        if part.exists():
            if not part.is_dir():
                where = "" if part == path else f" is inside {str(part)!r}, which"
                raise UsageError(f"{option} {str(path)!r}{where} is a file, not a folder; "
                                 f"choose a folder with {option}")
            break
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".attentionlab-probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(
            f"data folder {str(path)!r} is not writable ({exc.strerror}); "
            f"choose another with {option}") from None
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        raise UsageError(
            f"data folder {str(path)!r} has only {free // 2**20} MiB free; "
            f"at least {MIN_FREE_BYTES // 2**20} MiB are needed")
    return path


@dataclass
class SessionFiles:
    """The open CSV of one session and the path of its sidecar."""

    csv_path: Path
    sidecar_path: Path
    run: int
    header: list
    _fh: io.TextIOBase

    @classmethod
    def create(cls, data_dir, participant, session, task, header) -> "SessionFiles":
        """Create ``<data_dir>/sub-<p>/`` and the next free run's CSV with its header."""
        check_label(participant, "participant")
        check_label(session, "session")
        folder = Path(data_dir) / f"sub-{participant}"
        folder.mkdir(parents=True, exist_ok=True)
        run = 1
        while True:
            stem = session_stem(participant, session, task, run)
            csv_path, sidecar = folder / f"{stem}.csv", folder / f"{stem}.json"
            if not sidecar.exists():
                try:
                    # newline="" lets the csv module own line endings; "x" never
                    # reuses a file, even if another process raced us to it.
                    fh = open(csv_path, "x", newline="", encoding="utf-8")
                except FileExistsError:
                    run += 1
                    continue
                break
            run += 1
        files = cls(csv_path, sidecar, run, list(header), fh)
        files._write_line(header)
        return files

    def append_row(self, row: dict) -> None:
        """Write one trial's row (missing columns empty) and force it to disk."""
        self._check(row)
        self._write_line([_cell(row.get(name)) for name in self.header])

    def append_rows(self, rows: list) -> None:
        """Write many rows and force them to disk once (data-only simulation,
        where no person waits between rows)."""
        for row in rows:
            self._check(row)
        self._write_lines([[_cell(row.get(name)) for name in self.header] for row in rows])

    def _check(self, row):
        unknown = set(row) - set(self.header)
        if unknown:
            raise KeyError(f"columns not declared for this task: {sorted(unknown)}")

    def _write_line(self, cells) -> None:
        self._write_lines([cells])

    def _write_lines(self, lines) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(lines)
        # One write call, so a crash leaves whole rows or none.
        self._fh.write(buf.getvalue())
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def write_sidecar(path: Path, content: dict) -> None:
    """Write the sidecar atomically: temporary file, fsync, rename over ``path``."""
    replace_atomically(path, json.dumps(content, indent=2, ensure_ascii=False, default=str)
                       + "\n")


def replace_atomically(path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically: a temporary file beside it,
    fsync, rename, fsync the folder (so the rename itself survives a power
    cut). A crash leaves the old file or the new one, never half of one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write_synced(fh, text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    fsync_folder(path.parent)


def write_synced(fh, text: str) -> None:
    """Write ``text`` in one call, flush and fsync (a crash leaves whole rows or none)."""
    fh.write(text)
    fh.flush()
    os.fsync(fh.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a new or renamed entry of ``folder`` durable (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):  # numpy floats too: write 512.3457, never np.float64(...)
        return repr(round(float(value), 4)) if value == value else ""
    return value
