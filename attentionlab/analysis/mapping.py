"""Reading other labs' files (and PsychoPy Builder output) through a TOML mapping.

A mapping says which of their columns holds each of ours, how their codes
translate to our levels, and which rows are trials::

    task = "stroop"
    [read]
    sep = ";"          # optional: sniffed from the first lines otherwise
    rt_unit = "s"      # "s" or "ms" (default "ms")
    encoding = "utf-8" # optional (default utf-8, with or without a BOM)
    [columns]          # our name = their column
    participant = "pid"
    session = "ses"    # optional: without it every participant has one session "1"
    congruency = "cond"
    rt_ms = "rt_s"
    correct = "acc"
    [values.congruency]  # their value = our level
    "0" = "congruent"
    [values.correct]
    "True" = 1
    [keep]             # optional: keep only rows whose column has one of these values
    block = ["2", "3"]

``[keep]`` names their columns (or, failing that, one of ours mapped in
``[columns]``). Values are compared as text after trimming spaces, with
numbers compared as numbers (``"2"`` matches ``2.0``). Without a
``[values.correct]`` table, ``correct`` accepts 1/0 and true/false. A
``phase`` column is optional (all rows are test trials without it).
"""

import csv

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser, as a package
    import tomli as tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.analysis.problems import FILE, LINE, Problem, quote, row_problems
from attentionlab.analysis.reading import (Dataset, check_rows, parse_all, sessions_table,
                                           split_csv)
from attentionlab.analysis.registry import ANALYSES, get_analysis
from attentionlab.core.columns import COMMON_COLUMNS
from attentionlab.core.errors import UsageError
from attentionlab.stimuli.registry import TASKS

SUFFIXES = (".csv", ".tsv", ".txt", ".dat")
SEPARATORS = (",", ";", "\t", "|")
TRUE_FALSE = {"1": 1, "0": 0, "true": 1, "false": 0}


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file (see the module docstring for the format)."""

    path: str
    task: str
    columns: dict  # our name -> their column
    values: dict = field(default_factory=dict)  # our name -> {their value: ours}
    keep: dict = field(default_factory=dict)  # their column -> allowed values
    sep: str | None = None
    rt_unit: str = "ms"
    encoding: str = "utf-8-sig"


SHIPPED = Path(__file__).with_name("mappings")  # mappings that come with attentionlab


def shipped_mappings() -> list:
    """Names of the mappings shipped with attentionlab (usable as ``--mapping NAME``)."""
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def load_mapping(path) -> Mapping:
    """Parse and check a mapping file; :class:`UsageError` names the bad key.

    ``path`` is a TOML file, or the name of a shipped mapping (e.g.
    ``psychopy_builder_stroop``).
    """
    path = Path(path)
    if not path.exists() and (SHIPPED / f"{path.name}.toml").exists() and \
            len(path.parts) == 1:
        path = SHIPPED / f"{path.name}.toml"
    elif not path.exists():
        raise UsageError(f"mapping {str(path)!r} does not exist; give a TOML file or one of "
                         f"the shipped mappings: {', '.join(shipped_mappings())}")
    where = f"mapping {str(path)!r}"
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{where} cannot be read ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where} is not valid TOML: {exc}") from None
    _only(spec, ("task", "read", "columns", "values", "keep"), where)
    task = spec.get("task")
    if task not in ANALYSES:
        raise UsageError(f"{where}: task = {task!r} is not a task with an analysis; "
                         f"allowed: {', '.join(ANALYSES)}")
    read = _table(spec, "read", where)
    _only(read, ("sep", "rt_unit", "encoding"), f"{where} [read]")
    sep = read.get("sep")
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
        raise UsageError(f"{where}: [read] sep must be one character, got {sep!r}")
    rt_unit = read.get("rt_unit", "ms")
    if rt_unit not in ("s", "ms"):
        raise UsageError(f"{where}: [read] rt_unit must be \"s\" or \"ms\", got {rt_unit!r}")
    encoding = str(read.get("encoding", "utf-8-sig"))
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"

    ours = our_columns(task)
    columns = _table(spec, "columns", where)
    for name, theirs in columns.items():
        if name not in ours:
            raise UsageError(f"{where}: [columns] {name!r} is not one of our {task} columns; "
                             f"allowed: {', '.join(ours)}")
        if not isinstance(theirs, str) or not theirs:
            raise UsageError(f"{where}: [columns] {name} must be the name of one of their "
                             f"columns (a string), got {theirs!r}")
    missing = [n for n in get_analysis(task).required_columns if n not in columns]
    if missing:
        raise UsageError(f"{where}: [columns] must map {', '.join(missing)} "
                         f"(our name = their column)")
    values = {}
    for name, table in _table(spec, "values", where).items():
        if name not in columns:
            raise UsageError(f"{where}: [values.{name}] is for a column not mapped in "
                             f"[columns]; add {name} = \"their column\"")
        if not isinstance(table, dict):
            raise UsageError(f"{where}: [values.{name}] must be a table of "
                             f"\"their value\" = our value")
        values[name] = {_norm(k): v for k, v in table.items()}
    keep = {}
    for name, allowed in _table(spec, "keep", where).items():
        if not isinstance(allowed, list) or not allowed:
            raise UsageError(f"{where}: [keep] {name} must be a list of values, e.g. "
                             f"{name} = [\"2\", \"3\"]; got {allowed!r}")
        keep[name] = {_norm(v) for v in allowed}
    return Mapping(str(path), task, dict(columns), values, keep, sep, rt_unit, encoding)


def our_columns(task: str) -> list:
    """Our column names a mapping for ``task`` may map: the common ones, the
    task's declared columns (when its presentation is registered) and the
    columns its analysis reads."""
    declared = TASKS[task].COLUMNS if task in TASKS else ()
    names = [c.name for c in COMMON_COLUMNS + tuple(declared)]
    return list(dict.fromkeys(names + list(get_analysis(task).our_columns)))


def _only(table, allowed, where):
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")


def _table(spec, key, where):
    value = spec.get(key, {})
    if not isinstance(value, dict):
        raise UsageError(f"{where}: {key} must be a table ([{key}])")
    return value


def _norm(value) -> str:
    """Text for comparing values: trimmed; integral numbers without '.0'."""
    text = str(value).strip()
    if isinstance(value, bool):
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else text


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into equal numbers (> 1) of
    fields, the most fields winning; ``,`` when none does.

    >>> sniff_separator('"a";"b"\\n1;2,5\\n')
    ';'
    """
    lines = text.splitlines()[:20]
    best, best_width = ",", 1
    for sep in SEPARATORS:
        widths = {len(row) for row in csv.reader(lines, delimiter=sep) if row}
        if len(widths) == 1 and (width := widths.pop()) > best_width:
            best, best_width = sep, width
    return best


