"""The trials an analysis works on: the unit of analysis and the test phase.

Every task's analysis summarises one :data:`UNIT` (participant x session) at
a time and analyses only the ``test`` phase (practice trials are recorded in
the same files). These are the one definition of both.

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "phase": ["practice", "test", "test"],
...                   "rt_ms": [900.0, 500.0, 520.0]})
>>> test, used = only_test_phase(d, pd.Series([True, True, False]))
>>> test["rt_ms"].tolist(), used.tolist()
([500.0, 520.0], [True, False])
>>> with_session(test)["session"].tolist()
['1', '1']
"""

import pandas as pd

# The unit of analysis: one participant's one session (participants.csv has
# one row per unit; cleaning and trimming work within it).
UNIT = ("participant", "session")


def in_test_phase(data: pd.DataFrame) -> pd.Series:
    """True for ``data``'s rows of the ``test`` phase (every row when there
    is no ``phase`` column: another lab's file without practice), on
    ``data``'s index."""
    if "phase" not in data:
        return pd.Series(True, index=data.index)
    return data["phase"] == "test"


def only_test_phase(data: pd.DataFrame, used: pd.Series | None = None):
    """``data``'s rows of the ``test`` phase (all rows when there is no
    ``phase`` column, e.g. another lab's file), and the matching part of
    ``used`` (a boolean Series on ``data``'s index, or None). Returns
    ``(data, used)``; the objects themselves when nothing is dropped."""
    if "phase" in data:
        keep = in_test_phase(data).to_numpy(dtype=bool)
        if not keep.all():
            data = data[keep]
            used = None if used is None else used[keep]
    return data, used


def only_test_rows(data: pd.DataFrame) -> pd.DataFrame:
    """:func:`only_test_phase` without ``used``: just the test rows."""
    return only_test_phase(data)[0]


def with_session(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with a ``session`` column: session '1' when it has none
    (another lab's single-session file)."""
    return data if "session" in data else data.assign(session="1")
