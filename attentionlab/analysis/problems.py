"""Problems found in the input: which file, which line(s), what is wrong.

Analysis never stops at a bad file (DESIGN, rules that protect data): each
problem is collected, the rest is analysed, and the list goes into the
report and onto stderr.

>>> str(Problem("data/sub-P1.csv", 7, "rt_ms 'abc' is not a number; row skipped"))
"data/sub-P1.csv:7: rt_ms 'abc' is not a number; row skipped"
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

FILE, LINE = "_file", "_line"  # bookkeeping columns: source file index, line in it
MAX_LINES_SHOWN = 5


@dataclass(frozen=True)
class Problem:
    """``file``: path as found; ``line``: 1-based line number, or None for the
    whole file; ``lines``: further line numbers with the same problem."""

    file: str
    line: int | None
    message: str
    more_lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.more_lines:
            shown = ", ".join(map(str, self.more_lines[:MAX_LINES_SHOWN - 1]))
            rest = len(self.more_lines) - (MAX_LINES_SHOWN - 1)
            extra = f" (also line {shown}" + (f" and {rest} more lines)" if rest > 0 else ")")
            return f"{where}: {self.message}{extra}"
        return f"{where}: {self.message}"


def row_problems(frame: pd.DataFrame, bad: np.ndarray, files: list, message) -> list:
    """One :class:`Problem` per file for the rows where ``bad`` is True.

    ``frame`` has the bookkeeping columns; ``message(rows)`` gets the bad rows
    of one file and returns the text (e.g. quoting the first bad value).
    """
    bad = np.asarray(bad, dtype=bool)
    if not bad.any():
        return []
    rows = frame[bad]
    out = []
    for file_id, group in rows.groupby(FILE, sort=True):
        lines = [int(x) for x in np.sort(group[LINE].to_numpy())]
        out.append(Problem(files[file_id], lines[0], message(group), tuple(lines[1:])))
    return out


def quote(value, limit: int = 40) -> str:
    """A value for a message: repr, shortened."""
    text = repr(str(value))
    return text if len(text) <= limit else text[:limit - 4] + "...'"
