"""``attentionlab class-report``: a class's results, one page per task.

The session files of a class (any number of students, one included) are
sorted by task; each task with a classroom entry
(:mod:`attentionlab.classroom.textbook`) is analysed by its own analysis
(:func:`attentionlab.analysis.pipeline.run_analysis`, default settings),
each student's effect is taken from it, and the class gets:

* the distribution of the students' effects (a figure);
* the class mean with its 95% CI (t-based; for yes/no outcomes the
  proportion with an exact Clopper-Pearson CI) against the published value;
* how many students showed the effect;
* the textbook explanation, in plain words.

Each student counts once: a student with several sessions of a task counts
with their first (sessions in natural order; within one session label the
analysis keeps the file with the most trials). With one student there is no
CI, and the report says so.

The report is one self-contained HTML file (styles inline, figures as
base64 PNG, no external links, nothing fetched), rendered from the Jinja2
template ``templates/class_report.html`` with autoescaping on, so
everything that comes from the files is HTML-escaped. Nothing is sent
anywhere.

>>> stats = class_statistics([1.0, 2.0, 3.0], "mean")
>>> round(stats["ci_low"], 3), round(stats["ci_high"], 3)
(-0.484, 4.484)
>>> class_statistics([1.0], "mean")["ci_method"]
'none (one student)'
"""

import base64
import csv
import math
import traceback
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from attentionlab.classroom.textbook import TEXTBOOK, Textbook, available, get_entry
from attentionlab.core.errors import UsageError

SUMMARY_COLUMNS = ("task", "measure", "unit", "n_students", "mean", "ci95_low", "ci95_high",
                   "ci_method", "published_low", "published_high", "source", "n_showed",
                   "n_decided", "n_no_value", "n_simulated_sessions")


@dataclass
class TaskSummary:
    """A task's page: the students' values (one row per student) and the class figures."""

    entry: Textbook
    students: pd.DataFrame
    stats: dict
    n_showed: int
    n_decided: int
    n_no_value: int
    n_files: int
    n_simulated: int = 0
    problems: list = field(default_factory=list)


@dataclass
class ClassResult:
    """Everything the class report shows."""

    paths: list
    summaries: list
    problems: list  # files not sorted into a task, tasks without a page (text)
    n_files: int


def class_statistics(values, kind: str) -> dict:
    """Class mean (or proportion) and its 95% CI from the students' values.

    ``kind`` ``"mean"``: ``mean`` ± t(.975, n - 1) · SD / √n; ``"proportion"``
    (values 1/0): ``k / n`` with the exact Clopper-Pearson CI. No CI with fewer
    than two students. Returns ``n, mean, ci_low, ci_high, ci_method``.
    """
    from attentionlab.analysis.statistics import exact_proportion_ci, mean_ci

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    out = {"n": len(x), "mean": float(x.mean()) if len(x) else math.nan,
           "ci_low": math.nan, "ci_high": math.nan,
           "ci_method": "none (one student)" if len(x) == 1 else "none (no students)"}
    if len(x) < 2:
        return out
    if kind == "proportion":
        low, high = exact_proportion_ci(int(round(x.sum())), len(x))
        out.update(ci_low=low, ci_high=high, ci_method="exact (Clopper-Pearson)")
    else:
        low, high = mean_ci(x)
        out.update(ci_low=low, ci_high=high, ci_method="t")
    return out


def files_by_task(paths) -> tuple[dict, list]:
    """Session CSVs found in ``paths`` (files or folders, recursively) by the
    ``task`` of their first row; and the files that could not be sorted."""
    from attentionlab.analysis.reading import find_files

    tasks, problems = {}, []
    for path in find_files(paths):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = next(reader, [])
                first = next(reader, None)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append(f"{path}: cannot be read ({exc}); skipped")
            continue
        if "task" not in header:
            problems.append(f"{path}: no task column (not an attentionlab session file); "
                            f"skipped")
            continue
        if first is None or len(first) != len(header):
            problems.append(f"{path}: no complete trial row; skipped")
            continue
        tasks.setdefault(first[header.index("task")], []).append(path)
    return tasks, problems


def student_values(entry: Textbook, result) -> pd.DataFrame:
    """Every participant x session's value from an analysis ``result``."""
    return entry.values(result.participants, result.test).reset_index(drop=True)


def first_per_student(values: pd.DataFrame) -> pd.DataFrame:
    """One row per student: their first session (labels in natural order)."""
    from attentionlab.analysis.statistics import natural_order

    if values.empty:
        return values
    ordered = values.iloc[natural_order(values, ["participant", "session"])]
    return ordered.drop_duplicates("participant").reset_index(drop=True)


