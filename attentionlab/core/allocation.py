"""Balanced assignment of counterbalancing groups, kept in the data folder.

A *scheme* (e.g. ``"stroop.counterbalance"`` or ``"study.lab.order"``) has
``n_groups`` groups. A new participant gets the group with the fewest
COMPLETED sessions, then the fewest allocated, then the lowest number; a
participant asked again gets the group they were given. A participant who
was allocated but never completed (a dropout) does not count as completed,
so the next new participant refills that group.

The state is ``<data_dir>/allocation/<scheme>.json``::

    {"format": 1, "scheme": "stroop.counterbalance", "n_groups": 4,
     "participants": {"P01": {"group": 0, "allocated": "2026-...Z",
                              "completed": null}}}

Two computers may allocate at the same moment on one shared folder: every
read-modify-write happens under an exclusive ``fcntl.lockf`` lock on
``<scheme>.json.lock`` (POSIX record locks, which NFS and SMB mounts with
locking pass on to the server), and the file is replaced atomically
(temporary file, fsync, rename), so a reader never sees half a file and no
allocation is lost. Hand-written: the stdlib has the pieces (fcntl,
os.replace) and no well-kept library does "allocate by completed count".

>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> allocate(d, "demo.keys", 2, "P1"), allocate(d, "demo.keys", 2, "P2")
(0, 1)
>>> mark_completed(d, "demo.keys", "P2")
>>> allocate(d, "demo.keys", 2, "P3")   # P1 dropped out: group 0 is refilled
0
>>> allocate(d, "demo.keys", 2, "P2")   # asked again: the same group
1
"""

import contextlib
import datetime
import fcntl
import json
import os
import re
import threading
from pathlib import Path

from attentionlab.core.datafile import replace_atomically
from attentionlab.core.errors import UsageError

FORMAT = 1
FOLDER = "allocation"
_SCHEME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# POSIX record locks exclude other processes only, not threads of this one.
_THREADS = threading.Lock()


def allocation_path(data_dir, scheme: str) -> Path:
    """``<data_dir>/allocation/<scheme>.json`` (the scheme name is checked)."""
    if not _SCHEME.match(scheme) or ".." in scheme:
        raise UsageError(f"allocation scheme {scheme!r}: use letters, digits, '.', '_' "
                         f"and '-' only")
    return Path(data_dir) / FOLDER / f"{scheme}.json"


def allocate(data_dir, scheme: str, n_groups: int, participant: str) -> int:
    """The group (0..n_groups-1) of ``participant`` under ``scheme``.

    Asked again for the same participant: the same group. A new participant:
    the group with the fewest completed participants, then the fewest
    allocated, then the lowest number; the choice is written before this
    returns. ``n_groups`` must match the file's (a study's groups must not
    change half-way; a UsageError says so).
    """
    if n_groups < 1:
        raise ValueError(f"n_groups must be at least 1, got {n_groups}")
    path = allocation_path(data_dir, scheme)
    with _locked(path):
        state = _read(path, scheme, n_groups)
        entry = state["participants"].get(participant)
        if entry is not None:
            return int(entry["group"])
        group = least_completed(state, n_groups)
        state["participants"][participant] = {"group": group, "allocated": _now(),
                                              "completed": None}
        _write(path, state)
        return group


def peek(data_dir, scheme: str, n_groups: int, participant: str) -> int:
    """The group :func:`allocate` would give now, without writing anything
    (not even the folder): for saying the plan before a session starts.
    Another computer may allocate in between; :func:`allocate` decides."""
    path = allocation_path(data_dir, scheme)
    state = _read(path, scheme, n_groups)
    entry = state["participants"].get(participant)
    return int(entry["group"]) if entry is not None else least_completed(state, n_groups)


def mark_completed(data_dir, scheme: str, participant: str) -> None:
    """Count ``participant``'s group as completed (the first completion's
    time is kept). A participant never allocated under ``scheme`` is an
    error: only allocated groups can be completed."""
    path = allocation_path(data_dir, scheme)
    with _locked(path):
        state = _read(path, scheme, None)
        entry = state["participants"].get(participant)
        if entry is None:
            raise UsageError(f"participant {participant!r} has no group under allocation "
                             f"scheme {scheme!r} ({path})")
        if entry.get("completed"):
            return
        entry["completed"] = _now()
        _write(path, state)


def read_allocation(data_dir, scheme: str) -> dict:
    """The scheme's state (as in the module docstring), or an empty state
    (``n_groups`` None) when nothing was allocated yet. Read without the
    lock: the file is only ever replaced whole."""
    return _read(allocation_path(data_dir, scheme), scheme, None)


def group_counts(state: dict, n_groups: int) -> list[tuple[int, int]]:
    """``[(completed, allocated), ...]`` per group.

    >>> s = {"participants": {"A": {"group": 1, "completed": "t"},
    ...                       "B": {"group": 1, "completed": None}}}
    >>> group_counts(s, 2)
    [(0, 0), (1, 2)]
    """
    counts = [[0, 0] for _ in range(n_groups)]
    for entry in state["participants"].values():
        g = int(entry["group"])
        if 0 <= g < n_groups:
            counts[g][1] += 1
            counts[g][0] += bool(entry.get("completed"))
    return [tuple(c) for c in counts]


def least_completed(state: dict, n_groups: int) -> int:
    """The group a new participant gets: fewest completed, then fewest
    allocated, then the lowest number."""
    counts = group_counts(state, n_groups)
    return min(range(n_groups), key=lambda g: (counts[g][0], counts[g][1], g))


@contextlib.contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on ``<path>.lock`` (a separate file, because
    the data file itself is replaced by rename and a lock on it would be
    lost with the old inode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with _THREADS:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX)  # blocks until the other computer is done
            try:
                yield
            finally:
                fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _read(path: Path, scheme: str, n_groups: int | None) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"format": FORMAT, "scheme": scheme, "n_groups": n_groups, "participants": {}}
    try:
        state = json.loads(text)
        participants = state["participants"]
        if not isinstance(participants, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"allocation file {path} is not a valid allocation file; "
                         f"move it aside to start the allocation again") from None
    if n_groups is not None:
        if state.get("n_groups") is None:
            state["n_groups"] = n_groups
        elif state["n_groups"] != n_groups:
            raise UsageError(
                f"allocation scheme {scheme!r} has {state['n_groups']} groups in {path}, "
                f"these settings give {n_groups}: keep the study's settings, or use "
                f"another data folder")
    return state


def _write(path: Path, state: dict) -> None:
    """Replace ``path`` atomically (:func:`~attentionlab.core.datafile.replace_atomically`)."""
    replace_atomically(path, json.dumps(state, indent=1, sort_keys=True) + "\n")


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_group(group: int | None, n_groups: int) -> None:
    """Raise ValueError unless ``group`` is None (the label rule) or one of
    ``0..n_groups-1`` (a task's :func:`counterbalance_groups`).

    >>> check_group(None, 1), check_group(3, 4)
    (None, None)
    """
    if group is not None and not (isinstance(group, int) and 0 <= group < n_groups):
        raise ValueError(f"group must be 0..{n_groups - 1} (these settings have "
                         f"{n_groups} counterbalancing groups), got {group!r}")
