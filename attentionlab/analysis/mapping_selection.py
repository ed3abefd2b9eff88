"""Which rows of other labs' files are trials: the ``[keep]`` and ``[drop]`` rules of a mapping.

A mapping is data, not code: a rule is a list of values or a small table of
comparisons, never an expression handed to ``eval`` or ``DataFrame.query``.

A rule names one of their columns (or a derived one, or one of ours mapped in
``[columns]``) and is either

- a list of values: the row's value is one of them (compared as trimmed text,
  integral numbers without ``.0``: ``"2"`` matches ``2.0``), or
- a table of bounds on numbers: ``min``/``max`` (inclusive), ``above``/``below``
  (strict). ``{ min = 5, max = 71 }`` is "trials 5 to 71". A value that is not a
  number never satisfies a bound.

``[keep]`` keeps the rows that satisfy every rule; ``[drop]`` then removes the
rows that satisfy any of its rules (e.g. excluded participants).

>>> rule = parse_rule("trial", {"min": 5, "max": 71}, "[keep]")
>>> import pandas as pd
>>> rule.matches(pd.Series(["4", "5", "71", "72", "x"])).tolist()
[False, True, True, False, False]
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attentionlab.core.errors import UsageError

BOUNDS = {"min": np.greater_equal, "max": np.less_equal,
          "above": np.greater, "below": np.less}


@dataclass(frozen=True)
class Rule:
    """One column's condition: ``values`` (normalised text) or ``bounds``."""

    column: str
    values: frozenset | None = None
    bounds: tuple = ()  # (name, number) pairs, all must hold

    def matches(self, column: pd.Series) -> np.ndarray:
        """Boolean mask of the rows of ``column`` (text) that satisfy the rule."""
        if self.values is not None:
            return normalised(column).isin(self.values).to_numpy(dtype=bool)
        numbers = pd.to_numeric(column.astype(str).str.strip(), errors="coerce").to_numpy(float)
        ok = ~np.isnan(numbers)
        for name, limit in self.bounds:
            ok &= BOUNDS[name](np.nan_to_num(numbers, nan=0.0), limit)
        return ok

    def describe(self) -> str:
        """The rule in words, for the report and the methods."""
        if self.values is not None:
            shown = sorted(self.values)
            return f"{self.column} in {{{', '.join(shown[:8])}{', ...' if len(shown) > 8 else ''}}}"
        words = {"min": ">=", "max": "<=", "above": ">", "below": "<"}
        return " and ".join(f"{self.column} {words[n]} {v:g}" for n, v in self.bounds)


def parse_rule(column: str, spec, where: str) -> Rule:
    """A :class:`Rule` from a mapping value; :class:`UsageError` says what is allowed."""
    if isinstance(spec, list) and spec:
        return Rule(column, values=frozenset(norm(v) for v in spec))
    if isinstance(spec, dict) and spec:
        unknown = [k for k in spec if k not in BOUNDS]
        if unknown:
            raise UsageError(f"{where} {column}: unknown bound {unknown[0]!r}; allowed: "
                             f"{', '.join(BOUNDS)} (e.g. {column} = {{ min = 5, max = 71 }})")
        bounds = []
        for name, limit in spec.items():
            if isinstance(limit, bool) or not isinstance(limit, (int, float)):
                raise UsageError(f"{where} {column}: {name} must be a number, got {limit!r}")
            bounds.append((name, float(limit)))
        return Rule(column, bounds=tuple(bounds))
    raise UsageError(f"{where} {column} must be a list of values (e.g. {column} = [\"2\", "
                     f"\"3\"]) or a table of bounds (e.g. {column} = {{ min = 5, max = 71 }}); "
                     f"got {spec!r}")


def norm(value) -> str:
    """Text for comparing values: trimmed; integral numbers without '.0'.

    >>> norm(" 2.0 "), norm("2.5"), norm("abc")
    ('2', '2.5', 'abc')
    """
    text = str(value).strip()
    if isinstance(value, bool):
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else text


def normalised(series: pd.Series) -> pd.Series:
    """:func:`norm` over a text column, computed once per distinct value."""
    uniques = pd.unique(series)
    return series.map({u: norm(u) for u in uniques})


@dataclass(frozen=True)
class Derived:
    """A column made from their columns: ``join`` joined with ``sep``."""

    name: str
    join: tuple
    sep: str = "_"

    def compute(self, frame: pd.DataFrame) -> pd.Series:
        parts = [frame[c].astype(str).str.strip() for c in self.join]
        out = parts[0]
        for part in parts[1:]:
            out = out + self.sep + part
        return out


def parse_derived(name: str, spec, where: str) -> Derived:
    """A :class:`Derived` column from ``[derive] name = { join = [...], sep = "_" }``."""
    if not isinstance(spec, dict) or "join" not in spec:
        raise UsageError(f"{where} {name} must be a table like {name} = {{ join = "
                         f"[\"dyn\", \"reward\"], sep = \"_\" }}; got {spec!r}")
    unknown = [k for k in spec if k not in ("join", "sep")]
    if unknown:
        raise UsageError(f"{where} {name}: unknown key {unknown[0]!r}; allowed: join, sep")
    join, sep = spec["join"], spec.get("sep", "_")
    if not isinstance(join, list) or len(join) < 1 or not all(isinstance(c, str) for c in join):
        raise UsageError(f"{where} {name}: join must be a list of their column names, "
                         f"got {join!r}")
    if not isinstance(sep, str):
        raise UsageError(f"{where} {name}: sep must be text, got {sep!r}")
    return Derived(name, tuple(join), sep)