def _analyse(files, task):
    """The task's own analysis with its default settings. Its group
    statistics may warn about small samples (one student); the classroom uses
    only participants.csv and the trials, so those warnings are silenced."""
    import warnings

    from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return run_analysis(files, AnalysisSettings(task=task))


def summarise_task(files, task: str) -> TaskSummary:
    """Analyse one task's files and pool its students (:class:`UsageError`
    when nothing of that task could be analysed, or it has no classroom entry)."""
    entry = get_entry(task)
    result = _analyse(files, task)
    students = first_per_student(student_values(entry, result))
    stats = class_statistics(students["value"], entry.kind)
    decided = students["showed"].notna()
    simulated = result.quality.get("simulated")
    return TaskSummary(
        entry=entry, students=students, stats=stats,
        n_showed=int((students["showed"] == 1).sum()), n_decided=int(decided.sum()),
        n_no_value=int(students["value"].isna().sum()), n_files=len(files),
        n_simulated=0 if simulated is None else len(simulated),
        problems=[str(p) for p in result.problems])


def build_class(paths) -> ClassResult:
    """Sort the files by task and summarise every task that has a classroom page."""
    tasks, problems = files_by_task(paths)
    n_files = sum(len(f) for f in tasks.values()) + len(problems)
    summaries, ready = [], available()
    for task in [t for t in TEXTBOOK if t in tasks] + sorted(set(tasks) - set(TEXTBOOK)):
        if task not in ready:
            problems.append(f"{len(tasks[task])} file(s) of task {task!r}: no classroom "
                            f"page for this task (no attentionlab/classroom/{task}.py); "
                            f"skipped")
            continue
        try:
            summaries.append(summarise_task(tasks[task], task))
        except UsageError as exc:
            problems.append(f"task {task}: {exc}")
            problems += [str(p) for p in getattr(exc, "problems", [])]
        except Exception as exc:  # noqa: BLE001 -- one task's failure keeps the others
            traceback.print_exc()
            problems.append(f"task {task}: the analysis failed ({type(exc).__name__}: "
                            f"{exc}); page left out")
    if not summaries:
        error = UsageError(f"no class results: none of the {n_files} file(s) found could be "
                           f"analysed (tasks with a classroom page: {', '.join(ready)})")
        error.problems = problems
        raise error
    return ClassResult([str(p) for p in paths], summaries, problems, n_files)


def student_result(csv_path, task: str) -> tuple[Textbook, dict]:
    """The demo's results screen: the effect of the one session in ``csv_path``
    (a dict of the values row). :class:`UsageError` when nothing could be analysed
    or the task has no classroom entry."""
    entry = get_entry(task)
    result = _analyse([csv_path], task)
    values = student_values(entry, result)
    if values.empty:
        raise UsageError(f"no result could be computed from {csv_path}")
    return entry, values.iloc[0].to_dict()


# -- wording -----------------------------------------------------------------------------------
def comparison_text(summary: TaskSummary) -> str:
    """Plain words: the class value against the published one."""
    entry, stats = summary.entry, summary.stats
    low, high = entry.published
    if stats["n"] == 0:
        return "No student has a value for this effect."
    if stats["n"] == 1:
        return ("With one student there is no confidence interval: one person's result "
                "cannot show how a class or a population compares with the published "
                "value.")
    if stats["ci_low"] <= high and stats["ci_high"] >= low:
        return (f"The published value ({entry.published_label()}) lies within the class's "
                f"95% confidence interval: the class result agrees with it.")
    side = "higher" if stats["ci_low"] > high else "lower"
    return (f"The class value is {side} than the published {entry.published_label()}: the "
            f"95% confidence interval does not include it.")


def _class_value(summary: TaskSummary) -> str:
    entry, stats = summary.entry, summary.stats
    what = "Class proportion" if entry.kind == "proportion" else "Class mean"
    if stats["n"] == 0:
        return f"{what}: no value"
    value = f"{what}: {entry.format(stats['mean'])}"
    if np.isfinite(stats["ci_low"]):
        value += f" (95% CI {entry.format_range(stats['ci_low'], stats['ci_high'])})"
    else:
        value += " (no CI with one student)"
    return value + f", {stats['n']} student{'s' if stats['n'] != 1 else ''}"


def _showed(summary: TaskSummary) -> str:
    k, n = summary.n_showed, summary.n_decided
    if n == 0:
        return "Showed the effect: cannot tell for any student."
    return f"Showed the effect: {k} of {n} student{'s' if n != 1 else ''} ({k / n:.0%})."


