"""The ``analyze`` pipeline: files -> checked trials -> cleaning -> statistics.

:func:`run_analysis` computes everything and writes nothing;
:func:`write_outputs` writes participants.csv, group.csv, the figures and
report.html into an output folder. Problems with the input never stop the
run: they are collected (file and line) and listed in the report.

The pipeline is the same for every task; what is task-specific (factors,
effects, group statistics, figures, methods text) comes from the task's
analysis module through :mod:`~attentionlab.analysis.registry`.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from attentionlab.analysis.cleaning import CleaningResult, clean, no_cleaning
from attentionlab.analysis.cleaning_steps import clean_published
from attentionlab.analysis.mapping import (SUFFIXES, Mapping, load_mapping, read_mapped,
                                          with_mapping_options)
from attentionlab.analysis.notices import included_people, one_participant
from attentionlab.analysis.problems import FILE, LINE, Problem, quote, row_problems
from attentionlab.analysis.reading import REQUIRED, Dataset, find_files, read_sessions
from attentionlab.analysis.resumed import join_resumed
from attentionlab.analysis.registry import (ANALYSES, TASK_OPTIONS, Factor, TaskAnalysis,
                                            get_analysis)
from attentionlab.analysis.settings import AnalysisSettings
from attentionlab.analysis.trials import UNIT, only_test_rows
from attentionlab.core.errors import UsageError, did_you_mean

LOW_ACCURACY = 0.8  # flagged in the data-quality section (not excluded)
OUTPUT_FILES = ("participants.csv", "group.csv", "report.html")


@dataclass
class AnalysisResult:
    """What :func:`run_analysis` found; everything the report shows."""

    settings: AnalysisSettings
    paths: list
    data: Dataset
    task: str
    analysis: TaskAnalysis  # the task's analysis module (registry contract)
    test: pd.DataFrame  # the test trials analysed (after the row checks)
    cleaning: CleaningResult
    participants: pd.DataFrame
    excluded: pd.DataFrame  # participant, session, accuracy, reason
    group: pd.DataFrame
    quality: dict
    timings: dict = field(default_factory=dict)
    # Plain-language notes a reader must see before the numbers: which run of
    # a repeated session was used, what needs more participants, what could
    # not be computed for lack of a condition. Printed by ``analyze`` and
    # shown under "Notes" near the top of the report.
    notices: list = field(default_factory=list)

    @property
    def problems(self) -> list:
        return self.data.problems


def run_analysis(paths, settings: AnalysisSettings = AnalysisSettings()) -> AnalysisResult:
    """Read, check, clean and analyse the files in ``paths`` (files or folders).

    Raises :class:`UsageError` for a bad setting or mapping, and when no test
    trial at all could be read (the problems are in the message's ``problems``
    attribute).
    """
    timings, started = {}, time.perf_counter()
    mapping = load_mapping(settings.mapping) if settings.mapping else None
    settings = with_mapping_options(settings, mapping)  # the mapping's [analysis] options
    if settings.task is not None and settings.task not in ANALYSES:
        raise UsageError(f"--task {settings.task!r} has no analysis"
                         f"{did_you_mean(settings.task, ANALYSES)}; available: "
                         f"{', '.join(ANALYSES)}")
    if mapping and settings.task and settings.task != mapping.task:
        raise UsageError(f"--task {settings.task} but the mapping is for task {mapping.task}")
    suffixes = SUFFIXES if mapping else (".csv",)
    files = find_files(paths, suffixes)
    if not files:
        raise UsageError(f"no {', '.join(suffixes)} files found in "
                         f"{', '.join(repr(str(p)) for p in paths)}: give session files, or folders "
                         f"that hold them")
    wanted = settings.task or (mapping.task if mapping else None)
    extra = (settings.by,) if settings.by else ()
    data = _read(files, mapping, get_analysis(wanted) if wanted else None, extra)
    timings["read"] = time.perf_counter() - started

    task = _choose_task(data, wanted)
    analysis = get_analysis(task)
    _check_options(settings, analysis, data, mapping)
    trials = _drop(data, _other_task_rows(data, task))
    if mapping is None and wanted is None:
        # Read before the task was known, with every analysis' columns: keep
        # this task's, as --task would have read (less memory in every copy).
        keep = {FILE, LINE, *REQUIRED, *_read_columns(analysis, extra)}
        trials = trials[[c for c in trials.columns if c in keep]]
    data.trials = trials
    test = only_test_rows(trials)
    notices = []
    if not test.empty:
        test = _check_factors(data, test, analysis, _extra_factors(settings, analysis))
        test, notices = _drop_duplicate_sessions(data, test)
    if test.empty:
        error = UsageError(f"nothing could be analysed: no usable {task} test trials in "
                           f"{len(files)} file(s)" + (f"; {len(data.problems)} problem(s) "
                                                      f"listed above" if data.problems else ""))
        error.problems = data.problems
        raise error
    test = test.reset_index(drop=True)
    if analysis.add_measures is not None:
        test = analysis.add_measures(test, data.sessions)
    timings["check"] = time.perf_counter() - started - sum(timings.values())

    step_excluded = None
    if analysis.rt_cleaning and mapping is not None and mapping.clean:
        # The authors' declared pipeline replaces the default steps (issue 15).
        cleaning, step_excluded = clean_published(test, mapping.clean, analysis.factor_names,
                                                  UNIT)
    elif analysis.rt_cleaning:
        cleaning = clean(test, settings.cleaning, analysis.factor_names
                         + tuple(f.name for f in _extra_factors(settings, analysis)), UNIT)
    else:
        cleaning = no_cleaning(test)
    participants = analysis.participant_effects(test, used=cleaning.used, settings=settings)
    excluded = _exclusions(test, settings.min_accuracy)
    if step_excluded is not None and len(step_excluded):
        excluded = pd.concat([excluded, step_excluded], ignore_index=True).drop_duplicates(
            ["participant", "session"])
    included = participants.merge(excluded[["participant", "session"]], how="left",
                                  indicator=True)
    included = included[included["_merge"] == "left_only"].drop(columns="_merge")
    kept = test
    if len(excluded):
        keys = pd.MultiIndex.from_frame(excluded[["participant", "session"]])
        kept = test[~pd.MultiIndex.from_frame(test[["participant", "session"]]).isin(keys)]
    used = kept[cleaning.used[kept.index].to_numpy()]
    timings["effects"] = time.perf_counter() - started - sum(timings.values())
    group = analysis.group_results(participants=included.reset_index(drop=True), used=used,
                                   test=kept, settings=settings)
    timings["group"] = time.perf_counter() - started - sum(timings.values())
    quality = data_quality(data, test, participants, accuracy_check=analysis.accuracy_check)
    result = AnalysisResult(settings, [str(p) for p in paths], data, task, analysis, test,
                            cleaning, participants, excluded, group, quality, timings)
    result.notices = notices + _exclusion_notices(result) + _task_notices(result)
    if cleaning.declared:
        result.notices.insert(0, (
            f"Cleaning followed the {len(mapping.clean)} step(s) declared in the mapping, in "
            f"their order; the command line's RT cleaning options (--min-rt-ms, --max-rt-ms, "
            f"--trim, --include-errors) were not applied."))
    return result


def _check_options(settings: AnalysisSettings, analysis: TaskAnalysis, data: Dataset,
                   mapping: Mapping | None):
    """A task-specific option the task does not take, or a ``--by`` column
    the data do not have: one-line UsageError."""
    for name, (option, default) in TASK_OPTIONS.items():
        if getattr(settings, name) != default and name not in analysis.options:
            takers = [t for t in ANALYSES if name in _options_of(t)]
            raise UsageError(f"{option} is not an option of the {analysis.task} analysis; "
                             f"it is for: {', '.join(takers) or 'no task'}")
    by = settings.by
    if by and by not in data.trials:
        where = ("declare it in the mapping's [factors] table, e.g. "
                 f"{by} = \"their column\"" if mapping is not None
                 else "no session file has that column")
        raise UsageError(f"--by {by}: no such column in the data ({where})")


def _options_of(task: str) -> tuple:
    try:
        return get_analysis(task).options
    except Exception:  # noqa: BLE001 -- a broken module of another task takes none
        return ()


def _extra_factors(settings: AnalysisSettings, analysis: TaskAnalysis) -> tuple:
    """``--by``'s column as a factor (any non-empty label), for the tasks that take it."""
    return (Factor(settings.by),) if settings.by and "by" in analysis.options else ()


