"""The self-contained HTML report of an analysis.

One file that opens offline: styles inline, figures embedded as base64 PNG.
Every piece of text that comes from the data or the command line
(participant labels, file names, values, problems) is HTML-escaped, because
foreign files can contain anything (DESIGN, rules that protect data, 7).
The methods paragraph is generated from the settings actually used and the
counts actually removed, so that it can be pasted into a paper.

The report is the same for every task: header, methods, data quality,
problems, group tables, figures, participants.csv, references. The task's
analysis module (registry contract) gives its title, its methods sentences,
its group tables, its figures' captions and its references.
"""

import base64
import html
import math
from datetime import datetime, timezone

import numpy as np
import pandas as pd

import attentionlab
from attentionlab.analysis.registry import Table
from attentionlab.analysis.statistics import format_bf

STYLE = """
body{font-family:system-ui,sans-serif;max-width:72em;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{border:1px solid #ccc;
padding:.2em .5em;text-align:right}th{background:#f3f3f3}td.t,th.t{text-align:left}
.methods{background:#f7f7f2;border-left:4px solid #998;padding:.6em 1em}
.warn{background:#fff3e0;border-left:4px solid #e65100;padding:.4em 1em}
figure{display:inline-block;margin:.5em}img{max-width:100%}li{margin:.15em 0}
code{font-size:.95em}
"""


def esc(value) -> str:
    """Text for HTML: escaped (``<``, ``>``, ``&`` and quotes)."""
    return html.escape("" if value is None else str(value), quote=True)


def render(result, pngs: dict) -> str:
    """The whole report as one HTML string."""
    sections = [
        _header(result),
        _section("Methods (generated from the settings and counts of this run)",
                 f'<p class="methods">{esc(methods_text(result))}</p>'),
        _section("Data quality", _quality(result)),
        _section("Problems in the input", _problems(result.problems)),
        _section("Group results (group.csv)", _group(result)),
        _section("Figures", _figures(pngs, result.analysis.figure_captions)),
        _section("Participants (participants.csv)", _participants(result)),
        _section("References", "<ul>" + "".join(
            f"<li>{esc(r)}</li>" for r in result.analysis.references) + "</ul>"),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc('attentionlab analysis: ' + result.task)}</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(sections)
            + "\n</body></html>\n")


def _section(title, body):
    return f"<h2>{esc(title)}</h2>\n{body}"


