"""Reading our session files (CSV + JSON sidecar) from files or folder trees.

:func:`read_sessions` returns a :class:`Dataset`: every trial row of every
readable file (text columns as ``str``, ``""`` when empty; numeric columns as
floats, NaN when empty), one row per file in ``sessions`` (sidecar facts),
and the problems found. A bad file or row is reported with its file and
line and left out; everything else is read.

What counts as a problem (and what is done with it):

* empty file, no header, or a header without the required columns: file skipped;
* a last line without its newline (a session that crashed while writing):
  that line is dropped, the rest read;
* a line with the wrong number of fields, or a non-numeric ``rt_ms`` /
  ``correct``, an unknown ``phase``, an empty participant or session: row dropped;
* another numeric column that is not a number: value set empty, row kept;
* a sidecar that is missing or not valid JSON: noted, rows still read.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "x_beh.csv").write_text(
...     "participant,session,task,phase,rt_ms,correct\\nP1,1,stroop,test,512.5,1\\n"
...     "P1,1,stroop,test,abc,1\\n")
>>> data = read_sessions(find_files([folder]))
>>> data.trials["rt_ms"].tolist(), [p.line for p in data.problems]
([512.5], [3, None])
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.speech import hand_scores
from attentionlab.analysis.problems import FILE, LINE, Problem, quote, row_problems
from attentionlab.analysis.trials import in_test_phase
from attentionlab.core.columns import COMMON_COLUMNS
from attentionlab.core.errors import UsageError
from attentionlab.stimuli.registry import TASKS

REQUIRED = ("participant", "session", "task", "phase", "rt_ms", "correct")
PHASES = ("practice", "test")
# Columns whose bad values make the row unusable (others are just blanked).
ESSENTIAL_NUMBERS = ("rt_ms", "correct")


def numeric_columns() -> set:
    """Names of the declared int/float/0-1 columns of every task."""
    columns = list(COMMON_COLUMNS)
    for module in TASKS.values():
        columns += list(module.COLUMNS)
    return {c.name for c in columns if c.kind in ("int", "float", "bool01")}


@dataclass
class Dataset:
    """What was read: ``trials`` (plus bookkeeping columns ``_file``, the
    index into ``files``, and ``_line``, the line in that file), ``files``
    (paths as found), ``sessions`` (one row per file that gave trials:
    ``file, participant, session, task, run, n_rows, n_test, completed,
    trials_planned, trials_done, abort_reason, dropped_frames_total,
    simulated, truncated``, and for a resumed run ``continues_run`` and
    ``first_test_trial``) and ``problems``."""

    trials: pd.DataFrame
    files: list
    sessions: pd.DataFrame
    problems: list = field(default_factory=list)
    source: str = "attentionlab session files"
    n_not_kept: int = 0  # rows left out by a mapping's [keep] (not trials)
    not_kept_by: str = ""  # the [keep]/[drop] rules in words, for the methods


# Files our tools write beside the data that are not trial data: a folder
# given to analyze skips them (given by name, they are read and reported).
# class_summary.csv: the class report's table, which 'classroom serve' writes
# into <data-dir>/class_report/ when the class is closed.
NOT_DATA = (hand_scores.SUFFIX, "class_summary.csv")


def find_files(paths, suffixes=(".csv",)) -> list:
    """Files given, plus files with one of ``suffixes`` found recursively in
    the folders given (hidden files and folders skipped), sorted per folder.
    :class:`UsageError` for a path that does not exist."""
    found = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = [p for p in path.rglob("*")
                      if p.is_file() and p.suffix.lower() in suffixes
                      and not p.name.endswith(NOT_DATA)
                      and not any(part.startswith(".") for part in p.relative_to(path).parts)]
            found += sorted(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{str(given)!r} does not exist (give data files or folders)")
    seen, unique = set(), []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


@dataclass
class Parsed:
    """One CSV file split for parsing: ``header`` (cell names), and either
    ``body`` (the data lines as UTF-8 bytes, when every line has the header's
    number of fields and nothing is quoted: safe to parse together with other
    files; :func:`parse_all` takes it, leaving None) or ``frame``/``lines``
    (parsed on its own, line by line)."""

    name: str
    sep: str = ","
    header_line: str = ""
    header: list = field(default_factory=list)
    body: bytes | None = None
    n_rows: int = 0
    frame: pd.DataFrame | None = None
    lines: np.ndarray | None = None
    problems: list = field(default_factory=list)


def split_csv(raw: bytes, name: str, sep: str = ",", encoding: str = "utf-8-sig",
              crash_tail: bool = True) -> Parsed:
    """Check one CSV file and prepare it for parsing.

    ``crash_tail``: a last line without a newline is a half-written row (our
    files end every row with one) and is dropped. A file that cannot be used
    comes back with neither ``body`` nor ``frame``, and says why in ``problems``.
    """
    parsed = Parsed(name, sep)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        parsed.problems.append(Problem(name, None, f"not {encoding} text ({exc.reason} at "
                                                   f"byte {exc.start}); file skipped"))
        return parsed
    if not text.strip():
        parsed.problems.append(Problem(name, None, "empty file; skipped"))
        return parsed
    if crash_tail and not text.endswith("\n"):
        parsed.problems.append(Problem(name, text.count("\n") + 1, (
            "incomplete last line (the session probably stopped while writing it); "
            "line ignored")))
        text = text[:text.rfind("\n") + 1]
        if not text.strip():
            parsed.problems.append(Problem(name, None, "no complete line; skipped"))
            return parsed
    elif not text.endswith("\n"):
        text += "\n"
    cut = text.find("\n") + 1
    parsed.header_line = text[:cut]
    parsed.header = next(csv.reader([parsed.header_line.rstrip("\r\n")], delimiter=sep))
    body = text[cut:]
    n_lines = body.count("\n")
    if ('"' not in body and "\r" not in body
            and body.count(sep) == (len(parsed.header) - 1) * n_lines):
        # Kept as bytes (what parse_all parses): the decoded text of every file
        # held until the join would double the memory of the read.
        parsed.body, parsed.n_rows = body.encode("utf-8"), n_lines
    else:
        _parse_slowly(parsed, text)
    return parsed


def _parse_slowly(parsed, text):
    """Line by line with the csv module: exact line numbers for bad lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=parsed.sep)
    next(reader)
    width, rows, lines, bad = len(parsed.header), [], [], []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                bad.append((reader.line_num, len(row)))
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        parsed.problems.append(Problem(parsed.name, reader.line_num, (
            f"unreadable CSV ({exc}); rest of the file ignored")))
    if bad:
        parsed.problems.append(Problem(
            parsed.name, bad[0][0], f"{bad[0][1]} fields where the header has {width}; "
            f"line skipped", tuple(line for line, _ in bad[1:])))
    parsed.frame = pd.DataFrame(rows, columns=parsed.header, dtype=str)
    parsed.lines = np.array(lines, dtype=int)


