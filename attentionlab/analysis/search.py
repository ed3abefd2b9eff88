"""Visual search: RT x set-size slopes per search type and target presence.

For each participant x session x search_type x target_present cell, the mean
RT of the correct, cleaned trials is computed at each set size, and a
least-squares line is fitted through these means (unweighted: each set size
counts once, as in Treisman & Gelade, 1980). Its slope (ms/item) is the
search cost of one more item; an efficient ("pop-out") search has a slope
near 0, an inefficient one 10-30 ms/item when the target is present and
about twice that when it is absent (Wolfe, 1998). A cell with fewer than two
set sizes has no line (empty cells).

Two options (``attentionlab analyze --slopes-from``, ``--by``; carried in
:class:`~attentionlab.analysis.settings.AnalysisSettings`, which the
pipeline passes as ``settings=``; :data:`OPTIONS` names them so that other
tasks refuse them):

* ``slopes_from="trials"``: the line is fitted by ordinary least squares
  over the single used trials of the cell instead of through the set-size
  means; with unequal numbers of trials per set size the two differ (the
  means weight every set size equally, the trials weight every trial).
* ``by="COLUMN"``: an extra factor (e.g. ``reward``) added to the cell:
  one line per participant x session x search_type x level x
  target_present, group statistics per level, and paired t-tests of the
  slopes between the two levels when the factor has exactly two.

``search_type`` is a free label: ours are ``feature``, ``conjunction`` and
``spatial``; another lab's labels (e.g. Shi et al.'s ``static``/``dynamic``
displays) are kept as they come or renamed through ``[values.search_type]``
in a mapping. Types are listed in the order feature, conjunction, spatial,
then any other label alphabetically.

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1", "search_type": "conjunction",
...     "set_size": [4, 8, 16, 4, 8, 16], "target_present": [1, 1, 1, 0, 0, 0],
...     "rt_ms": [600.0, 680.0, 840.0, 700.0, 860.0, 1180.0], "correct": 1})
>>> participant_effects(d)[["target_present", "slope_ms_per_item", "intercept_ms", "r2"]]
   target_present  slope_ms_per_item  intercept_ms   r2
0               1               20.0         520.0  1.0
1               0               40.0         540.0  1.0
"""

import re

import numpy as np
import pandas as pd

from attentionlab.analysis import search_report
from attentionlab.analysis.cleaning import clean
from attentionlab.analysis.registry import Factor, test_rows
from attentionlab.analysis.settings import AnalysisSettings, resolve
from attentionlab.analysis.trials import UNIT
from attentionlab.analysis.statistics import (mean_ci_row, natural_order, per_participant,
                                              t_test_row)
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError

# The analysis contract (attentionlab/analysis/registry.py).
TASK = "search"
TITLE = "Visual search analysis"
OUR_TYPES = ("feature", "conjunction", "spatial")  # our labels, in report order
CELL = (*UNIT, "search_type", "target_present")
FACTORS = (Factor("search_type"), Factor("set_size", numeric=True),
           Factor("target_present", levels=(0, 1), numeric=True))
REQUIRED_COLUMNS = ("participant", "search_type", "set_size", "target_present", "rt_ms",
                    "correct")
MEASURES = ("slope_ms_per_item", "intercept_ms", "r2", "error_rate")
BOOTSTRAP_RESAMPLES = 2000
# The task-specific AnalysisSettings fields this analysis understands
# (registry contract OPTIONS); other tasks refuse them.
OPTIONS = ("slopes_from", "by")
SLOPES_FROM = ("means", "trials")
# The report's text, tables and references live in search_report.py.
REFERENCES = search_report.REFERENCES
FIGURE_CAPTIONS = search_report.FIGURE_CAPTIONS
headline = search_report.headline
methods_paragraph = search_report.methods_paragraph
report_tables = search_report.report_tables

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label ('1' when the data have no session column)"),
    Column("search_type", "str", "feature, conjunction or spatial (ours); another lab's "
                                 "label as read through the mapping"),
    Column("target_present", "int", "1: trials with the target, 0: trials without"),
    Column("slope_ms_per_item", "float",
           "slope of the least-squares line through the mean correct RT at each set size, "
           "ms per item (empty with fewer than two set sizes)"),
    Column("intercept_ms", "float", "intercept of that line: the RT it predicts at set "
                                    "size 0, ms"),
    Column("r2", "float", "proportion of the variance of the set-size means explained by "
                          "the line (1 with two set sizes; empty when the means are equal)"),
    Column("error_rate", "float",
           "proportion of all test trials of the cell not answered correctly (wrong key or "
           "no response): misses when target_present = 1, false alarms when 0"),
    Column("n_used", "int", "trials in the RT means of the cell (correct, after cleaning)"),
)

GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str", "t_test, paired_t_test, slope_ratio, descriptive, miss_rate, "
                          "false_alarm_rate or mean_rt (see docs/analysis.md)"),
    Column("measure", "str", "what is summarised (a participants.csv column, "
                             "slope_absent_minus_present_ms_per_item, "
                             "absent_present_slope_ratio, error_rate or rt_ms)"),
    Column("search_type", "str", "the search type, or 'B - A' for a comparison of two"),
    Column("target_present", "float", "1 or 0; empty for rows about both"),
    Column("set_size", "float", "the set size of miss_rate, false_alarm_rate and mean_rt "
                                "rows"),
    Column("n", "int", "participants in the row (sessions averaged per participant)"),
    Column("mean", "float", "mean over participants; slope_ratio: mean absent slope / "
                            "mean present slope"),
    Column("sd", "float", "SD over participants (n - 1)"),
    Column("ci95_low", "float", "lower end of the 95% CI of the mean (t-based; mean_rt: "
                                "within-participant Cousineau-Morey; slope_ratio: "
                                "percentile bootstrap)"),
    Column("ci95_high", "float", "upper end of that 95% CI"),
    Column("t", "float", "t statistic (against 0, or of the paired differences)"),
    Column("df", "float", "degrees of freedom of the t-test (n - 1)"),
    Column("p", "float", "two-sided p of the t-test"),
    Column("dz", "float", "Cohen's dz = mean / sd (of the differences when paired)"),
    Column("bf10", "float", "Bayes factor for an effect against none (JZS prior, "
                            "r = 0.707; Rouder et al. 2009)"),
    Column("n_resamples", "int", "slope_ratio: bootstrap resamples behind its CI"),
)


def type_order(labels) -> list:
    """Search types in report order: ours first, then others alphabetically.

    >>> type_order(["static", "conjunction", "feature", "dynamic"])
    ['feature', 'conjunction', 'dynamic', 'static']
    """
    labels = list(dict.fromkeys(labels))
    return ([t for t in OUR_TYPES if t in labels]
            + sorted((t for t in labels if t not in OUR_TYPES), key=str))


def participant_effects(test: pd.DataFrame, *, used: pd.Series | None = None,
                        settings: AnalysisSettings | None = None) -> pd.DataFrame:
    """participants.csv: one row per participant x session x search_type
    (x ``settings.by`` level) x target_present (present first), with the
    set-size line and the error rate.

    RT means use the ``used`` trials (a boolean Series on ``test``'s index:
    the pipeline's cleaning); without ``used``, the trials are cleaned here
    with ``settings.cleaning`` (default :class:`~attentionlab.analysis.
    settings.AnalysisSettings`: correct trials, RT >= 200 ms). The error
    rate uses all test trials. ``settings.slopes_from``: ``"means"`` (line
    through the set-size means) or ``"trials"`` (least squares over the used
    trials); ``settings.by``: a column of ``test`` added to the cell (its
    levels as text). Columns: :func:`participant_columns`
    (:data:`PARTICIPANT_COLUMNS` plus ``by``).
    """
    settings = resolve(settings)
    slopes_from, by, data = settings.slopes_from, settings.by, test
    if slopes_from not in SLOPES_FROM:
        raise UsageError(f"--slopes-from must be one of {', '.join(SLOPES_FROM)}, "
                         f"got {slopes_from!r}")
    data, used = _test_trials(data, used, by)
    cell = cell_of(by)
    if used is None:
        used = clean(data, settings.cleaning, ("search_type", "set_size", "target_present",
                                      *([by] if by else [])), UNIT).used
    used = used.to_numpy(dtype=bool)
    keys = [data[k] for k in cell]
    correct = pd.to_numeric(data["correct"], errors="coerce")
    cells = pd.DataFrame({"error_rate": 1.0 - correct.groupby(keys, observed=True).mean()})
    cells["n_used"] = pd.Series(used.astype(int), index=data.index).groupby(
        keys, observed=True).sum()
    if slopes_from == "trials":
        # fit_lines is ordinary least squares over its rows: here, the trials
        lines = fit_lines(data[used], cell)
    else:
        lines = fit_lines(set_size_means(data[used], cell), cell)
    out = cells.join(lines).reset_index()
    out["target_present"] = out["target_present"].astype(int)
    return _ordered(out, by)[participant_columns(by)]