def read_mapped(files, mapping: Mapping) -> Dataset:
    """Read foreign files through ``mapping`` into our columns."""
    names = [str(f) for f in files]
    items, problems = [], []
    wanted = set(mapping.columns.values()) | set(mapping.keep)
    for file_id, path in enumerate(files):
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            problems.append(Problem(names[file_id], None,
                                    f"cannot be read ({exc.strerror}); skipped"))
            continue
        sep = mapping.sep or sniff_separator(raw[:65536].decode(mapping.encoding, "replace"))
        parsed = split_csv(raw, names[file_id], sep, mapping.encoding, crash_tail=False)
        problems += parsed.problems
        if parsed.body is None and parsed.frame is None:
            continue
        absent = _absent_columns(parsed.header, mapping)
        if absent:
            problems.append(Problem(names[file_id], 1, (
                f"{absent}; the file's columns are: "
                f"{', '.join(map(quote, parsed.header[:30]))}; file skipped")))
            continue
        items.append((file_id, parsed))
    frame = parse_all(items, usecols=wanted)
    trials, found, n_not_kept = _translate(frame, mapping, names)
    problems += found
    trials, found = check_rows(trials, names)
    problems += found
    sessions, _ = sessions_table(trials, names, sidecars=False)
    return Dataset(trials, names, sessions, problems,
                   source=f"files read through mapping {mapping.path}", n_not_kept=n_not_kept)


def _absent_columns(header, mapping):
    """Message naming mapped or [keep] columns the file lacks, else ''."""
    have = set(header)
    for ours, theirs in mapping.columns.items():
        if theirs not in have:
            return (f"mapping {mapping.path}: column {theirs!r} (mapped to {ours}) is not "
                    f"in this file")
    for theirs in mapping.keep:
        if theirs not in have and mapping.columns.get(theirs) not in have:
            return f"mapping {mapping.path}: [keep] column {theirs!r} is not in this file"
    return ""