def parse_all(items: list, usecols=None, numeric=frozenset()) -> pd.DataFrame:
    """Parse prepared files into one frame with ``_file``/``_line``.

    Columns named in ``numeric`` are left to pandas' number parsing (fast; a
    column with a non-number stays text and is checked by :func:`check_rows`);
    all others are text, ``""`` when empty.

    ``items``: ``(file_id, Parsed)`` pairs. Files with the same header and a
    simple body are parsed together in one ``read_csv`` call (far faster than
    one call per small file); if the row count does not come out as expected,
    each file is parsed on its own instead. The bodies are taken (set to
    None) as they are joined: at 10^7 rows each copy of the text is ~1.3 GB.
    """
    frames, groups = [], {}
    for file_id, parsed in items:
        if parsed.body is not None:
            groups.setdefault((parsed.sep, parsed.header_line), []).append((file_id, parsed))
        elif parsed.frame is not None:
            frames.append(_select(parsed.frame, usecols).assign(
                **{FILE: file_id, LINE: parsed.lines}))
    for (sep, header_line), members in groups.items():
        data = b"".join([header_line.encode("utf-8")] + [p.body for _, p in members])
        sizes = [len(p.body) for _, p in members]
        for _, parsed in members:
            parsed.body = None
        header = members[0][1].header
        columns = header if usecols is None else [c for c in header if c in usecols]
        texts = [c for c in columns if c not in numeric]
        # As UTF-8 bytes: a StringIO of 10^6 rows took ~1.5 s to build (4 bytes a
        # character).
        frame = pd.read_csv(io.BytesIO(data), sep=sep, encoding="utf-8",
                            dtype=dict.fromkeys(texts, str), na_values=[""],
                            keep_default_na=False, skip_blank_lines=False, engine="c",
                            usecols=columns)
        counts = [p.n_rows for _, p in members]
        if len(frame) != sum(counts):  # should not happen; be safe, not fast
            ends = np.cumsum([len(header_line.encode("utf-8"))] + sizes)
            for (file_id, parsed), start, end in zip(members, ends[:-1], ends[1:]):
                _parse_slowly(parsed, header_line + data[start:end].decode("utf-8"))
                frames.append(_select(parsed.frame, usecols).assign(
                    **{FILE: file_id, LINE: parsed.lines}))
            continue
        del data
        if texts:
            frame[texts] = frame[texts].fillna("")
        frame[FILE] = np.repeat([f for f, _ in members], counts)
        frame[LINE] = np.concatenate([np.arange(2, n + 2) for n in counts])
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[FILE, LINE])
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _select(frame, usecols):
    return frame if usecols is None else frame[[c for c in frame.columns if c in usecols]]


