"""Reading other labs' files (and PsychoPy Builder output) through a TOML mapping.

A mapping says which of their columns holds each of ours, how their codes
translate to our levels, and which rows are trials::

    task = "stroop"
    [read]
    sep = ";"          # optional: sniffed from the first lines otherwise;
                       # "whitespace" for columns separated by runs of spaces/tabs
    rt_unit = "s"      # "s" or "ms" (default "ms")
    encoding = "utf-8" # optional (default utf-8, with or without a BOM)
    names = ["pid", "ses", "cond", "rt_s", "acc"]  # optional: the file has no
                       # header row; these are its columns, in order
    participant_from_filename = 'sub-(\\d+)'  # optional: the participant is the
                       # first group of this pattern in the file name (no column)
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
    [factors]          # optional: extra factors for `analyze --by NAME` (search)
    reward = "rew"     # a name of ours for it = their (or a derived) column
    [otherwise]        # optional: our value for their codes not listed in [values.X]
    correct = 0
    [derive]           # optional: a column made from theirs, usable like theirs
    display_reward = { join = ["dyn", "reward"], sep = "_" }
    [keep]             # optional: keep only rows that satisfy every rule
    block = ["2", "3"]
    trial = { min = 5, max = 71 }
    [drop]             # optional: then remove rows that satisfy any rule
    pid = ["12", "45"]
    [[clean]]          # optional: the authors' cleaning, step by step, in order
    step = "drop_first"  # (replaces the default cleaning; see cleaning_steps)
    n = 4
    [analysis]         # optional: the authors' choice of a task option
    slopes_from = "trials"  # as analyze --slopes-from; by = "reward" as --by

``[keep]`` and ``[drop]`` name their columns (or derived ones, or, failing
that, one of ours mapped in ``[columns]``); the rule grammar is in
:mod:`~attentionlab.analysis.mapping_selection`. Values are compared as text
after trimming spaces, with numbers compared as numbers (``"2"`` matches
``2.0``). Without a ``[values.correct]`` table, ``correct`` accepts 1/0 and
true/false. A ``phase`` column is optional (all rows are test trials without it).
A file all of whose rows the rules leave out is listed as a problem, with the
rule, so that it does not vanish from the report. A ``[factors]`` name is read
like a ``[columns]`` one (it may have a ``[values.NAME]`` table); it must be
a plain name (letters, digits, ``_``) that is not one of our columns.
"""

import csv
import re

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser, as a package
    import tomli as tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.analysis.cleaning_steps import parse_steps
from attentionlab.analysis.mapping_selection import (Derived, Rule, norm, normalised,
                                                     parse_derived, parse_rule)
from attentionlab.analysis.mapping_text import WHITESPACE, WHITESPACE_SEP, normalise_text
from attentionlab.analysis.problems import FILE, LINE, Problem, quote, row_problems
from attentionlab.analysis.reading import (Dataset, check_rows, parse_all, sessions_table,
                                           split_csv)
