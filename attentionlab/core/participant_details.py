"""Participant details: the fields a study asks for, and participants.tsv.

A study file declares the questions of its details form as ``[[details]]``
tables (docs/study.md, "Participant details")::

    [[details]]
    name = "age"
    type = "int"            # int | float | choice | text
    min = 18
    max = 99
    label = "Age"
    units = "year"

    [[details]]
    name = "handedness"
    type = "choice"
    choices = ["left", "right", "both"]

:func:`parse_fields` turns them into :class:`Field` objects, refusing a bad
declaration with one line that says what is wrong and what is allowed.
:meth:`Field.parse` checks an answer as typed and says in plain words what
is expected ("age must be a whole number from 18 to 99"); the form shows
that message next to the question.

:func:`append_details` writes the answers as one row of
``<data_dir>/participants.tsv`` (BIDS: ``participant_id`` is ``sub-<label>``,
``n/a`` for an answer not given) and keeps ``participants.json``, the BIDS
column dictionary (each column's Description, Levels, Units), up to date.
A row is appended and fsynced; the header grows only by rewriting the whole
table atomically (temporary file, fsync, rename) when a field appears that
the table does not have yet. A participant who already has a row is
refused (:class:`DetailsExist`): nothing is overwritten. Appends take a
file lock, so two computers writing into one shared folder never mix rows.

>>> fields = parse_fields([{"name": "age", "type": "int", "min": 18, "max": 99}])
>>> fields[0].parse("25")
25
>>> fields[0].parse("15")
Traceback (most recent call last):
...
ValueError: age must be a whole number from 18 to 99
"""

# Hand-written: BIDS participants.tsv is a plain tab-separated table with
# one row per participant; the csv module would quote cells (BIDS TSV has no
# quoting) and pandas cannot append durably or lock.
import fcntl
import json
import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from attentionlab.core.datafile import fsync_folder, replace_atomically, write_synced
from attentionlab.core.errors import UsageError, did_you_mean
from attentionlab.core.labels import check_label

TYPES = ("int", "float", "choice", "text")
KEYS = {"name", "type", "label", "description", "required", "min", "max", "units",
        "choices", "max_length"}
MAX_FIELDS = 8         # the form shows every question on one screen
MAX_CHOICES = 9        # chosen with the number keys 1-9
MAX_CHOICE_CHARS = 30
CHOICE_BOX_CHARS, CHOICE_LINE_CHARS = 7, 100  # all choices fit on one line of the form
MAX_LABEL_CHARS = 40
MAX_TEXT_LENGTH = 200
DEFAULT_TEXT_LENGTH = 40
MAX_NUMBER_CHARS = 12  # what the form lets a participant type into a number field
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")

TSV_NAME = "participants.tsv"
JSON_NAME = "participants.json"
LOCK_NAME = ".participants.lock"
ID_COLUMN = "participant_id"
MISSING = "n/a"
ID_DESCRIPTION = ("participant label as in the data file names (sub-<label>); one row per "
                  "participant, entered on the details form before their first task")


class DetailsExist(UsageError):
    """The participant already has a row in participants.tsv."""


