"""The classroom server's own state: the hidden folder ``<data-dir>/.classroom/``.

Hidden, so ``analyze`` and ``class-report`` never read it:

* ``students.tsv``: ``label<TAB>sha256(student token)``, one line per
  student, appended and fsynced when the student first joins. The token
  itself (the browser's secret) is never written;
* ``teacher_token``: the teacher page's secret (mode 0600), the same after a
  restart so that the teacher's open page keeps working;
* ``lock``: held (``flock``) while a server uses the folder, with its PID:
  a second server on the same folder is refused, and a killed server's lock
  goes with its process.

>>> import tempfile
>>> from pathlib import Path
>>> state = Path(tempfile.mkdtemp())
>>> add_student(state, "S0001", "ab" * 16)
>>> read_students(state) == {token_hash("ab" * 16): "S0001"}
True
"""

import fcntl
import hashlib
import os
import secrets
from pathlib import Path

from attentionlab.core import datafile
from attentionlab.core.errors import UsageError

STATE_FOLDER = ".classroom"
STUDENTS = "students.tsv"


def token_hash(token: str) -> str:
    """The SHA-256 of a student's token (hex): what is kept on disk."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_students(state: Path) -> dict:
    """``{sha256(token): label}`` of every student who joined."""
    path = Path(state) / STUDENTS
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            label, _, digest = line.partition("\t")
            # A line cut short by a crash has no full hash: that join was never answered.
            if label.isalnum() and len(digest) == 64:
                out[digest] = label
    return out


def add_student(state: Path, label: str, token: str) -> None:
    """Append one student's line, on disk before the join is answered."""
    with open(Path(state) / STUDENTS, "a", encoding="utf-8") as fh:
        datafile.write_synced(fh, f"{label}\t{token_hash(token)}\n")
    datafile.fsync_folder(Path(state))


def take_lock(state: Path, data_dir: Path):
    """Hold ``state/lock`` (flock) for this process and write its PID into it;
    :class:`UsageError` when another server holds it. Returns the open file
    (:func:`release_lock`)."""
    handle = open(Path(state) / "lock", "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        pid = handle.read().strip() or "unknown"
        handle.close()
        raise UsageError(f"another classroom server (PID {pid}) is using the data folder "
                         f"{str(data_dir)!r}; stop it first, or choose another --data-dir")
    handle.seek(0)
    handle.truncate()
    datafile.write_synced(handle, f"{os.getpid()}\n")
    return handle


def release_lock(handle) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


def teacher_token(state: Path) -> str:
    """The teacher's secret: read back, or made (mode 0600) the first time."""
    path = Path(state) / "teacher_token"
    try:
        token = path.read_text(encoding="utf-8").strip()
        if len(token) == 32 and all(c in "0123456789abcdef" for c in token):
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_hex(16)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # also when the file was there before (the umask does not apply)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        datafile.write_synced(fh, token + "\n")
    return token
