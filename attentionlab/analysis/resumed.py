"""Sessions in pieces: a run resumed with ``attentionlab run --resume``.

A resumed run's sidecar says which run it continues (``continues_run``) and
at which test trial it starts (``resumed.first_test_trial``). The analysis
treats the pieces as one session: the run and the run(s) it continues are
joined (not "a session recorded twice", where one file is kept), and a notice
says so. The continued run must be among the files read, from the same
folder and with the same participant, session and task.

>>> import pandas as pd
>>> s = pd.DataFrame({"_file": [0, 1], "file": ["d/a.csv", "d/b.csv"],
...     "participant": ["P1", "P1"], "session": ["1", "1"], "task": ["stroop"] * 2,
...     "run": [1.0, 2.0], "n_test": [150, 138],
...     "continues_run": [float("nan"), 1.0], "first_test_trial": [float("nan"), 151.0]})
>>> pieces = join_resumed(s)
>>> pieces.root, pieces.notes
({1: 0}, ['sub-P1 ses-1 stroop: run-2 continues run-1 (trials 151-288); the analysis joins them into one session.'])
"""

from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd

from attentionlab.analysis.problems import FILE, Problem


@dataclass
class Pieces:
    """``root``: file id -> the file id of the first run of its session, for
    every file that continues another one read; ``continued``: file ids that
    a file read continues (not incomplete sessions on their own); ``notes``:
    one line per resumed run; ``problems``: a continued run not found."""

    root: dict = field(default_factory=dict)
    continued: set = field(default_factory=set)
    note_of: dict = field(default_factory=dict)  # file id -> its line in notes
    problems: list = field(default_factory=list)

    @property
    def notes(self) -> list:
        return list(self.note_of.values())


def join_resumed(sessions: pd.DataFrame) -> Pieces:
    """Which files continue which (see the module docstring)."""
    pieces = Pieces()
    if sessions.empty or "continues_run" not in sessions or "run" not in sessions:
        return pieces
    rows = sessions.to_dict("records")

    def key(row, run):
        return (row["participant"], row["session"], row["task"], float(run),
                PurePath(str(row["file"])).parent)

    by_key = {key(r, r["run"]): r[FILE] for r in rows if pd.notna(r["run"])}
    parent = {}
    for r in rows:
        if pd.isna(r.get("continues_run")):
            continue
        target = by_key.get(key(r, r["continues_run"]))
        run, before = _int(r["run"]), _int(r["continues_run"])
        if target is None or target == r[FILE]:
            pieces.problems.append(Problem(str(r["file"]), None, (
                f"run-{run} continues run-{before} (run --resume), which is not among the "
                f"files read: only this run's trials of that session are analysed")))
            continue
        if target in parent.values():  # two resumes of one run (run at the same time?)
            pieces.problems.append(Problem(str(r["file"]), None, (
                f"run-{run} continues run-{before}, which another file read continues "
                f"too: not joined (analysed as a session recorded twice)")))
            continue
        parent[r[FILE]] = target
        first = r.get("first_test_trial")
        trials = (f"trials {_int(first)}-{_int(first) + _int(r['n_test']) - 1}"
                  if pd.notna(first) and r["n_test"] > 0 else "no test trials")
        pieces.note_of[r[FILE]] = (f"sub-{r['participant']} ses-{r['session']} {r['task']}: "
                            f"run-{run} continues run-{before} ({trials}); the analysis "
                            f"joins them into one session.")
    for file_id in parent:
        root, seen = file_id, {file_id}
        while root in parent and parent[root] not in seen:  # a loop cannot come from us
            root = parent[root]
            seen.add(root)
        pieces.root[file_id] = root
    pieces.continued = set(parent.values())
    return pieces


def _int(value) -> int:
    return int(float(value))