@dataclass(frozen=True)
class Field:
    """One question of the details form.

    ``type`` is ``int`` or ``float`` (a number, optionally within ``min`` and
    ``max``, in ``units``), ``choice`` (one of ``choices``) or ``text`` (at
    most ``max_length`` characters). ``label`` is what the participant
    reads; ``name`` is the column in participants.tsv.
    """

    name: str
    type: str
    label: str
    required: bool = True
    min: float | None = None
    max: float | None = None
    units: str = ""
    choices: tuple = ()
    max_length: int = DEFAULT_TEXT_LENGTH
    description: str = ""

    @property
    def words(self) -> str:
        """The field's name as words, for messages: ``native_language`` -> ``native language``."""
        return self.name.replace("_", " ")

    def rule(self) -> str:
        """What an answer must be, in plain words (the form's hint).

        >>> Field("age", "int", "Age", min=18, max=99).rule()
        'a whole number from 18 to 99'
        """
        if self.type == "choice":
            return "one of: " + ", ".join(self.choices)
        if self.type == "text":
            return f"at most {self.max_length} characters"
        kind = "a whole number" if self.type == "int" else "a number"
        low, high = _number_text(self.min), _number_text(self.max)
        if self.min is not None and self.max is not None:
            return f"{kind} from {low} to {high}"
        if self.min is not None:
            return f"{kind} of at least {low}"
        if self.max is not None:
            return f"{kind} of at most {high}"
        return kind

    def parse(self, text: str):
        """The answer ``text`` (as typed; a choice's text) as a value: int,
        float, str, or None when left empty on an optional question.
        :class:`ValueError` with a plain-words message otherwise."""
        text = "" if text is None else str(text).strip()
        if not text:
            if self.required:
                verb = "choose" if self.type == "choice" else "type"
                raise ValueError(f"{self.words} is needed: {verb} {self.rule()}")
            return None
        if self.type == "choice":
            if text not in self.choices:
                raise ValueError(f"{self.words} must be {self.rule()}")
            return text
        if self.type == "text":
            if len(text) > self.max_length:
                raise ValueError(f"{self.words} can be at most {self.max_length} characters "
                                 f"(it has {len(text)})")
            return text
        return self._number(text)

    def _number(self, text):
        wrong = ValueError(f"{self.words} must be {self.rule()}")
        # A decimal comma is what many participants type.
        text = text.replace(",", ".") if self.type == "float" else text
        try:
            value = int(text) if self.type == "int" else float(text)
        except ValueError:
            raise wrong from None
        if isinstance(value, float) and not math.isfinite(value):
            raise wrong
        if (self.min is not None and value < self.min) or \
                (self.max is not None and value > self.max):
            raise wrong
        return value

    def column(self) -> dict:
        """This field's entry in participants.json (BIDS column dictionary)."""
        entry = {"LongName": self.label,
                 "Description": self.description
                 or f"{self.label}, {self.rule()} (answered on the participant details "
                    f"form)"}
        if self.type == "choice":
            entry["Levels"] = {choice: choice for choice in self.choices}
        if self.units:
            entry["Units"] = self.units
        return entry


def parse_fields(tables, where: str = "") -> list:
    """The :class:`Field` objects declared by a study file's ``[[details]]``
    tables (a list of dicts, as tomllib reads them). :class:`UsageError`
    (one line, starting with ``where``, e.g. the study file's name) for a
    bad declaration: ``study file 'b.toml', [[details]] table 2 (age): min
    (99) is above max (18)``.

    >>> [f.name for f in parse_fields([{"name": "sex", "type": "choice",
    ...                                 "choices": ["female", "male", "prefer not to say"]}])]
    ['sex']
    """
    where = f"{where}, [[details]]" if where else "[[details]]"
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise UsageError(f"{where} must be a list of tables (one [[details]] per question)")
    if len(tables) > MAX_FIELDS:
        raise UsageError(f"{where}: {len(tables)} questions declared; at most {MAX_FIELDS} "
                         f"(the form shows them all on one screen)")
    fields, seen = [], set()
    for number, table in enumerate(tables, start=1):
        field = _field(table, f"{where} table {number}")
        if field.name in seen:
            raise UsageError(f"{where} table {number}: the name {field.name!r} is declared twice; "
                             f"each question needs its own name")
        seen.add(field.name)
        fields.append(field)
    return fields


def _field(table, where) -> Field:
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        shown = "no 'name'" if name is None else f"the name {name!r}"
        raise UsageError(f"{where} has {shown}: give each question a name of lower-case "
                         f"letters, digits and _ starting with a letter (e.g. name = \"age\")")
    where = f"{where} ({name})"
    if name == ID_COLUMN:
        raise UsageError(f"{where}: {ID_COLUMN} is written by attentionlab (sub-<label>); "
                         f"choose another name")
    for key in table:
        if key not in KEYS:
            raise UsageError(f"{where}: unknown key {key!r}{did_you_mean(key, sorted(KEYS))}; "
                             f"allowed: {', '.join(sorted(KEYS))}")
    kind = table.get("type")
    if kind not in TYPES:
        raise UsageError(f"{where}: type must be one of {', '.join(TYPES)}, got {kind!r}"
                         f"{did_you_mean(kind, TYPES) if isinstance(kind, str) else ''}")
    label = _text(table, "label", where, MAX_LABEL_CHARS,
                  default=name.replace("_", " ").capitalize())
    description = _text(table, "description", where, 500, default="")
    required = table.get("required", True)
    if not isinstance(required, bool):
        raise UsageError(f"{where}: required must be true or false, got {required!r}")
    only = {"min": ("int", "float"), "max": ("int", "float"), "units": ("int", "float"),
            "choices": ("choice",), "max_length": ("text",)}
    for key, kinds in only.items():
        if key in table and kind not in kinds:
            raise UsageError(f"{where}: {key} is for {' or '.join(kinds)} questions, not "
                             f"{kind}")
    common = dict(name=name, type=kind, label=label, required=required,
                  description=description)
    if kind in ("int", "float"):
        low, high = (_bound(table, key, kind, where) for key in ("min", "max"))
        if low is not None and high is not None and low > high:
            raise UsageError(f"{where}: min ({_number_text(low)}) is above max "
                             f"({_number_text(high)})")
        units = _text(table, "units", where, 30, default="")
        return Field(**common, min=low, max=high, units=units)
    if kind == "choice":
        return Field(**common, choices=_choices(table.get("choices"), where))
    length = table.get("max_length", DEFAULT_TEXT_LENGTH)
    if isinstance(length, bool) or not isinstance(length, int) \
            or not 1 <= length <= MAX_TEXT_LENGTH:
        raise UsageError(f"{where}: max_length must be a whole number from 1 to "
                         f"{MAX_TEXT_LENGTH}, got {length!r}")
    return Field(**common, max_length=length)