from attentionlab.analysis.registry import ANALYSES, TASK_OPTIONS, get_analysis
from attentionlab.analysis.settings import AnalysisSettings
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
    keep: tuple = ()  # Rules every kept row satisfies
    sep: str | None = None  # None: sniffed; WHITESPACE: runs of spaces and tabs
    rt_unit: str = "ms"
    encoding: str = "utf-8-sig"
    drop: tuple = ()  # Rules: a row satisfying any is left out
    derive: tuple = ()  # Derived columns, computed before the rules
    otherwise: dict = field(default_factory=dict)  # our name -> value for unlisted codes
    names: tuple = ()  # their columns, for files without a header row
    participant_pattern: str | None = None  # regex; group 1 of the file name
    clean: tuple = ()  # PublishedSteps ([[clean]]): replace the default cleaning
    factors: tuple = ()  # [factors] names (also in ``columns``: read the same way)
    options: dict = field(default_factory=dict)  # [analysis]: task option -> value

    @property
    def rule_columns(self) -> set:
        """Their columns the [keep]/[drop] rules read."""
        return {rule.column for rule in self.keep + self.drop}


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
    _only(spec, ("task", "read", "columns", "values", "otherwise", "derive", "keep", "drop",
                 "clean", "factors", "analysis"), where)
    task = spec.get("task")
    if task not in ANALYSES:
        raise UsageError(f"{where}: task = {task!r} is not a task with an analysis; "
                         f"allowed: {', '.join(ANALYSES)}")
    read = _table(spec, "read", where)
    _only(read, ("sep", "rt_unit", "encoding", "names", "participant_from_filename"),
          f"{where} [read]")
    sep = read.get("sep")
    if sep is not None and sep != WHITESPACE and (not isinstance(sep, str) or len(sep) != 1):
        raise UsageError(f"{where}: [read] sep must be one character or \"{WHITESPACE}\" "
                         f"(runs of spaces and tabs), got {sep!r}")
    names = read.get("names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names) \
            or len(set(names)) != len(names):
        raise UsageError(f"{where}: [read] names must be a list of distinct column names "
                         f"(for a file without a header row), got {names!r}")
    pattern = read.get("participant_from_filename")
    if pattern is not None:
        try:
            if not isinstance(pattern, str) or re.compile(pattern).groups < 1:
                raise re.error("needs one group in parentheses")
        except re.error as exc:
            raise UsageError(f"{where}: [read] participant_from_filename must be a regular "
                             f"expression with a group for the label, e.g. 'sub-(\\d+)' "
                             f"({exc})") from None
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
    factors = _table(spec, "factors", where)
    for name, theirs in factors.items():
        if name in ours or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"{where}: [factors] {name!r} must be a new plain name (letters, "
                             f"digits, _) that is not one of our {task} columns; map ours in "
                             f"[columns]")
        if not isinstance(theirs, str) or not theirs:
            raise UsageError(f"{where}: [factors] {name} must be the name of one of their "
                             f"columns (a string), got {theirs!r}")
    columns = {**columns, **factors}  # read like [columns]
    if pattern is not None and "participant" in columns:
        raise UsageError(f"{where}: participant is both a column and participant_from_filename;"
                         f" keep one")
    missing = [n for n in get_analysis(task).required_columns
               if n not in columns and not (n == "participant" and pattern is not None)]
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
    otherwise = _table(spec, "otherwise", where)
    for name in otherwise:
        if name not in values:
            raise UsageError(f"{where}: [otherwise] {name} needs a [values.{name}] table "
                             f"(it gives the value for codes not listed there)")
    derive = tuple(parse_derived(name, d, f"{where}: [derive]")
                   for name, d in _table(spec, "derive", where).items())
    keep = tuple(parse_rule(name, rule, f"{where}: [keep]")
                 for name, rule in _table(spec, "keep", where).items())
    drop = tuple(parse_rule(name, rule, f"{where}: [drop]")
                 for name, rule in _table(spec, "drop", where).items())
    clean = parse_steps(spec.get("clean", []), where)
    options = _analysis_options(_table(spec, "analysis", where), task, columns, where)
    return Mapping(str(path), task, dict(columns), values, keep, sep, rt_unit, encoding,
                   drop=drop, derive=derive, otherwise=dict(otherwise), names=tuple(names),
                   participant_pattern=pattern, clean=clean, factors=tuple(factors),
                   options=options)


SLOPES_FROM = ("means", "trials")


def _analysis_options(table, task, columns, where) -> dict:
    """``[analysis]``: the task options the authors' analysis used (the same
    names as :data:`TASK_OPTIONS`, taken only by tasks that have them)."""
    _only(table, tuple(TASK_OPTIONS), f"{where} [analysis]")
    takes = get_analysis(task).options
    for name, value in table.items():
        if name not in takes:
            raise UsageError(f"{where}: [analysis] {name} is not an option of the {task} "
                             f"analysis; it takes: {', '.join(takes) or 'none'}")
    if "slopes_from" in table and table["slopes_from"] not in SLOPES_FROM:
        raise UsageError(f"{where}: [analysis] slopes_from must be one of "
                         f"{', '.join(SLOPES_FROM)}, got {table['slopes_from']!r}")
    if "by" in table and table["by"] not in columns:
        raise UsageError(f"{where}: [analysis] by must name a [factors] (or [columns]) entry "
                         f"of the mapping, got {table['by']!r}")
    return dict(table)


