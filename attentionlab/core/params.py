"""Task parameters: declared once on a frozen dataclass, overridden by name.

A task declares its parameters as dataclass fields made with :func:`param`,
which carries the one-line meaning, the unit and the allowed range. From
that single declaration come ``attentionlab params TASK``, the ``--set
NAME=VALUE`` and ``--config FILE.toml`` overrides with their error
messages, and the copy of all parameters in every sidecar.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo:
...     deadline_ms: int = param(2000, "response deadline", unit="ms", min=100)
>>> apply_overrides(Demo(), {"deadline_ms": "1500"}).deadline_ms
1500
"""

import dataclasses
import tomllib
import typing
from pathlib import Path

from attentionlab.core.errors import UsageError, did_you_mean, unknown_name


def param(default, doc, *, unit="", min=None, max=None, choices=None):
    """A dataclass field with its documentation and bounds.

    ``min``/``max`` bound numbers (and each element of a tuple of numbers);
    ``choices`` lists the allowed values of a string (or of each element of a
    tuple of strings).
    """
    meta = {"doc": doc, "unit": unit, "min": min, "max": max, "choices": choices}
    return dataclasses.field(default=default, metadata=meta)


def describe(params) -> list[dict]:
    """One dict per parameter: name, default (as written on the command line),
    unit, allowed values and meaning, in declaration order."""
    rows = []
    for f in dataclasses.fields(params):
        m = f.metadata
        rows.append({
            "name": f.name,
            "value": format_value(getattr(params, f.name)),
            "unit": m.get("unit", ""),
            "allowed": _allowed_text(f),
            "doc": m.get("doc", ""),
        })
    return rows


def format_value(value) -> str:
    """A parameter value as it would be typed after ``--set NAME=``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(format_value(v) for v in value)
    return str(value)


def as_plain(params) -> dict:
    """All parameters as a JSON-friendly dict (for the sidecar)."""
    return {f.name: (list(v) if isinstance(v := getattr(params, f.name), tuple) else v)
            for f in dataclasses.fields(params)}


def apply_overrides(params, overrides: dict):
    """Return a copy of ``params`` with ``overrides`` (name -> value) applied.

    Values may be strings from the command line or typed values from TOML;
    each is converted to the field's type and checked against its bounds.
    Raises :class:`UsageError` naming the parameter and what is allowed.
    """
    fields = {f.name: f for f in dataclasses.fields(params)}
    hints = typing.get_type_hints(type(params))
    changes = {}
    for name, raw in overrides.items():
        if name not in fields:
            raise unknown_name("parameter", name, fields,
                               hint="(see 'attentionlab params TASK')")
        value = _convert(name, raw, hints[name])
        _check_bounds(fields[name], value)
        changes[name] = value
    new = dataclasses.replace(params, **changes)
    check = getattr(new, "check", None)
    if check is not None:
        check()
    return new


def parse_set_options(items: list[str] | None) -> dict:
    """Turn repeated ``--set NAME=VALUE`` strings into a dict (last one wins)."""
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def read_toml(path, where: str) -> dict:
    """The TOML file ``path`` as a dict; :class:`UsageError` (one line that
    starts with ``where``, e.g. ``"config file 'x.toml'"``) when it is
    missing, a folder, unreadable or not valid TOML."""
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"{where} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"{where} is a folder, not a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{where} cannot be read: {exc.strerror}") from None


def read_config(path: str | Path, task: str, known_tasks) -> dict:
    """The tables of a TOML config file, as ``{task: {name: value}}``.

    A file holds either

    * top-level ``name = value`` pairs: parameters of ``task``, the task being
      run (returned as ``{task: {...}}``); or
    * one ``[TASK]`` table per task, so that one file can hold several tasks'
      settings; only ``task``'s table is used, the others must still be
      tables of ``known_tasks``.

    Never both: top-level pairs beside a table, and a table whose name is not
    a known task (``[stropp]``), raise :class:`UsageError` (with a
    did-you-mean), so a misspelling is never silently ignored. The names
    inside each table are checked by the caller (they depend on the task).

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "c.toml")
    >>> _ = open(f, "w").write("[stroop]\\ndeadline_ms = 1500\\n")
    >>> read_config(f, "stroop", ["stroop", "search"])
    {'stroop': {'deadline_ms': 1500}}
    """
    p = Path(path)
    data = read_toml(p, f"config file {str(p)!r}")
    known_tasks = list(known_tasks)
    tables = [k for k, v in data.items() if isinstance(v, dict)]
    pairs = [k for k, v in data.items() if not isinstance(v, dict)]
    for name in tables:
        if name not in known_tasks:
            # A misspelt task, or a sub-table such as [timing] meant as grouping.
            raise UsageError(
                f"config file {str(p)!r}: unknown table [{name}]"
                f"{did_you_mean(name, known_tasks)}; "
                f"tables allowed: {', '.join(f'[{t}]' for t in known_tasks)} "
                f"(or top-level NAME = VALUE lines for the task being run)")
    if tables and pairs:
        raise UsageError(
            f"config file {str(p)!r} has top-level parameters ({', '.join(pairs)}) beside "
            f"task tables ({', '.join(f'[{t}]' for t in tables)}): put each parameter "
            f"inside its task's table, or use no tables at all")
    return {name: data[name] for name in tables} if tables else {task: data}


def _allowed_text(f) -> str:
    m = f.metadata
    if m.get("choices"):
        return "|".join(m["choices"])
    lo, hi = m.get("min"), m.get("max")
    if lo is not None and hi is not None:
        return f"{lo}..{hi}"
    if lo is not None:
        return f">= {lo}"
    if hi is not None:
        return f"<= {hi}"
    return ""


def _convert(name, raw, hint):
    origin = typing.get_origin(hint)
    if origin is tuple:
        elem = typing.get_args(hint)[0]
        items = raw if isinstance(raw, (list, tuple)) else [
            s.strip() for s in str(raw).split(",") if s.strip()]
        return tuple(_convert_scalar(name, v, elem) for v in items)
    return _convert_scalar(name, raw, hint)


def _convert_scalar(name, raw, kind):
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise UsageError(f"parameter {name!r} must be true or false, got {raw!r}")
    if kind in (int, float):
        try:
            if isinstance(raw, bool):
                raise ValueError
            value = kind(raw) if kind is float else _to_int(raw)
        except (TypeError, ValueError):
            raise UsageError(
                f"parameter {name!r} must be {'an integer' if kind is int else 'a number'}, "
                f"got {raw!r}") from None
        return value
    return str(raw)


def _to_int(raw):
    if isinstance(raw, float) and not raw.is_integer():
        raise ValueError
    return int(raw) if not isinstance(raw, str) else int(raw.strip())


def _check_bounds(f, value):
    m = f.metadata
    for v in value if isinstance(value, tuple) else (value,):
        if m.get("choices") and v not in m["choices"]:
            raise UsageError(
                f"parameter {f.name!r}: {v!r} is not allowed; allowed: {', '.join(m['choices'])}")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if m.get("min") is not None and v < m["min"]:
                raise UsageError(f"parameter {f.name!r} must be >= {m['min']}, got {v}")
            if m.get("max") is not None and v > m["max"]:
                raise UsageError(f"parameter {f.name!r} must be <= {m['max']}, got {v}")