def _text(table, key, where, limit, default):
    value = table.get(key, default)
    if not isinstance(value, str) or len(value) > limit or _has_control(value) or \
            (key == "label" and not value.strip()):
        raise UsageError(f"{where}: {key} must be a text of at most {limit} characters on "
                         f"one line, got {value!r}")
    return value


def _bound(table, key, kind, where):
    value = table.get(key)
    if value is None:
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or (kind == "int" and value != int(value)):
        what = "a whole number" if kind == "int" else "a number"
        raise UsageError(f"{where}: {key} must be {what}, got {value!r}")
    return int(value) if kind == "int" else float(value)


def _choices(choices, where):
    if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES:
        raise UsageError(f"{where}: choices must be a list of 2 to {MAX_CHOICES} answers "
                         f"(e.g. choices = [\"left\", \"right\"]), got {choices!r}")
    for choice in choices:
        if not isinstance(choice, str) or not choice.strip() or choice != choice.strip() \
                or len(choice) > MAX_CHOICE_CHARS or _has_control(choice) \
                or choice == MISSING:
            raise UsageError(f"{where}: each choice must be a text of 1 to "
                             f"{MAX_CHOICE_CHARS} characters without leading or trailing "
                             f"spaces (and not {MISSING!r}), got {choice!r}")
    if len(set(choices)) != len(choices):
        raise UsageError(f"{where}: choices must all differ, got {choices!r}")
    # The form shows them on one line, each with its number in a box; this
    # budget fits a 5:4 screen at the form's smallest letters.
    width = sum(len(c) for c in choices) + CHOICE_BOX_CHARS * len(choices)
    if width > CHOICE_LINE_CHARS:
        raise UsageError(f"{where}: the choices are too long for one line of the form "
                         f"({sum(len(c) for c in choices)} characters in {len(choices)} "
                         f"choices; the characters plus {CHOICE_BOX_CHARS} per choice may be "
                         f"at most {CHOICE_LINE_CHARS}): shorten them")
    return tuple(choices)


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def _number_text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- participants.tsv and participants.json ---------------------------------

def tsv_cell(value) -> str:
    """A value as a participants.tsv cell: ``n/a`` when missing; a tab, line
    break or backslash inside a text is written as ``\\t``, ``\\n``, ``\\r``,
    ``\\\\`` (BIDS TSV has no quoting, so they would break the table).

    >>> tsv_cell("two\\tcells"), tsv_cell(None), tsv_cell(25)
    ('two\\\\tcells', 'n/a', '25')
    """
    if value is None:
        return MISSING
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def read_participants(data_dir) -> tuple:
    """``(header, rows)`` of ``<data_dir>/participants.tsv`` (rows as lists of
    cells, as written), or ``([], [])`` when there is none. :class:`UsageError`
    when the file is not a participants table."""
    path = Path(data_dir) / TSV_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{str(path)!r} cannot be read ({exc})") from None
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:  # created, then cut short before its header reached the disk
        return [], []
    header = lines[0].split("\t")
    if header[0] != ID_COLUMN or len(set(header)) != len(header):
        raise UsageError(f"{str(path)!r} is not a participants table (its first column "
                         f"must be {ID_COLUMN}, and no column twice)")
    return header, [line.split("\t") for line in lines[1:]]


def has_details(data_dir, participant: str) -> bool:
    """Whether ``participant`` already has a row in participants.tsv (a study
    started again skips the form then)."""
    _, rows = read_participants(data_dir)
    return any(row and row[0] == f"sub-{participant}" for row in rows)


