"""The self-contained HTML report of an analysis.

One file that opens offline: styles inline, figures embedded as base64 PNG.
The page is the Jinja2 template ``templates/report.html`` with autoescaping
on (:mod:`attentionlab.analysis.html_templates`), so every piece of text
that comes from the data or the command line (participant labels, file
names, values, problems) is HTML-escaped, because foreign files can contain
anything (DESIGN, rules that protect data, 7). This module only prepares
plain values (text and numbers as text); nothing is marked safe.
The methods paragraph is generated from the settings actually used and the
counts actually removed, so that it can be pasted into a paper.

The report is the same for every task: header, notes, methods, data
quality, problems, group tables, figures, participants.csv, references. The
task's analysis module (registry contract) gives its title, its methods
sentences, its group tables, its figures' captions and its references.
Lists of files, problems and sessions longer than
:data:`~attentionlab.analysis.html_templates.FOLD_AFTER` are folded.
"""

import base64
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

import attentionlab
from attentionlab.analysis import html_templates
from attentionlab.analysis.cleaning_steps import PARTICIPANT_STEPS
from attentionlab.analysis.registry import Table
from attentionlab.analysis.statistics import format_bf


@dataclass
class HtmlTable:
    """A table as the templates print it: ``columns`` (name, css class) and
    ``rows`` of (cell text, css class); ``more``: rows left out."""

    columns: list
    rows: list
    more: int = 0
    title: str = ""

    def __len__(self) -> int:
        return len(self.rows) + self.more


@dataclass
class FileRead:
    """One input file of the "Files read" list."""

    path: str
    n_test: int | None  # None: no trials read from it
    problems: list = field(default_factory=list)


def render(result, pngs: dict) -> str:
    """The whole report as one HTML string (``pngs``: figure stem -> PNG bytes)."""
    paths = [str(p) for p in result.paths]
    return html_templates.render(
        "report.html",
        task=result.task,
        title=result.analysis.title,
        header=_header(result),
        files=_files_read(result),
        notices=[str(n) for n in (getattr(result, "notices", None) or [])],
        methods=methods_text(result),
        quality=_quality(result),
        problems=[str(p) for p in result.problems],
        problem_limit=PROBLEM_LIMIT,
        group=_group(result),
        figures=_figures(pngs, result.analysis.figure_captions),
        participants=_participants(result),
        references=[str(r) for r in result.analysis.references],
        inputs=paths)


PROBLEM_LIMIT = 500  # problems listed in the report (all are on stderr)


def _header(result):
    s = result.settings
    people = result.participants["participant"].nunique()
    created = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    paths = [str(p) for p in result.paths]
    given = (", ".join(paths) if len(paths) <= html_templates.FOLD_AFTER
             else f"{len(paths):,} files and folders (the files found are listed below)")
    return [("Task", result.task), ("Input", given),
            ("Read as", result.data.source),
            ("Mapping", s.mapping or "none (attentionlab session files)"),
            ("Files", f"{len(result.data.files):,} found, "
                      f"{len(result.data.sessions):,} with trials"),
            ("Participants", f"{people:,} ({_units(result.participants):,} participant x "
                             f"session)"),
            ("Test trials", f"{len(result.test):,} analysed"
                            + (f", {result.cleaning.n_used:,} after cleaning"
                               if result.analysis.rt_cleaning else "")),
            ("Settings", _settings_text(s)),
            ("Created", f"{created} with attentionlab {attentionlab.__version__}")]


def _files_read(result) -> list:
    """Every file found, with its number of test trials (None: no trials)."""
    sessions = result.data.sessions
    n_test = {}
    if len(sessions) and "file" in sessions and "n_test" in sessions:
        n_test = {str(f): int(n) for f, n in zip(sessions["file"], sessions["n_test"])
                  if pd.notna(n)}
    return [FileRead(str(f), n_test.get(str(f))) for f in result.data.files]


def _units(participants) -> int:
    """participant x session combinations (participants.csv may be long: one
    row per condition)."""
    return len(participants[["participant", "session"]].drop_duplicates())


def _settings_text(s):
    c = s.cleaning
    parts = [f"--min-rt-ms {c.min_rt_ms:g}" if c.min_rt_ms is not None else "no minimum RT",
             f"--max-rt-ms {c.max_rt_ms:g}" if c.max_rt_ms is not None else "no maximum RT",
             f"--trim {c.trim}", "--include-errors" if c.include_errors else "errors removed",
             f"--seed {s.seed}"]
    if s.min_accuracy is not None:
        parts.append(f"--min-accuracy {s.min_accuracy:g}")
    if s.n_splits:
        parts.append(f"--splits {s.n_splits}")
    if s.slopes_from != "means":  # task options (registry TASK_OPTIONS), when not default
        parts.append(f"--slopes-from {s.slopes_from}")
    if s.by:
        parts.append(f"--by {s.by}")
    return ", ".join(parts)