def _exclusion_notices(result: AnalysisResult) -> list:
    """A note when the exclusions left nobody in the group statistics."""
    if not len(result.excluded) or included_people(result):
        return []
    reasons = "; ".join(dict.fromkeys(map(str, result.excluded["reason"])))
    return [f"Every participant x session was excluded ({reasons}), so there are no group "
            f"statistics; participants.csv still has everyone."]


def _task_notices(result: AnalysisResult) -> list:
    """The task's own notices (registry contract ``notices``); for a task
    without them, the generic one about a single participant."""
    if result.analysis.notices is not None:
        return list(result.analysis.notices(result))
    return one_participant(result, "statistics across participants (tests, confidence "
                                   "intervals over participants) need at least 2, so "
                                   "group.csv gives this participant's values without them")


def _read(files, mapping: Mapping | None, analysis: TaskAnalysis | None,
          extra=()) -> Dataset:
    if mapping:
        return read_mapped(files, mapping)
    # Only the columns some analysis needs: reading fewer columns is faster.
    return read_sessions(files, columns=_read_columns(analysis, extra))


def _read_columns(analysis: TaskAnalysis | None, extra=()) -> list:
    """Columns read from our files (besides reading.REQUIRED) for ``analysis``,
    or for every analysis when it is None (the task is not known yet)."""
    ours = analysis.our_columns if analysis else _all_analysed_columns()
    return ["run", "dropped_frames", "simulated", *ours, *extra]