def cell_of(by: str | None = None) -> tuple:
    """The columns of a participants.csv row: :data:`CELL`, with ``by`` after
    ``search_type``.

    >>> cell_of("reward")
    ('participant', 'session', 'search_type', 'reward', 'target_present')
    """
    return CELL if not by else (*UNIT, "search_type", by, "target_present")


def participant_columns(by: str | None = None) -> list:
    """participants.csv's column names (``by`` after ``search_type``)."""
    names = [c.name for c in PARTICIPANT_COLUMNS]
    if by:
        names.insert(names.index("search_type") + 1, by)
    return names


def set_size_means(trials: pd.DataFrame, by=CELL) -> pd.DataFrame:
    """Mean RT (``rt_ms``) of ``trials`` per ``by`` x ``set_size`` (long)."""
    return (trials.groupby([*by, "set_size"], observed=True)["rt_ms"].mean()
            .rename("rt_ms").reset_index())


def fit_lines(means: pd.DataFrame, by) -> pd.DataFrame:
    """Least-squares line of ``rt_ms`` on ``set_size`` within each ``by`` group
    of ``means``: ``slope_ms_per_item`` = Sxy / Sxx, ``intercept_ms`` = mean(y)
    - slope * mean(x), ``r2`` = Sxy^2 / (Sxx * Syy); NaN with fewer than two
    distinct set sizes (and r2 NaN when Syy = 0). Indexed by ``by``."""
    columns = ["slope_ms_per_item", "intercept_ms", "r2"]
    if means.empty:
        return pd.DataFrame(columns=columns, index=pd.MultiIndex.from_tuples([], names=by))
    groups = means.groupby(list(by), observed=True)
    x, y = means["set_size"].astype(float), means["rt_ms"].astype(float)
    dx = x - groups["set_size"].transform("mean")
    dy = y - groups["rt_ms"].transform("mean")
    sums = pd.DataFrame({"sxx": dx * dx, "sxy": dx * dy, "syy": dy * dy, "x": x, "y": y})
    sums = sums.groupby([means[k] for k in by], observed=True).agg(
        sxx=("sxx", "sum"), sxy=("sxy", "sum"), syy=("syy", "sum"), x=("x", "mean"),
        y=("y", "mean"))
    with np.errstate(invalid="ignore", divide="ignore"):
        defined = sums["sxx"] > 0
        slope = (sums["sxy"] / sums["sxx"]).where(defined)
        r2 = (sums["sxy"] ** 2 / (sums["sxx"] * sums["syy"])).where(defined & (sums["syy"] > 0))
    return pd.DataFrame({"slope_ms_per_item": slope, "intercept_ms": sums["y"] - slope * sums["x"],
                         "r2": r2})


def _test_trials(data, used, by=None):
    """Check the columns; keep ``phase == 'test'`` rows; numeric factors;
    the ``by`` column as text (empty labels are an error here: the pipeline
    reports and skips those rows before)."""
    if by and by in (*CELL, "set_size", "rt_ms", "correct"):
        raise UsageError(f"--by {by}: {by} is already part of the search analysis; "
                         f"give another column (e.g. a reward or block condition)")
    required = (*REQUIRED_COLUMNS, *([by] if by else []))
    data, used = test_rows(data, used, required, "search data")
    converted = {}
    for name in ("set_size", "target_present", "rt_ms"):
        converted[name] = pd.to_numeric(data[name], errors="coerce").astype(float)
    bad = sorted(set(converted["target_present"].dropna()) - {0.0, 1.0})
    if bad or converted["set_size"].isna().any():
        raise UsageError(f"target_present must be 1 or 0 and set_size a number; got "
                         f"target_present {bad} and {int(converted['set_size'].isna().sum())} "
                         f"empty or non-numeric set_size value(s)")
    if by:
        converted[by] = _labels(data[by])
        if (converted[by] == "").any():
            raise UsageError(f"--by {by}: {int((converted[by] == '').sum())} test row(s) "
                             f"have no {by} value")
    return data.assign(**converted, search_type=data["search_type"].astype(str)), used