def with_mapping_options(settings: AnalysisSettings, mapping) -> AnalysisSettings:
    """``settings`` with the mapping's ``[analysis]`` options where the command
    line left the option at its default (a value given there wins).

    >>> from dataclasses import replace
    >>> m = Mapping("m.toml", "search", {}, options={"slopes_from": "trials"})
    >>> with_mapping_options(AnalysisSettings(), m).slopes_from
    'trials'
    """
    if mapping is None or not mapping.options:
        return settings
    chosen = {name: value for name, value in mapping.options.items()
              if getattr(settings, name) == TASK_OPTIONS[name][1]}
    return replace(settings, **chosen) if chosen else settings


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


_norm = norm


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
    derived = {d.name for d in mapping.derive}
    wanted = (set(mapping.columns.values()) | mapping.rule_columns
              | {c for d in mapping.derive for c in d.join}) - derived
    labels = {}  # file id -> participant, with participant_from_filename
    for file_id, path in enumerate(files):
        if mapping.participant_pattern:
            labels[file_id] = _participant_from_name(path, mapping)
            if not labels[file_id]:
                problems.append(Problem(names[file_id], None, (
                    f"the file name does not match participant_from_filename "
                    f"{mapping.participant_pattern!r} of {mapping.path}; file skipped")))
                continue
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            problems.append(Problem(names[file_id], None,
                                    f"cannot be read ({exc.strerror}); skipped"))
            continue
        raw, encoding, sep = _as_csv(raw, mapping)
        parsed = split_csv(raw, names[file_id], sep, encoding, crash_tail=False)
        problems += [_in_their_file(p, mapping) for p in parsed.problems]
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
    if mapping.names:  # line numbers of their file, without the header line we put in
        frame[LINE] = frame[LINE] - 1
    if mapping.participant_pattern:
        frame["participant"] = frame[FILE].map(labels).astype(str) if len(frame) else \
            pd.Series(dtype=str)
    trials, found, n_not_kept = _translate(frame, mapping, names)
    problems += found
    trials, found = check_rows(trials, names)
    problems += found
    sessions, _ = sessions_table(trials, names, sidecars=False)
    return Dataset(trials, names, sessions, problems,
                   source=f"files read through mapping {mapping.path}", n_not_kept=n_not_kept,
                   not_kept_by=rules_in_words(mapping))


def _in_their_file(problem, mapping):
    """A reading problem with the line numbers of their file: with ``names`` the
    header line we put in front is not one of its lines."""
    if not mapping.names or problem.line is None:
        return problem
    return replace(problem, line=problem.line - 1,
                   more_lines=tuple(n - 1 for n in problem.more_lines))


def _as_csv(raw: bytes, mapping):
    """The file's bytes as plain CSV (see :mod:`mapping_text`), its encoding and separator.

    Text is only rewritten when the mapping or the file needs it (no header row,
    whitespace separators, carriage returns), so ordinary files are read as they are.
    """
    whitespace = mapping.sep == WHITESPACE
    if not (mapping.names or whitespace or b"\r" in raw):
        sep = mapping.sep or sniff_separator(raw[:65536].decode(mapping.encoding, "replace"))
        return raw, mapping.encoding, sep
    try:
        text = raw.decode(mapping.encoding)
    except UnicodeDecodeError:
        return raw, mapping.encoding, mapping.sep or ","  # split_csv reports it
    sep = WHITESPACE_SEP if whitespace else mapping.sep
    if sep is None:
        sep = sniff_separator(text[:65536].replace("\r\n", "\n").replace("\r", "\n"))
    text = normalise_text(text, whitespace=whitespace, names=list(mapping.names), sep=sep)
    return text.encode("utf-8"), "utf-8", sep