def check_values(values: dict, fields) -> dict:
    """``values`` checked against ``fields`` (each through :meth:`Field.parse`);
    :class:`UsageError` naming the first wrong or unknown one."""
    names = {f.name for f in fields}
    for key in values:
        if key not in names:
            raise UsageError(f"{key!r} is not a declared details field"
                             f"{did_you_mean(key, names)}; declared: {', '.join(names)}")
    checked = {}
    for f in fields:
        value = values.get(f.name)
        try:
            checked[f.name] = f.parse(None if value is None else _as_text(value))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return checked


def _as_text(value) -> str:
    if isinstance(value, bool):
        return repr(value)  # never a number: True is not 1 year old
    return str(value)


def append_details(data_dir, participant: str, values: dict, fields) -> Path:
    """Add ``participant``'s answers (``values`` by field name) as one row of
    ``<data_dir>/participants.tsv`` and update ``participants.json``; return
    the TSV's path.

    :class:`DetailsExist` when the participant already has a row (nothing is
    changed); :class:`UsageError` for a bad label or a wrong value.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> fields = parse_fields([{"name": "age", "type": "int", "min": 18, "max": 99}])
    >>> append_details(d, "P07", {"age": 25}, fields).read_text().splitlines()
    ['participant_id\\tage', 'sub-P07\\t25']
    """
    check_label(participant, "participant")
    values = check_values(values, fields)
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / TSV_NAME
    with _locked(folder):
        try:
            header, rows = read_participants(folder)
            columns = read_dictionary(folder)
        except UsageError as exc:
            raise UsageError(f"{exc}; nothing written") from None
        participant_id = f"sub-{participant}"
        if any(row and row[0] == participant_id for row in rows):
            raise DetailsExist(
                f"participant {participant} already has details in {str(path)!r}; they "
                f"were not changed (to correct them, edit that row by hand)")
        grown = header + [f.name for f in fields if f.name not in header] \
            if header else [ID_COLUMN] + [f.name for f in fields]
        cells = {ID_COLUMN: participant_id, **{k: tsv_cell(v) for k, v in values.items()}}
        line = "\t".join(cells.get(column, MISSING) for column in grown) + "\n"
        if not header and not path.exists():
            _create(path, "\t".join(grown) + "\n" + line)
        elif not header:  # an empty file left by a crash: nothing in it to keep
            replace_atomically(path, "\t".join(grown) + "\n" + line)
        elif grown != header:
            old = ["\t".join(row + [MISSING] * (len(grown) - len(row))) + "\n" for row in rows]
            replace_atomically(path, "\t".join(grown) + "\n" + "".join(old) + line)
        else:
            _append(path, line)
        _write_dictionary(folder / JSON_NAME, columns, fields)
    return path


@contextmanager
def _locked(folder: Path):
    """An exclusive lock on the folder's participants table (fcntl: another
    process, on this computer or another using the same shared folder, waits)."""
    with open(folder / LOCK_NAME, "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _create(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8", newline="") as fh:
        write_synced(fh, text)
    fsync_folder(path.parent)


def _append(path: Path, text: str) -> None:
    with open(path, "a+", encoding="utf-8", newline="") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell() > 0:
            fh.seek(fh.tell() - 1)
            if fh.read(1) != "\n":  # an earlier write cut short: never glue onto it
                text = "\n" + text
        write_synced(fh, text)


def read_dictionary(data_dir) -> dict:
    """The columns ``<data_dir>/participants.json`` describes ({} when there is
    none yet); :class:`UsageError` when it is there but unreadable (it is
    never replaced then)."""
    path = Path(data_dir) / JSON_NAME
    try:
        columns = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{str(path)!r} is not a readable JSON column dictionary "
                         f"({exc})") from None
    if not isinstance(columns, dict):
        raise UsageError(f"{str(path)!r} is not a JSON column dictionary (an object of "
                         f"columns)")
    return columns


def _write_dictionary(path: Path, columns: dict, fields) -> None:
    """participants.json: the columns already described are kept (a choice's
    Levels gain the new answers), new fields are added."""
    columns.setdefault(ID_COLUMN, {"Description": ID_DESCRIPTION})
    for f in fields:
        entry = f.column()
        old = columns.get(f.name)
        if isinstance(old, dict):
            if isinstance(old.get("Levels"), dict) and "Levels" in entry:
                old["Levels"] = {**old["Levels"], **entry["Levels"]}
        else:
            columns[f.name] = entry
    replace_atomically(path, json.dumps(columns, indent=2, ensure_ascii=False) + "\n")