def _labels(values: pd.Series) -> pd.Series:
    """A factor's values as text labels: whole numbers without '.0' (a
    column read as numbers gives 1.0 for '1'), empty for missing.

    >>> _labels(pd.Series([2.0, "3.0", "high", None])).tolist()
    ['2', '3', 'high', '']
    """
    def text(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        text = str(v).strip()
        # a numeric column of ours (e.g. block) arrives as text "2.0" from the row checks
        return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text
    return values.map(text).astype(str)


def _ordered(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Rows by participant, session (numbers in labels as numbers), search type
    (ours first), ``by`` level (natural order), target present before absent."""
    units = frame[list(UNIT)].drop_duplicates()
    units = units.iloc[natural_order(units, UNIT)]
    unit_rank = {u: i for i, u in enumerate(zip(units["participant"], units["session"]))}
    type_rank = {t: i for i, t in enumerate(type_order(frame["search_type"]))}
    level_rank = np.zeros(len(frame))
    if by:
        rank = {v: i for i, v in enumerate(level_order(frame[by]))}
        level_rank = frame[by].map(rank).to_numpy()
    order = np.lexsort((-frame["target_present"].to_numpy(dtype=float), level_rank,
                        frame["search_type"].map(type_rank).to_numpy(),
                        [unit_rank[u] for u in zip(frame["participant"], frame["session"])]))
    return frame.iloc[order].reset_index(drop=True)


def level_order(values) -> list:
    """The levels of a ``by`` factor, numbers inside labels as numbers.

    >>> level_order(["high", "low", "high"]), level_order(["10", "2"])
    (['high', 'low'], ['2', '10'])
    """
    levels = pd.DataFrame({"level": list(dict.fromkeys(map(str, values)))})
    return levels["level"].iloc[natural_order(levels, ["level"])].tolist()


# ---- group.csv ----

def people(participants: pd.DataFrame) -> pd.DataFrame:
    """participants.csv with each participant's sessions averaged per search
    type x target presence (every person counts once)."""
    return per_participant(participants, MEASURES, by=("search_type", "target_present"))


def group_results(participants, used, test, settings) -> pd.DataFrame:
    """group.csv: :func:`group_rows` of all participants; with ``settings.by``
    (an extra factor), :func:`group_rows` per level (the level in a column
    named after the factor, after ``search_type``), then, when the factor has
    exactly two levels, ``paired_t_test`` rows of the slopes between them
    (``'B - A'`` in that column) per search type and presence."""
    by = settings.by
    if not by:
        return group_rows(participants, used, test, settings)
    columns = [c.name for c in GROUP_COLUMNS]
    columns.insert(columns.index("search_type") + 1, by)
    levels = level_order(participants[by])
    frames = []
    for level in levels:
        def of(frame):
            return None if frame is None else frame[_labels(frame[by]).to_numpy() == level]
        rows = group_rows(of(participants).drop(columns=by), of(used), of(test), settings)
        if len(rows):
            frames.append(rows.assign(**{by: level}))
    if len(levels) == 2:
        frames.append(level_comparisons(participants, by, levels))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)


def level_comparisons(participants, by, levels) -> pd.DataFrame:
    """Paired t-tests of the slopes, second level - first (``'B - A'`` in the
    ``by`` column), per search type x presence, over the participants with
    both (sessions averaged)."""
    people_ = per_participant(participants, MEASURES, by=("search_type", by, "target_present"))
    wide = people_.pivot_table(index="participant", columns=["search_type", by, "target_present"],
                               values="slope_ms_per_item", dropna=False, observed=True)
    first, second = levels
    rows = []
    for kind in type_order(people_["search_type"]):
        for present in (1, 0):
            pair = _columns(wide, [(kind, first, present), (kind, second, present)])
            if pair is not None:
                rows.append({"test": "paired_t_test", "measure": "slope_ms_per_item",
                             "search_type": kind, by: f"{second} - {first}",
                             "target_present": present, **t_test_row(pair[1] - pair[0])})
    return pd.DataFrame(rows)


def group_rows(participants, used, test, settings) -> pd.DataFrame:
    """group.csv without an extra factor (columns :data:`GROUP_COLUMNS`), in this order:

    * ``t_test``: each search type x presence's slope against 0;
    * ``slope_ratio``: mean absent slope / mean present slope per search type
      (participants with both), 95% percentile-bootstrap CI over participants;
    * ``paired_t_test``: absent - present slope per search type, and each pair
      of search types (later - earlier in report order, e.g. conjunction -
      feature) per presence, over the participants with both;
    * ``descriptive``: intercept_ms, r2 and error_rate per cell;
    * ``miss_rate`` / ``false_alarm_rate``: the error rate of target-present /
      target-absent trials at each set size (from ``test``: all test trials);
    * ``mean_rt``: mean correct RT per cell x set size (``used``), with
      within-participant (Cousineau-Morey) CIs over the set sizes of a line.
    """
    people_ = people(participants)
    types = type_order(people_["search_type"])
    rows = []
    wide = people_.pivot_table(index="participant", columns=["search_type", "target_present"],
                               values="slope_ms_per_item", dropna=False, observed=True)
    for kind in types:
        for present in (1, 0):
            slopes = people_.loc[(people_["search_type"] == kind)
                                 & (people_["target_present"] == present), "slope_ms_per_item"]
            if len(slopes):
                rows.append({"test": "t_test", "measure": "slope_ms_per_item",
                             "search_type": kind, "target_present": present,
                             **t_test_row(slopes)})
    pairs = {kind: _columns(wide, [(kind, 1), (kind, 0)]) for kind in types}
    pairs = {kind: pair for kind, pair in pairs.items() if pair is not None}
    rows += [_ratio_row(kind, pair, settings.seed) for kind, pair in pairs.items()]
    rows += [{"test": "paired_t_test", "measure": "slope_absent_minus_present_ms_per_item",
              "search_type": kind, **t_test_row(pair[1] - pair[0])}
             for kind, pair in pairs.items()]
    for i, first in enumerate(types):
        for second in types[i + 1:]:
            for present in (1, 0):
                pair = _columns(wide, [(first, present), (second, present)])
                if pair is not None:
                    rows.append({"test": "paired_t_test", "measure": "slope_ms_per_item",
                                 "search_type": f"{second} - {first}",
                                 "target_present": present, **t_test_row(pair[1] - pair[0])})
    for measure in ("intercept_ms", "r2", "error_rate"):
        for (kind, present), cell in _cells(people_, types):
            rows.append({"test": "descriptive", "measure": measure, "search_type": kind,
                         "target_present": present, **mean_ci_row(cell[measure])})
    frames = [pd.DataFrame(rows)]
    if test is not None and len(test):
        frames.append(error_by_set_size(test, types))
    if len(used):
        frames.append(mean_rt_by_set_size(used, types))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[c.name for c in GROUP_COLUMNS])
    return pd.concat(frames, ignore_index=True).reindex(
        columns=[c.name for c in GROUP_COLUMNS])


def _cells(people_, types):
    for kind in types:
        for present in (1, 0):
            cell = people_[(people_["search_type"] == kind)
                           & (people_["target_present"] == present)]
            if len(cell):
                yield (kind, present), cell


def _columns(wide, keys):
    """The participants with a value in every one of ``keys`` (columns of
    ``wide``), as a list of arrays; None when fewer than one participant."""
    if not all(k in wide.columns for k in keys):
        return None
    both = wide[keys].dropna()
    if both.empty:
        return None
    return [both[k].to_numpy(dtype=float) for k in keys]


def _ratio_row(kind, pair, seed) -> dict:
    """Ratio of the mean absent slope to the mean present slope, with a
    percentile bootstrap CI over participants (paired resampling, scipy)."""
    from attentionlab.analysis.statistics import paired_bootstrap_ci

    present, absent = pair
    row = {"test": "slope_ratio", "measure": "absent_present_slope_ratio",
           "search_type": kind, "n": len(present), "n_resamples": BOOTSTRAP_RESAMPLES}
    with np.errstate(divide="ignore", invalid="ignore"):
        row["mean"] = absent.mean() / present.mean()
    if len(present) >= 2:
        row["ci95_low"], row["ci95_high"] = paired_bootstrap_ci(
            _slope_ratio, (present, absent), BOOTSTRAP_RESAMPLES, seed)
    return row


def _slope_ratio(present, absent, axis=-1):
    """Mean absent slope / mean present slope (along ``axis``: the bootstrap's resamples)."""
    return absent.mean(axis=axis) / present.mean(axis=axis)


def error_by_set_size(test: pd.DataFrame, types=None) -> pd.DataFrame:
    """``miss_rate`` (target present) and ``false_alarm_rate`` (target absent)
    rows: per search type x set size, the participants' error rates over all
    test trials (sessions averaged), with mean, SD and t-based 95% CI."""
    correct = pd.to_numeric(test["correct"], errors="coerce")
    keys = ["participant", "session", "search_type", "target_present", "set_size"]
    rates = (1.0 - correct.groupby([test[k] for k in keys], observed=True).mean())
    rates = rates.rename("error_rate").reset_index()
    rates = rates.groupby(["participant", "search_type", "target_present", "set_size"],
                          observed=True)["error_rate"].mean().reset_index()
    rows = []
    for kind in types or type_order(rates["search_type"]):
        for present, test_name in ((1, "miss_rate"), (0, "false_alarm_rate")):
            cell = rates[(rates["search_type"] == kind) & (rates["target_present"] == present)]
            for size, values in cell.groupby("set_size")["error_rate"]:
                rows.append({"test": test_name, "measure": "error_rate", "search_type": kind,
                             "target_present": present, "set_size": size,
                             **mean_ci_row(values)})
    return pd.DataFrame(rows)


def rt_by_set_size(used: pd.DataFrame) -> pd.DataFrame:
    """Each participant's mean RT per search type x presence x set size
    (sessions averaged): the points behind the classic figure."""
    means = set_size_means(used)
    return (means.groupby(["participant", "search_type", "target_present", "set_size"],
                          observed=True)["rt_ms"].mean().reset_index())


def mean_rt_by_set_size(used: pd.DataFrame, types=None) -> pd.DataFrame:
    """``mean_rt`` rows: per search type x presence x set size the mean over
    participants of their mean correct RT, with Cousineau-Morey 95% CIs
    computed over the set sizes of that line (participants with an RT at
    every set size of the line; all participants for the mean when none is
    complete)."""
    from attentionlab.analysis.statistics import cousineau_morey_ci
    points = rt_by_set_size(used)
    rows = []
    for kind in types or type_order(points["search_type"]):
        for present in (1, 0):
            line = points[(points["search_type"] == kind)
                          & (points["target_present"] == present)]
            if line.empty:
                continue
            wide = line.pivot_table(index="participant", columns="set_size", values="rt_ms")
            complete = wide.dropna()
            half = cousineau_morey_ci(complete) if len(complete) else None
            for size in wide.columns:
                values = (complete if len(complete) else wide)[size].dropna()
                # ci95_* always present (NaN without a CI): with one participant
                # there is no within-participant CI, and the figure reads the column
                row = {"test": "mean_rt", "measure": "rt_ms", "search_type": kind,
                       "target_present": present, "set_size": size, "n": len(values),
                       "mean": values.mean(),
                       "sd": values.std(ddof=1) if len(values) > 1 else np.nan,
                       "ci95_low": np.nan, "ci95_high": np.nan}
                if half is not None and np.isfinite(half[size]):
                    row.update(ci95_low=row["mean"] - half[size],
                               ci95_high=row["mean"] + half[size])
                rows.append(row)
    return pd.DataFrame(rows)


# ---- figures (search_figures.py) ----

def figures(participants, used) -> dict:
    """The classic RT x set-size figure and the participants' slopes."""
    from attentionlab.analysis import search_figures as f
    people_ = people(participants)
    types = type_order(people_["search_type"])
    return {"rt_by_set_size": f.rt_by_set_size_figure(mean_rt_by_set_size(used, types)
                                                       if len(used) else pd.DataFrame(),
                                                       people_),
            "slopes": f.slopes_figure(people_, types)}


def notices(result) -> list:
    """What needs more participants; lines a missing presence left out."""
    from attentionlab.analysis.notices import one_participant

    lines = one_participant(result, (
        "slopes are tested against zero and compared only with at least 2 participants, "
        "and the RT-by-set-size figure has no within-participant CIs; group.csv gives this "
        "participant's slopes without tests"))
    by = getattr(result.settings, "by", None)
    if by:
        # one panel per level would crowd the figures: they pool the levels
        lines.append(f"The figures pool the levels of {by} (each participant's slopes and "
                     f"mean RTs averaged over them); participants.csv and the tables give "
                     f"the slopes per level of {by}.")
        levels = level_order(result.participants[by])
        if len(levels) != 2:
            lines.append(f"{by} has {len(levels)} level(s) ({', '.join(levels)}): the slopes "
                         f"are compared between levels (paired t-tests) only when it has "
                         f"exactly two.")
    test = result.test
    for kind in type_order(test["search_type"]):
        present = set(test.loc[test["search_type"] == kind, "target_present"])
        for value, word in ((1.0, "present"), (0.0, "absent")):
            if value not in present:
                lines.append(f"{kind} search has no target-{word} trials: no {word} slope, "
                             f"and no comparison of absent with present slopes.")
    return lines