def _all_analysed_columns() -> tuple:
    """The task columns of every analysis that loads. A broken analysis module
    of one task must not stop the analysis of another: it is skipped here, and
    raises its error only if its own task is the one analysed."""
    names = []
    for task in ANALYSES:
        try:
            names += get_analysis(task).our_columns
        except Exception:  # noqa: BLE001 -- see the docstring
            continue
    return tuple(names)


def _choose_task(data: Dataset, wanted: str | None) -> str:
    """The task asked for, else the task of most files that has an analysis."""
    if wanted:
        return wanted
    if data.sessions.empty or "task" not in data.sessions:
        return next(iter(ANALYSES))
    counts = data.sessions["task"].value_counts()
    for task in counts.index:
        if task in ANALYSES:
            return task
    raise UsageError(f"no analysis for the task(s) in these files "
                     f"({', '.join(map(quote, counts.index))}); available: "
                     f"{', '.join(ANALYSES)}")


def _other_task_rows(data: Dataset, task: str) -> np.ndarray:
    bad = (data.trials["task"] != task).to_numpy(dtype=bool)
    data.problems += row_problems(data.trials, bad, data.files, lambda g: (
        f"{len(g)} row(s) of task {quote(g['task'].iloc[0])} skipped: this analysis is "
        f"of {task} (choose with --task)"))
    return bad


def _drop(data: Dataset, bad: np.ndarray) -> pd.DataFrame:
    return data.trials[~bad] if bad.any() else data.trials


def _check_factors(data, test, analysis, extra=()):
    """Test rows with an empty factor (of the task's, or ``extra``), or a
    value the factor does not allow, are reported and skipped; numeric
    factors become floats."""
    for factor in (*analysis.factors, *extra):
        name = factor.name
        if name not in test:
            test = test.assign(**{name: ""})
        raw = test[name]
        text = raw.astype(str).str.strip().where(raw.notna(), "")
        empty = (text == "") | text.isin(["nan", "None"])
        if factor.numeric:
            values = pd.to_numeric(raw, errors="coerce").astype(float)
            bad = values.isna() & ~empty
            if factor.levels is not None:
                bad |= values.notna() & ~values.isin([float(v) for v in factor.levels])
        else:
            values = text
            bad = ~empty & ~values.isin(factor.levels) if factor.levels is not None \
                else pd.Series(False, index=test.index)
        def message(rows, name=name, factor=factor, text=text, empty=empty):
            value = text[rows.index[0]]
            if empty[rows.index[0]]:
                return f"no {name} (empty cell, or no {name} column in the file); row skipped"
            if factor.levels is None:
                return f"{name} {quote(value)} is not a number; row skipped"
            return (f"{name} {quote(value)} is not one of "
                    f"{', '.join(map(str, factor.levels))}; row skipped")
        skip = (bad | empty).to_numpy(dtype=bool)
        data.problems += row_problems(test, skip, data.files, message)
        test = test.assign(**{name: values})
        if skip.any():  # a boolean selection copies every column, even of all rows
            test = test[~skip]
    return test