def _translate(frame, mapping, names):
    """Their columns -> ours; rows with unusable values reported and dropped."""
    problems = []
    keep = np.ones(len(frame), dtype=bool)
    for theirs, allowed in mapping.keep.items():
        column = theirs if theirs in frame else mapping.columns[theirs]
        keep &= _normalised(frame[column]).isin(allowed).to_numpy(dtype=bool)
    n_not_kept = int((~keep).sum())
    frame = frame[keep].reset_index(drop=True)
    if frame.empty:
        empty = {c: pd.Series(dtype=float if c in ("rt_ms", "correct") else str)
                 for c in (*mapping.columns, "session", "phase", "task", "rt_ms", "correct")}
        return pd.DataFrame({FILE: pd.Series(dtype=int), LINE: pd.Series(dtype=int),
                             **empty}), problems, n_not_kept
    out = pd.DataFrame({FILE: frame[FILE], LINE: frame[LINE]})
    drop = np.zeros(len(frame), dtype=bool)
    for ours, theirs in mapping.columns.items():
        text = frame[theirs].str.strip()
        if ours in mapping.values:
            text, unmapped = _apply_values(text, mapping.values[ours])
            unmapped = unmapped & ~drop
            problems += row_problems(frame.assign(_raw=frame[theirs]), unmapped, names,
                                     lambda g, o=ours, t=theirs: (
                                         f"column {t!r} value(s) {_values(g['_raw'])} not in "
                                         f"[values.{o}] of {mapping.path}; row skipped"))
            drop |= unmapped
        out[ours] = text
    out, found = _numbers(out, frame, mapping, names, drop)
    problems += found
    if "session" not in out:
        out["session"] = "1"
    if "phase" not in out:
        out["phase"] = "test"
    out["task"] = mapping.task
    return out, problems, n_not_kept


def _apply_values(text, table):
    """Their values -> ours (via ``table``); also the mask of unmapped values."""
    normal = _normalised(text)
    uniques = pd.unique(normal)
    lookup = {u: table.get(u, "") for u in uniques}
    unmapped = [u for u in uniques if u not in table and u != ""]
    mapped = normal.map(lookup)
    if not all(isinstance(v, str) for v in lookup.values()):
        mapped = mapped.astype(object)
    return mapped, normal.isin(unmapped).to_numpy(dtype=bool)


def _values(raw):
    shown = [quote(v) for v in pd.unique(raw)[:3]]
    return ", ".join(shown) + (" ..." if raw.nunique() > 3 else "")


def _numbers(out, frame, mapping, names, drop):
    """rt_ms (scaled from seconds if need be) and correct as floats (NaN when
    the mapping does not map them: tasks without RTs or without scoring)."""
    problems = []
    if "rt_ms" in out:
        problems += _rt_numbers(out, mapping, names, drop)
    else:
        out["rt_ms"] = np.nan
    if "correct" in out:
        problems += _correct_numbers(out, mapping, names, drop)
    else:
        out["correct"] = np.nan
    return out[~drop].reset_index(drop=True), problems


def _rt_numbers(out, mapping, names, drop):
    """rt_ms as floats in ms, in place; bad rows marked in ``drop``."""
    problems = []
    raw_rt = out["rt_ms"].astype(str).str.strip()
    rt = pd.to_numeric(out["rt_ms"], errors="coerce")
    bad = (rt.isna() & ~raw_rt.isin(["", "nan", "None", "NA", "n/a"])).to_numpy(bool) & ~drop
    problems += row_problems(out.assign(_raw=raw_rt), bad, names, lambda g: (
        f"RT {quote(g['_raw'].iloc[0])} (column {mapping.columns.get('rt_ms')!r}) is not a "
        f"number; row skipped"))
    drop |= bad
    out["rt_ms"] = rt * (1000.0 if mapping.rt_unit == "s" else 1.0)
    return problems


def _correct_numbers(out, mapping, names, drop):
    """correct as 1.0/0.0/NaN, in place; bad rows marked in ``drop``."""
    problems = []
    raw_correct = out["correct"].astype(str).str.strip()
    if "correct" in mapping.values:
        correct = pd.to_numeric(out["correct"], errors="coerce")
    else:
        correct = raw_correct.str.lower().map(lambda v: TRUE_FALSE.get(_norm(v), np.nan))
    bad = ((correct.isna() & (raw_correct != "")) | ~correct.isin([0, 1]) & correct.notna())
    bad = bad.to_numpy(bool) & ~drop
    problems += row_problems(out.assign(_raw=raw_correct), bad, names, lambda g: (
        f"correct {quote(g['_raw'].iloc[0])} (column {mapping.columns.get('correct')!r}) is not "
        f"1/0 or true/false; map it in [values.correct]; row skipped"))
    drop |= bad
    out["correct"] = correct.astype(float)
    return problems


def _normalised(series):
    """:func:`_norm` over a text column, computed once per distinct value."""
    uniques = pd.unique(series)
    return series.map({u: _norm(u) for u in uniques})
