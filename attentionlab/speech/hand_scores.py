"""Hand scores of shadowing: which attended words the participant repeated,
marked by a person listening to the recording (``attentionlab score shadowing``).

They live next to the session's data file, one file per session::

    sub-R1_ses-1_task-dichotic_run-1_beh.csv             the session
    sub-R1_ses-1_task-dichotic_run-1_shadowing-hand.csv  its hand scores

one row per word of the attended passage (``words_of`` its text, in order)
per scored message, with the columns :data:`HAND_SCORE_COLUMNS`. The file is
append-only: scoring a message again appends a new set of rows, and the
*last* set in the file for a ``trial_index`` is the one that counts. A set
is the run of consecutive rows written by one save: same ``trial_index``,
``scorer`` and ``scored_at``, ``word_index`` rising (one save is one write,
so two scorers appending at once never interleave inside a set).

The analysis reads the file through :func:`read_hand_scores` only, so the
rule above is in one place.

>>> hand_scores_path("sub-R1_ses-1_task-dichotic_run-1_beh.csv").name
'sub-R1_ses-1_task-dichotic_run-1_shadowing-hand.csv'
"""

import csv
import datetime
from pathlib import Path

import pandas as pd

from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError

HAND_SCORE_COLUMNS: tuple[Column, ...] = (
    Column("trial_index", "int", "trial_index of the message row in the session's data file"),
    Column("word_index", "int", "position of the word in the attended passage, from 0"),
    Column("word", "str", "the word (lower case, as speech.shadowing.words_of gives it)"),
    Column("said", "bool01", "1 if the participant repeated this word, else 0"),
    Column("scorer", "str", "who scored (the --scorer label; may be empty)"),
    Column("scored_at", "str", "when this message was saved, ISO 8601 local time with offset"),
)
HEADER = [c.name for c in HAND_SCORE_COLUMNS]
SUFFIX = "_shadowing-hand.csv"


def hand_scores_path(data_csv) -> Path:
    """The hand-score file of a session's data file (which need not exist)."""
    data_csv = Path(data_csv)
    stem = data_csv.stem
    if stem.endswith("_beh"):
        stem = stem[: -len("_beh")]
    return data_csv.with_name(stem + SUFFIX)


def read_hand_scores(data_csv) -> pd.DataFrame | None:
    """The latest hand scoring of each message of a session, or None if the
    session has no hand-score file.

    Returns one row per word, columns :data:`HEADER` (``trial_index``,
    ``word_index`` and ``said`` as integers), sorted by ``trial_index`` and
    ``word_index``. A malformed file raises :class:`UsageError` naming the
    file and line.

    >>> read_hand_scores("no/such/sub-X_ses-1_task-dichotic_run-1_beh.csv") is None
    True
    """
    path = hand_scores_path(data_csv)
    if not path.exists() or path.stat().st_size == 0:  # empty: created, then a crash
        return None
    latest: dict[int, list] = {}
    current, current_key = [], None
    for line, row in _rows(path):
        key = (row["trial_index"], row["scorer"], row["scored_at"])
        if key != current_key or row["word_index"] <= current[-1]["word_index"]:
            current, current_key = [], key  # a new save starts here
            latest[row["trial_index"]] = current
        current.append(row)
    rows = [r for trial in sorted(latest) for r in latest[trial]]
    frame = pd.DataFrame(rows, columns=HEADER)
    for name in ("trial_index", "word_index", "said"):
        frame[name] = frame[name].astype("int64")
    return frame.sort_values(["trial_index", "word_index"], ignore_index=True)


def _rows(path: Path):
    """``(line number, checked row dict)`` for each data row of ``path``."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != HEADER:
            raise UsageError(f"{path}:1: header is {','.join(header or [])!r}, "
                             f"expected {','.join(HEADER)!r}")
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(HEADER):
                raise UsageError(f"{path}:{line}: {len(cells)} cells, expected {len(HEADER)}")
            yield line, _checked(path, line, dict(zip(HEADER, cells)))


def _checked(path, line, row) -> dict:
    where = f"{path}:{line}"
    for name in ("trial_index", "word_index"):
        try:
            row[name] = int(row[name])
        except ValueError:
            raise UsageError(f"{where}: {name} {row[name]!r} is not a whole number") from None
        if row[name] < 0:
            raise UsageError(f"{where}: {name} {row[name]} is negative")
    if row["said"] not in ("0", "1"):
        raise UsageError(f"{where}: said {row['said']!r} is not 0 or 1")
    row["said"] = int(row["said"])
    if not row["word"]:
        raise UsageError(f"{where}: word is empty")
    try:
        stamp = datetime.datetime.fromisoformat(row["scored_at"])
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise UsageError(f"{where}: scored_at {row['scored_at']!r} is not an ISO 8601 time "
                         f"with offset (e.g. 2026-05-04T14:03:12+02:00)")
    return row