# -- HTML ----------------------------------------------------------------------------------------
# The page is templates/class_report.html (Jinja2, autoescape on: every label,
# file name and text printed there is escaped); this module prepares plain values.
def render(result: ClassResult) -> str:
    """The class report as one HTML string."""
    from attentionlab.analysis import html_templates

    paths = [str(p) for p in result.paths]
    return html_templates.render(
        "class_report.html", overview=_overview(result),
        sections=[_task_section(s) for s in result.summaries],
        problems=[str(p) for p in result.problems], paths=paths,
        made=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))


def _overview(result: ClassResult) -> str:
    tasks = len(result.summaries)
    people = set()
    for s in result.summaries:
        people |= set(s.students["participant"])
    return (f"{len(people)} student label(s), {tasks} task(s), {result.n_files} file(s) "
            f"found.")


def _task_section(summary: TaskSummary) -> dict:
    """A task's page as plain values; the figure as base64 PNG (for a data: URL,
    which escaping leaves unchanged)."""
    from attentionlab.classroom.figures import class_figure, png_bytes
    from attentionlab.core.figures import display_width_px

    entry = summary.entry
    figure = png_bytes(class_figure(entry, summary.students, summary.stats))
    notes = [n for n in (entry.caveat, entry.class_note(summary.students),
                         _simulated(summary)) if n]
    students = [(str(r["participant"]), entry.format(r["value"]), _yes_no(r["showed"]))
                for r in summary.students.to_dict("records")]
    return {"task": entry.task, "title": entry.title, "n": summary.stats["n"],
            "measure": entry.measure_text, "class_value": _class_value(summary),
            "published": entry.published_text, "source": entry.source,
            "showed": _showed(summary), "comparison": comparison_text(summary),
            "png": base64.b64encode(figure).decode("ascii"),
            "png_width": display_width_px(figure),
            "explanation": entry.explanation, "notes": notes,
            "showed_rule": entry.showed_rule, "counts": _counts_note(summary),
            "unit": entry.unit or "outcome", "students": students,
            "problems": [str(p) for p in summary.problems],
            "references": [str(r) for r in entry.references]}


def _counts_note(summary: TaskSummary) -> str:
    notes = [f"{summary.n_files} file(s)."]
    if summary.n_no_value:
        notes.append(f"{summary.n_no_value} student(s) without a value (too few usable "
                     f"trials) are left out of the mean.")
    return " ".join(notes)


def _simulated(summary: TaskSummary) -> str:
    if not summary.n_simulated:
        return ""
    return (f"{summary.n_simulated} of the {summary.n_files} session file(s) are simulated "
            f"(autopilot or attentionlab simulate): not real students.")


def _yes_no(value) -> str:
    if value is None or not np.isfinite(value):
        return "cannot tell"
    return "yes" if value == 1 else "no"


# -- outputs -------------------------------------------------------------------------------------
def summary_table(result: ClassResult) -> pd.DataFrame:
    """class_summary.csv: one row per task (:data:`SUMMARY_COLUMNS`)."""
    rows = []
    for s in result.summaries:
        e = s.entry
        rows.append({"task": e.task, "measure": e.measure_text, "unit": e.unit or "proportion",
                     "n_students": s.stats["n"], "mean": s.stats["mean"],
                     "ci95_low": s.stats["ci_low"], "ci95_high": s.stats["ci_high"],
                     "ci_method": s.stats["ci_method"], "published_low": e.published[0],
                     "published_high": e.published[1], "source": e.source,
                     "n_showed": s.n_showed, "n_decided": s.n_decided,
                     "n_no_value": s.n_no_value, "n_simulated_sessions": s.n_simulated})
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def write_class_report(paths, out, force: bool = False) -> tuple[ClassResult, dict]:
    """Check ``out``, build the class result, write class_report.html and
    class_summary.csv into ``out``; return the result and the paths written."""
    from attentionlab.analysis.pipeline import check_output_folder

    out = check_output_folder(out, paths, force)
    result = build_class(paths)
    out.mkdir(parents=True, exist_ok=True)
    written = {"class_summary.csv": out / "class_summary.csv",
               "class_report.html": out / "class_report.html"}
    summary_table(result).to_csv(written["class_summary.csv"], index=False,
                                 float_format="%.10g", lineterminator="\n")
    written["class_report.html"].write_text(render(result), encoding="utf-8")
    return result, written


def headline(summary: TaskSummary) -> str:
    """One line per task for the terminal."""
    return (f"{summary.entry.task}: {_class_value(summary)}; published "
            f"{summary.entry.published_label()}, {summary.entry.source}. {_showed(summary)}")