def read_sessions(files, columns=None) -> Dataset:
    """Read our session CSVs (and sidecars). ``columns``: only these columns
    (plus the required ones) are kept, which makes large data sets faster."""
    wanted = None if columns is None else set(columns) | set(REQUIRED)
    items, problems, names = [], [], [str(f) for f in files]
    for file_id, path in enumerate(files):
        name = names[file_id]
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            problems.append(Problem(name, None, f"cannot be read ({exc.strerror}); skipped"))
            continue
        parsed = split_csv(raw, name)
        problems += parsed.problems
        if parsed.body is None and parsed.frame is None:
            continue
        missing = [c for c in REQUIRED if c not in parsed.header]
        if missing:
            problems.append(Problem(name, 1, f"not an attentionlab session file: no "
                                             f"column {', '.join(missing)}; skipped (use "
                                             f"--mapping for other files)"))
            continue
        if parsed.n_rows == 0 and (parsed.frame is None or parsed.frame.empty):
            problems.append(Problem(name, None, "no trials in the file"))
        items.append((file_id, parsed))
    trials = parse_all(items, usecols=wanted, numeric=numeric_columns())
    for column in REQUIRED:  # nothing readable: still the columns the checks expect
        if column not in trials:
            trials[column] = pd.Series(dtype=float if column in ESSENTIAL_NUMBERS else str)
    trials, found = check_rows(trials, names)
    problems += found
    sessions, found = sessions_table(trials, files)
    return Dataset(trials, names, sessions, problems + found)