def _drop_duplicate_sessions(data, test):
    """A participant x session found in more than one file: keep the file with
    the most test trials (the first one found on a tie), skip the others.
    A resumed run and the run(s) it continues count as one file (joined, see
    :mod:`~attentionlab.analysis.resumed`). Returns the test rows kept and a
    notice per resumed run and per repeated session (the files are in the
    problems too, one line each)."""
    pieces = join_resumed(data.sessions)
    data.problems += pieces.problems
    # Rows of a resumed run count as rows of the first run of its session.
    unit = test[FILE].map(lambda f: pieces.root.get(f, f)) if pieces.root else test[FILE]
    test = test.assign(_unit=unit)
    present = set(test[FILE])
    notes = [note for f, note in pieces.note_of.items() if f in present]
    counts = test.groupby(["participant", "session", "_unit"], observed=True).size()
    if counts.index.droplevel("_unit").is_unique:
        return test.drop(columns="_unit"), notes
    counts = counts.rename("n").reset_index().rename(columns={"_unit": FILE}).sort_values(
        ["participant", "session", "n", FILE], ascending=[True, True, False, True])
    first = counts.drop_duplicates(["participant", "session"])
    losers = counts.drop(first.index)
    kept_file = first.set_index(["participant", "session"])[FILE]
    for row in losers.to_dict("records"):
        winner = data.files[kept_file[(row["participant"], row["session"])]]
        data.problems.append(Problem(data.files[row[FILE]], None, (
            f"duplicate session: participant {quote(row['participant'])} session "
            f"{quote(row['session'])} is also in {winner}; these {row['n']} trial(s) "
            f"skipped (the file with more trials is kept)")))
    drop = pd.MultiIndex.from_frame(test[["participant", "session", "_unit"]]).isin(
        pd.MultiIndex.from_frame(losers[["participant", "session", FILE]]))
    return (test[~drop].drop(columns="_unit"),
            notes + _duplicate_notices(data, first, losers))


def _duplicate_notices(data, first, losers, limit=5) -> list:
    """One plain line per repeated participant x session: which file is used."""
    lines = []
    for row in first.merge(losers[["participant", "session"]].drop_duplicates()).to_dict(
            "records"):
        left_out = losers[(losers["participant"] == row["participant"])
                          & (losers["session"] == row["session"])]
        lines.append(f"Participant {quote(row['participant'])} session "
                     f"{quote(row['session'])} was recorded more than once: the analysis "
                     f"uses {data.files[row[FILE]]} ({row['n']} test trials) and leaves out "
                     + ", ".join(f"{data.files[f]} ({n} trials)"
                                 for f, n in zip(left_out[FILE], left_out["n"])) + ".")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more participant x sessions "
                                 f"recorded more than once (listed under Problems)."]
    return lines


def _exclusions(test, min_accuracy):
    """participant x sessions whose accuracy (all test trials) is below
    ``min_accuracy``: reported, and left out of the group statistics."""
    accuracy = test.groupby(["participant", "session"], observed=True)["correct"].mean()
    columns = ["participant", "session", "accuracy", "reason"]
    if min_accuracy is None:
        return pd.DataFrame(columns=columns)
    low = accuracy[accuracy < min_accuracy].rename("accuracy").reset_index()
    low["reason"] = f"accuracy below {min_accuracy:g}"
    return low[columns]