def _participant_from_name(path, mapping) -> str:
    """The participant label in a file's name (group 1 of the pattern), or ''."""
    found = re.search(mapping.participant_pattern, Path(path).name)
    return (found.group(1) or "") if found else ""


def _absent_columns(header, mapping):
    """Message naming mapped, derived-from or rule columns the file lacks, else ''."""
    have = set(header) | {d.name for d in mapping.derive}
    for ours, theirs in mapping.columns.items():
        if theirs not in have:
            return (f"mapping {mapping.path}: column {theirs!r} (mapped to {ours}) is not "
                    f"in this file")
    for derived in mapping.derive:
        for theirs in derived.join:
            if theirs not in header:
                return (f"mapping {mapping.path}: column {theirs!r} (joined into "
                        f"{derived.name}) is not in this file")
    for theirs in mapping.rule_columns:
        if theirs not in have and mapping.columns.get(theirs) not in have:
            return f"mapping {mapping.path}: rule column {theirs!r} is not in this file"
    return ""


def _translate(frame, mapping, names):
    """Their columns -> ours; rows with unusable values reported and dropped."""
    problems = []
    for derived in mapping.derive:
        frame[derived.name] = derived.compute(frame) if len(frame) else pd.Series(dtype=str)
    keep = np.ones(len(frame), dtype=bool)
    for rule in mapping.keep:
        keep &= rule.matches(frame[_rule_column(rule, frame, mapping)])
    for rule in mapping.drop:
        keep &= ~rule.matches(frame[_rule_column(rule, frame, mapping)])
    n_not_kept = int((~keep).sum())
    problems += _files_left_out(frame, keep, mapping, names)
    frame = frame[keep].reset_index(drop=True)
    if frame.empty:
        empty = {c: pd.Series(dtype=float if c in ("rt_ms", "correct") else str)
                 for c in (*mapping.columns, "participant", "session", "phase", "task", "rt_ms",
                          "correct")}
        return pd.DataFrame({FILE: pd.Series(dtype=int), LINE: pd.Series(dtype=int),
                             **empty}), problems, n_not_kept
    out = pd.DataFrame({FILE: frame[FILE], LINE: frame[LINE]})
    if mapping.participant_pattern:
        out["participant"] = frame["participant"]
    drop = np.zeros(len(frame), dtype=bool)
    for ours, theirs in mapping.columns.items():
        text = frame[theirs].str.strip()
        if ours in mapping.values:
            text, unmapped = _apply_values(text, mapping.values[ours],
                                           mapping.otherwise.get(ours))
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


def _rule_column(rule, frame, mapping):
    return rule.column if rule.column in frame else mapping.columns[rule.column]


def rules_in_words(mapping) -> str:
    """The [keep] and [drop] rules as the report words them ("keep block > 2")."""
    return "; ".join([f"keep {r.describe()}" for r in mapping.keep]
                     + [f"drop {r.describe()}" for r in mapping.drop])


def _files_left_out(frame, keep, mapping, names):
    """A problem for each file whose rows the [keep]/[drop] rules all left out,
    naming the rules, so that a removed file is listed rather than vanishing."""
    if keep.all() or not len(frame):
        return []
    kept_per_file = pd.Series(keep).groupby(frame[FILE].to_numpy()).sum()
    rules = rules_in_words(mapping)
    return [Problem(names[file_id], None, (
                f"all rows left out by the mapping's rules ({rules}); file not analysed"))
            for file_id, kept in kept_per_file.items() if kept == 0]


def _apply_values(text, table, otherwise=None):
    """Their values -> ours (via ``table``; codes not listed get ``otherwise``
    when given); also the mask of unmapped values."""
    normal = _normalised(text)
    uniques = pd.unique(normal)
    if otherwise is not None:
        table = {**{u: otherwise for u in uniques if u != ""}, **table}
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


_normalised = normalised