def check_rows(trials: pd.DataFrame, names: list):
    """Convert numeric columns; drop (and report) rows that cannot be used."""
    problems, drop = [], np.zeros(len(trials), dtype=bool)
    for column in sorted(numeric_columns() & set(trials.columns)):
        raw = trials[column]
        if pd.api.types.is_numeric_dtype(raw):
            values, bad = raw.astype(float), np.zeros(len(raw), dtype=bool)
        else:  # text, or a mix of numbers and text from differently parsed files
            values = pd.to_numeric(raw, errors="coerce").astype(float)
            empty = raw.isna() | (raw.astype(str).str.strip() == "")
            bad = (values.isna() & ~empty).to_numpy(dtype=bool)
        if column == "correct":
            bad = bad | (values.notna() & ~values.isin([0, 1])).to_numpy(dtype=bool)
        trials[column] = values
        if bad.any():
            essential = column in ESSENTIAL_NUMBERS
            action = "row skipped" if essential else "value ignored"
            problems += row_problems(trials.assign(_raw=raw), bad, names, lambda g, c=column,
                                     a=action: f"{c} {quote(g['_raw'].iloc[0])} is not "
                                               f"{'0 or 1' if c == 'correct' else 'a number'}"
                                               f"; {a}")
            if essential:
                drop |= bad
    if "phase" in trials:
        bad = ~trials["phase"].isin(PHASES).to_numpy(dtype=bool) & ~drop
        problems += row_problems(trials, bad, names, lambda g: f"phase {quote(g['phase'].iloc[0])}"
                                 f" is not practice or test; row skipped")
        drop |= bad
    for column in ("participant", "session"):
        if column in trials:
            bad = (trials[column].str.strip() == "").to_numpy(dtype=bool) & ~drop
            problems += row_problems(trials, bad, names,
                                     lambda g, c=column: f"empty {c}; row skipped")
            drop |= bad
    if drop.any():
        trials = trials[~drop].reset_index(drop=True)
    return trials, problems


def sessions_table(trials, files, sidecars: bool = True):
    """One row per file with trials: labels from the rows, facts from the
    sidecar (when ``sidecars``; foreign files have none)."""
    if trials.empty:
        return pd.DataFrame(columns=["file"]), []
    grouped = trials.groupby(FILE, sort=True)
    first = grouped[["participant", "session", "task"]].first()
    sessions = first.assign(n_rows=grouped.size(),
                            n_test=in_test_phase(trials).groupby(trials[FILE]).sum())
    if "run" in trials:
        sessions["run"] = grouped["run"].first()
    if "simulated" in trials:
        sessions["simulated"] = grouped["simulated"].max().fillna(0).astype(bool)
    if "dropped_frames" in trials:
        sessions["dropped_frames_rows"] = grouped["dropped_frames"].sum(min_count=1)
    problems, facts = [], []
    if not sidecars:
        sessions.insert(0, "file", [str(files[i]) for i in sessions.index])
        return sessions.rename_axis(FILE).reset_index(), problems
    for file_id in sessions.index:
        info, problem = read_sidecar(files[file_id])
        facts.append(info)
        if problem:
            problems.append(problem)
    sessions = sessions.join(pd.DataFrame(facts, index=sessions.index))
    simulated = sessions.pop("sidecar_simulated").astype(bool)
    sessions["simulated"] = simulated | sessions.get("simulated", False)
    sessions.insert(0, "file", [str(files[i]) for i in sessions.index])
    return sessions.rename_axis(FILE).reset_index(), problems


def read_sidecar(csv_path):
    """Facts from the JSON sidecar beside a session CSV, and a Problem if any."""
    path = Path(csv_path).with_suffix(".json")
    info = {"completed": np.nan, "trials_planned": np.nan, "trials_done": np.nan,
            "abort_reason": "", "dropped_frames_total": np.nan, "sidecar": False,
            "sidecar_simulated": False, "continues_run": np.nan, "first_test_trial": np.nan}
    if not path.exists():
        return info, Problem(str(csv_path), None, "no JSON sidecar beside it (cannot tell "
                                                  "whether the session completed)")
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        return info, Problem(str(path), None, f"sidecar unreadable ({exc}); ignored")
    timing = content.get("timing") if isinstance(content.get("timing"), dict) else {}
    info.update(sidecar=True, completed=content.get("completed"),
                trials_planned=content.get("trials_planned"),
                trials_done=content.get("trials_done"),
                abort_reason=str(content.get("abort_reason") or ""),
                dropped_frames_total=timing.get("dropped_frames_total"),
                sidecar_simulated=bool(content.get("simulated")))
    # A resumed run (run --resume): which run it continues, where its test starts.
    resumed = content.get("resumed") if isinstance(content.get("resumed"), dict) else {}
    if isinstance(content.get("continues_run"), int):
        info.update(continues_run=content["continues_run"],
                    first_test_trial=resumed.get("first_test_trial", np.nan))
    return info, None