def data_quality(data: Dataset, test: pd.DataFrame, participants: pd.DataFrame,
                 accuracy_check: bool = True) -> dict:
    """Facts for the data-quality section: low accuracy (unless the task's
    ``correct`` is no accuracy measure), incomplete sessions, simulated data,
    dropped frames, files with problems."""
    accuracy = test.groupby(["participant", "session"], observed=True)["correct"].mean()
    low = accuracy[accuracy < LOW_ACCURACY].rename("accuracy").reset_index()
    sessions = data.sessions
    quality = {"low_accuracy": low, "low_accuracy_threshold": LOW_ACCURACY,
               "scored": bool(test["correct"].notna().any()),
               "accuracy_check": accuracy_check,
               "n_files": len(data.files), "n_sessions": len(sessions),
               "sidecars": "sidecar" in sessions, "source": data.source,
               "files_with_problems": len({p.file for p in data.problems})}
    if "sidecar" in sessions:
        # A run continued by another one read (run --resume) is not incomplete.
        continued = sessions[FILE].isin(join_resumed(sessions).continued) \
            if FILE in sessions else False
        incomplete = sessions[sessions["completed"].map(lambda v: v is False) & ~continued]
        quality["incomplete"] = incomplete[["file", "participant", "session", "trials_done",
                                            "trials_planned", "abort_reason"]]
        quality["no_sidecar"] = int((~sessions["sidecar"].astype(bool)).sum())
    if "simulated" in sessions:
        quality["simulated"] = sessions[sessions["simulated"].astype(bool)][
            ["file", "participant", "session"]]
    if "dropped_frames" in test:
        frames = test["dropped_frames"].fillna(0)
        quality["dropped_frames_total"] = int(frames.sum())
        quality["trials_with_dropped_frames"] = int((frames > 0).sum())
        quality["n_test_trials"] = len(test)
        if "dropped_frames_total" in sessions:
            quality["sidecar_dropped_frames_total"] = pd.to_numeric(
                sessions["dropped_frames_total"], errors="coerce").sum(min_count=1)
    return quality


def check_output_folder(out, paths, force: bool) -> Path:
    """Refuse an output folder that is not empty (unless ``force``), that lies
    inside a folder given as input, or that is the folder of a file given as
    input: analysis never writes into the raw data."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a file; give a folder")
    target = out.resolve()
    for given in paths:
        folder = Path(given).resolve()
        if folder.is_dir() and (target == folder or folder in target.parents):
            raise UsageError(f"--out {str(out)!r} is inside the input folder "
                             f"{str(given)!r}; analysis never writes into the data: "
                             f"choose a folder outside it")
        if folder.is_file() and target == folder.parent:
            raise UsageError(f"--out {str(out)!r} is the folder of the input file "
                             f"{str(given)!r}; analysis never writes beside the data: "
                             f"choose another folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(f"--out {str(out)!r} exists and is not empty; choose a new "
                         f"folder or add --force to overwrite the outputs in it")
    return out


def write_outputs(result: AnalysisResult, out) -> dict:
    """Write the CSVs, figures (PNG + SVG) and report.html into ``out``, all or
    nothing (:mod:`~attentionlab.analysis.output_folder`: written into a
    temporary folder next to it, moved into place at the end); return the
    paths in ``out``."""
    from attentionlab.analysis import report
    from attentionlab.core import figures
    from attentionlab.analysis.output_folder import staged

    started = time.perf_counter()
    out = Path(out)
    names = []
    with staged(out) as folder:
        for name, frame in (("participants.csv", result.participants),
                            ("group.csv", result.group)):
            frame.to_csv(folder / name, index=False, float_format="%.10g",
                         lineterminator="\n")
            names.append(name)
        used = result.test[result.cleaning.used.to_numpy()]
        pngs = {}
        for stem, fig in result.analysis.figures(result.participants, used).items():
            pngs[stem] = figures.save(fig, folder, stem)
            names += [f"{stem}.png", f"{stem}.svg"]
        result.timings["figures"] = time.perf_counter() - started
        (folder / "report.html").write_text(report.render(result, pngs), encoding="utf-8")
        names.append("report.html")
        result.timings["report"] = time.perf_counter() - started - result.timings["figures"]
    return {name: out / name for name in names}