def methods_text(result) -> str:
    """A methods paragraph built from the actual settings and counts."""
    s, clean = result.settings, result.cleaning
    total = clean.n_trials
    people = result.participants["participant"].nunique()
    units = _units(result.participants)
    text = [f"Data were analysed with attentionlab {attentionlab.__version__} "
            f"({result.data.source}). The analysis included {total:,} test trials from "
            f"{people:,} participant{'s' if people != 1 else ''}"
            + (f" ({units:,} participant x session combinations)" if units != people else "")
            + "."]
    if result.data.n_not_kept:
        files_out = sum("left out by the mapping's rules" in p.message for p in result.problems)
        rules = f" ({result.data.not_kept_by})" if result.data.not_kept_by else ""
        whole_files = (f", among them every row of {files_out} file(s) (listed with the rule "
                       f"under problems)") if files_out else ""
        text.append(f"{result.data.n_not_kept:,} row(s) were left out by the mapping's "
                    f"[keep]/[drop] rules{rules}{whole_files}.")
    simulated = result.quality.get("simulated")
    if simulated is not None and len(simulated):
        text.append(f"Note: {len(simulated)} of {len(result.data.sessions)} session file(s) "
                    f"contain simulated responses (autopilot or simulator), not data from "
                    f"people.")
    n_problem_files = len({p.file for p in result.problems})
    if n_problem_files:
        text.append(f"Input problems in {n_problem_files} file(s) (listed in the report) "
                    f"led to rows or files being left out before this count.")
    if result.analysis.rt_cleaning:
        text += _cleaning_sentences(s, clean)
    else:
        text.append(f"The task's measures are not response times: no RT cleaning "
                    f"applied, and all {total:,} test trials were used.")
    if len(result.excluded):
        reasons = result.excluded.groupby("reason", sort=False).size()
        text.append(f"{len(result.excluded)} participant x session combination(s) were "
                    f"excluded from the group analyses (" + "; ".join(
                        f"{reason}: {n}" for reason, n in reasons.items()) + ").")
    else:
        text.append("No participant was excluded.")
    task_text = result.analysis.methods_paragraph(result)
    if task_text:
        text.append(task_text)
    return " ".join(text)


def _cleaning_sentences(s, clean) -> list:
    total = clean.n_trials
    steps = {step.name: step for step in clean.steps}
    if clean.declared:
        return _declared_sentences(clean)
    text = []
    if s.cleaning.include_errors:
        text.append("Error trials were kept in the RT means.")
    else:
        text.append(f"Error trials (wrong key or no response) were removed from the RT "
                    f"analysis ({_count(steps['errors'].n_removed, total)}).")
    if steps["no_rt"].n_removed:
        text.append(f"Trials without a response time were removed "
                    f"({_count(steps['no_rt'].n_removed, total)}).")
    low, high = s.cleaning.min_rt_ms, s.cleaning.max_rt_ms
    if low is not None or high is not None:
        bound = "RTs " + " or ".join(
            ([f"below {low:g} ms"] if low is not None else [])
            + ([f"above {high:g} ms"] if high is not None else []))
        text.append(f"Then {bound} were removed ({_count(steps['bounds'].n_removed, total)}).")
    if s.cleaning.trim != "none":
        text.append(f"Then {steps['trim'].description} "
                    f"({_count(steps['trim'].n_removed, total)}).")
    text.append(f"This left {clean.n_used:,} trials ({_share(clean.n_used, total)}) for the "
                f"RT means. Accuracy was "
                f"computed on all test trials.")
    return text


def _declared_sentences(clean) -> list:
    """The methods for a cleaning declared step by step in the mapping."""
    total = clean.n_trials
    said = [f"{step.description} (left out of the group statistics; their trials are not "
            f"counted as removed)" if step.name in PARTICIPANT_STEPS else
            f"{step.description} ({_count(step.n_removed, total)})"
            for step in clean.steps if step.name != "no_rt" or step.n_removed]
    return [f"Cleaning followed the published pipeline declared in the mapping, step by "
            f"step in this order: " + "; then ".join(said) + ".",
            f"This left {clean.n_used:,} trials ({_share(clean.n_used, total)}) for the RT "
            f"means. Accuracy was computed on all test trials."]


def _count(n, total):
    return f"{n:,} trial{'s' if n != 1 else ''}, {_share(n, total)}"


def _share(n, total):
    return f"{100.0 * n / total if total else 0.0:.1f}%"