def _header(result):
    s = result.settings
    people = result.participants["participant"].nunique()
    created = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    rows = [("Task", result.task), ("Input", ", ".join(result.paths)),
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
    table = "".join(f"<tr><th class=\"t\">{esc(k)}</th><td class=\"t\">{esc(v)}</td></tr>"
                    for k, v in rows)
    return f"<h1>{esc(result.analysis.title)}</h1><table>{table}</table>"


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
        text.append(f"{result.data.n_not_kept:,} row(s) outside the mapping's [keep] values "
                    f"were not trials and were not read.")
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
        text.append(f"{len(result.excluded)} participant x session combination(s) with "
                    f"accuracy below {s.min_accuracy:g} were excluded from the group "
                    f"analyses.")
    else:
        text.append("No participant was excluded.")
    task_text = result.analysis.methods_paragraph(result)
    if task_text:
        text.append(task_text)
    return " ".join(text)


def _cleaning_sentences(s, clean) -> list:
    total = clean.n_trials
    steps = {step.name: step for step in clean.steps}
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


def _count(n, total):
    return f"{n:,} trial{'s' if n != 1 else ''}, {_share(n, total)}"


def _share(n, total):
    return f"{100.0 * n / total if total else 0.0:.1f}%"


def _quality(result):
    q = result.quality
    parts = []
    simulated = q.get("simulated")
    if simulated is not None and len(simulated):
        parts.append(f'<p class="warn">{esc(len(simulated))} session(s) contain simulated '
                     f'responses (autopilot or simulator): they are not data from people.</p>'
                     + _listing(simulated, text=("file", "participant", "session")))
    elif simulated is not None:
        parts.append("<p>No simulated responses.</p>")
    if not q.get("sidecars"):
        parts.append("<p>Completion, simulation and frame timing are not recorded in files "
                     "read through a mapping.</p>")
    else:
        incomplete = q["incomplete"]
        if len(incomplete):
            parts.append(f'<p class="warn">{esc(len(incomplete))} incomplete session(s) '
                         f'(the sidecar says completed: false):</p>'
                         + _listing(incomplete, text=("file", "participant", "session",
                                                      "abort_reason")))
        else:
            parts.append("<p>Every session with a sidecar was completed.</p>")
        if q.get("no_sidecar"):
            parts.append(f"<p>{esc(q['no_sidecar'])} file(s) have no JSON sidecar, so "
                         f"whether they completed is unknown.</p>")
    if "dropped_frames_total" in q:
        n = q["n_test_trials"]
        with_drops = q["trials_with_dropped_frames"]
        parts.append(f"<p>Dropped frames: {esc(q['dropped_frames_total'])} in "
                     f"{esc(with_drops)} of {esc(n)} test trials "
                     f"({esc(f'{100 * with_drops / n:.1f}' if n else '0')}%).</p>")
    low = q["low_accuracy"]
    threshold = q["low_accuracy_threshold"]
    if not q.get("scored", True):
        parts.append("<p>The trials are not scored correct/incorrect: no accuracy check.</p>")
    elif not q.get("accuracy_check", True):
        parts.append("<p>No accuracy check: in this task <code>correct</code> scores answers "
                     "that are often wrong by design, so a low proportion is no reason to "
                     "exclude anyone.</p>")
    elif len(low):
        parts.append(f'<p class="warn">{esc(len(low))} participant x session(s) with accuracy '
                     f'below {esc(threshold)} (flagged; excluded only with '
                     f'--min-accuracy):</p>' + _listing(low, text=("participant", "session"),
                                                       digits={"accuracy": 3}))
    else:
        parts.append(f"<p>No participant x session has accuracy below {esc(threshold)}.</p>")
    if len(result.excluded):
        parts.append("<p>Excluded from the group statistics:</p>"
                     + _table(result.excluded, text=("participant", "session", "reason"),
                              digits={"accuracy": 3}))
    if not result.analysis.rt_cleaning:
        parts.append("<p>No RT cleaning: the task's measures are not response times; "
                     "every test trial was used.</p>")
        return "\n".join(parts)
    steps = "".join(f"<tr><td class=\"t\">{esc(st.name)}</td><td class=\"t\">"
                    f"{esc(st.description)}</td><td>{esc(f'{st.n_removed:,}')}</td></tr>"
                    for st in result.cleaning.steps)
    parts.append("<p>Cleaning, in order (trials removed at each step):</p><table><tr>"
                 "<th class=\"t\">step</th><th class=\"t\">rule</th><th>removed</th></tr>"
                 f"{steps}<tr><td class=\"t\">left</td><td class=\"t\">trials in the RT "
                 f"means</td><td>{esc(f'{result.cleaning.n_used:,}')}</td></tr></table>")
    return "\n".join(parts)


def _problems(problems, limit=500):
    if not problems:
        return "<p>None: every file was read completely.</p>"
    items = "".join(f"<li><code>{esc(p)}</code></li>" for p in problems[:limit])
    more = f"<p>... and {esc(len(problems) - limit)} more.</p>" if len(problems) > limit else ""
    return (f'<p class="warn">{esc(len(problems))} problem(s); the rest of the data was '
            f'analysed.</p><ul>{items}</ul>{more}')


def _group(result):
    tables = result.analysis.report_tables(result.group)
    parts = [f"<p>{esc(t.title)}</p>" + _auto_table(t.frame, t.digits) for t in tables
             if isinstance(t, Table) and len(t.frame)]
    return "\n".join(parts) or "<p>No group statistics could be computed.</p>"


def _auto_table(frame, digits=None):
    """A table with the report's conventions: text columns left-aligned,
    p values and Bayes factors in their own format."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    special = {c: _p_cell for c in frame.columns
               if c == "p" or str(c).startswith("p_") or str(c).endswith("_p")}
    if "bf10" in frame:
        special["bf10"] = format_bf
    return _table(frame, text=text, digits=digits, special=special)


def _p_cell(p):
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "< .001" if p < 0.001 else f"{p:.3f}"


def _figures(pngs, captions):
    return "".join(
        f'<figure><img alt="{esc(captions.get(stem, stem))}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode("ascii")}"><figcaption>{esc(captions.get(stem, stem))}'
        f' ({esc(stem)}.png, {esc(stem)}.svg)</figcaption></figure>'
        for stem, png in pngs.items())


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


def _listing(frame, limit=100, **options):
    """A table of at most ``limit`` rows, saying how many more there are."""
    more = (f"<p>... and {esc(f'{len(frame) - limit:,}')} more.</p>"
            if len(frame) > limit else "")
    return _table(frame.head(limit), **options) + more


def _table(frame: pd.DataFrame, text=(), digits=None, special=None) -> str:
    """An HTML table; every header and cell escaped. Numbers rounded per
    ``digits`` (default 3 significant digits), NaN as an empty cell."""
    digits, special = digits or {}, special or {}
    head = "".join(f'<th class="{"t" if c in text else ""}">{esc(c)}</th>'
                   for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row):
            cells.append(f'<td class="{"t" if column in text else ""}">'
                         f'{esc(_cell(value, column, digits, special))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _cell(value, column, digits, special):
    if column in special:
        return special[column](value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating, int, np.integer)) and not isinstance(value, bool):
        if column in digits:
            return f"{value:,.{digits[column]}f}"
        return f"{value:.3g}"
    return str(value)