def _quality(result) -> dict:
    """The data-quality section's values (the template has the wording)."""
    q = result.quality
    simulated = q.get("simulated")
    out = {"simulated": None, "sidecars": bool(q.get("sidecars")), "incomplete": None,
           "no_sidecar": q.get("no_sidecar") or 0, "dropped": None,
           "accuracy": "ok", "threshold": q["low_accuracy_threshold"], "low": None,
           "excluded": None, "rt_cleaning": result.analysis.rt_cleaning, "steps": [],
           "n_used": f"{result.cleaning.n_used:,}"}
    if simulated is not None:
        out["simulated"] = _listing(simulated, text=("file", "participant", "session"))
    if out["sidecars"]:
        out["incomplete"] = _listing(q["incomplete"], text=("file", "participant", "session",
                                                            "abort_reason"))
    if "dropped_frames_total" in q:
        n, with_drops = q["n_test_trials"], q["trials_with_dropped_frames"]
        out["dropped"] = {"total": q["dropped_frames_total"], "trials": with_drops, "n": n,
                          "percent": f"{100 * with_drops / n:.1f}" if n else "0"}
    if not q.get("scored", True):
        out["accuracy"] = "unscored"
    elif not q.get("accuracy_check", True):
        out["accuracy"] = "no_check"
    elif len(q["low_accuracy"]):
        out["accuracy"] = "low"
        out["low"] = _listing(q["low_accuracy"], text=("participant", "session"),
                              digits={"accuracy": 3})
    if len(result.excluded):
        out["excluded"] = _table(result.excluded, text=("participant", "session", "reason"),
                                 digits={"accuracy": 3})
    if out["rt_cleaning"]:
        out["steps"] = [(st.name, st.description,
                         "participants (see above)" if st.name in PARTICIPANT_STEPS
                         else f"{st.n_removed:,}")
                        for st in result.cleaning.steps]
    return out


def _group(result) -> list:
    """The task's group tables (each with its title), empty ones left out."""
    tables = result.analysis.report_tables(result.group)
    return [_auto_table(t.frame, t.digits, title=str(t.title)) for t in tables
            if isinstance(t, Table) and len(t.frame)]


def _auto_table(frame, digits=None, title=""):
    """A table with the report's conventions: text columns left-aligned,
    p values and Bayes factors in their own format."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    special = {c: _p_cell for c in frame.columns
               if c == "p" or str(c).startswith("p_") or str(c).endswith("_p")}
    if "bf10" in frame:
        special["bf10"] = format_bf
    table = _table(frame, text=text, digits=digits, special=special)
    table.title = title
    return table


def _p_cell(p):
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "< .001" if p < 0.001 else f"{p:.3f}"


def _figures(pngs, captions) -> list:
    """(caption, stem, base64 PNG, display width in CSS px) per figure: the PNG
    goes into a data: URL (base64 has no character that HTML escaping changes)
    and is shown at its printed size, not stretched to the page."""
    from attentionlab.core.figures import display_width_px

    return [(str(captions.get(stem, stem)), str(stem), base64.b64encode(png).decode("ascii"),
             display_width_px(png)) for stem, png in pngs.items()]


def _participants(result):
    """participants.csv: whole numbers for int columns, 1 decimal for ms, 3
    decimals for other numbers."""
    participants = result.participants
    kinds = {c.name: c.kind for c in result.analysis.participant_columns}
    digits = {}
    for column in participants.columns:
        if kinds.get(column) == "int":
            digits[column] = 0
        elif str(column).endswith("_ms") or str(column).endswith("_ms_per_item"):
            digits[column] = 1
        elif pd.api.types.is_numeric_dtype(participants[column]):
            digits[column] = 3
    text = [c for c in participants.columns
            if not pd.api.types.is_numeric_dtype(participants[c])]
    return _table(participants, text=text, digits=digits)


def _listing(frame, limit=100, **options) -> HtmlTable:
    """A table of at most ``limit`` rows; ``more`` says how many were left out."""
    table = _table(frame.head(limit), **options)
    table.more = max(0, len(frame) - limit)
    return table


def _table(frame: pd.DataFrame, text=(), digits=None, special=None) -> HtmlTable:
    """A table's cells as text (the template escapes them). Numbers rounded
    per ``digits`` (default 3 significant digits), NaN as an empty cell;
    ``text`` columns are left-aligned (css class ``t``)."""
    digits, special = digits or {}, special or {}
    css = ["t" if c in text else "" for c in frame.columns]
    columns = [(str(c), k) for c, k in zip(frame.columns, css)]
    rows = [[(_cell(value, column, digits, special), k)
             for column, value, k in zip(frame.columns, row, css)]
            for row in frame.itertuples(index=False)]
    return HtmlTable(columns, rows)


def _cell(value, column, digits, special):
    if column in special:
        return str(special[column](value))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating, int, np.integer)) and not isinstance(value, bool):
        if column in digits:
            return f"{value:,.{digits[column]}f}"
        return f"{value:.3g}"
    return str(value)
