"""The self-contained HTML report of an analysis.

One file that opens offline: styles inline, figures embedded as base64 PNG.
Every piece of text that comes from the data or the command line
(participant labels, file names, values, problems) is HTML-escaped, because
foreign files can contain anything (DESIGN, rules that protect data, 7).
The methods paragraph is generated from the settings actually used and the
counts actually removed, so that it can be pasted into a paper.
"""

import base64
import html
import math
from datetime import datetime, timezone

import numpy as np
import pandas as pd

import attentionlab

EFFECT_WORDS = {"interference_ms": "Interference (incongruent - congruent)",
                "facilitation_ms": "Facilitation (neutral - congruent)",
                "inhibition_ms": "Inhibition (incongruent - neutral)",
                "error_cost": "Error cost (accuracy congruent - incongruent)"}
REFERENCES = (
    "Cousineau, D. (2005). Confidence intervals in within-subject designs: A simpler "
    "solution to Loftus and Masson's method. Tutorials in Quantitative Methods for "
    "Psychology, 1(1), 42-45.",
    "Hedge, C., Powell, G., & Sumner, P. (2018). The reliability paradox: Why robust "
    "cognitive tasks do not produce reliable individual differences. Behavior Research "
    "Methods, 50(3), 1166-1186.",
    "Morey, R. D. (2008). Confidence intervals from normalized data: A correction to "
    "Cousineau (2005). Tutorials in Quantitative Methods for Psychology, 4(2), 61-64.",
    "Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D., & Iverson, G. (2009). "
    "Bayesian t tests for accepting and rejecting the null hypothesis. Psychonomic "
    "Bulletin & Review, 16(2), 225-237.",
    "Stroop, J. R. (1935). Studies of interference in serial verbal reactions. Journal "
    "of Experimental Psychology, 18(6), 643-662.",
)
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
        _section("Group results", _group(result.group)),
        _section("Figures", _figures(pngs)),
        _section("Participants (participants.csv)", _participants(result.participants)),
        _section("References", "<ul>" + "".join(f"<li>{esc(r)}</li>" for r in REFERENCES)
                 + "</ul>"),
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
            ("Participants", f"{people:,} ({len(result.participants):,} participant x "
                             f"session)"),
            ("Test trials", f"{len(result.test):,} analysed, "
                            f"{result.cleaning.n_used:,} after cleaning"),
            ("Settings", _settings_text(s)),
            ("Created", f"{created} with attentionlab {attentionlab.__version__}")]
    table = "".join(f"<tr><th class=\"t\">{esc(k)}</th><td class=\"t\">{esc(v)}</td></tr>"
                    for k, v in rows)
    return f"<h1>{esc('Stroop analysis' if result.task == 'stroop' else result.task)}</h1>" \
           f"<table>{table}</table>"


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
    steps = {step.name: step for step in clean.steps}
    people = result.participants["participant"].nunique()
    units = len(result.participants)
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
    if len(result.excluded):
        text.append(f"{len(result.excluded)} participant x session combination(s) with "
                    f"accuracy below {s.min_accuracy:g} were excluded from the group "
                    f"analyses.")
    else:
        text.append("No participant was excluded.")
    text.append("For each participant, condition mean RTs gave the interference "
                "(incongruent - congruent), facilitation (neutral - congruent) and inhibition "
                "(incongruent - neutral) effects (sessions of the same participant "
                "averaged); each effect was tested against zero with a one-sample t-test "
                "and a default Bayesian t-test (JZS prior, r = 0.707; Rouder et al., 2009).")
    for row in result.group[result.group["test"] == "t_test"].itertuples():
        if np.isnan(row.t):
            continue
        unit = "" if row.measure == "error_cost" else " ms"
        digits = 3 if row.measure == "error_cost" else 1
        text.append(f"{EFFECT_WORDS[row.measure]}: M = {row.mean:.{digits}f}{unit} "
                    f"(SD = {row.sd:.{digits}f}, 95% CI [{row.ci95_low:.{digits}f}, "
                    f"{row.ci95_high:.{digits}f}]), t({row.df:.0f}) = {row.t:.2f}, "
                    f"{_p(row.p)}, dz = {row.dz:.2f}, BF10 = {_bf(row.bf10)}.")
    anova = result.group[result.group["test"] == "rm_anova"]
    if len(anova):
        a = anova.iloc[0]
        text.append(f"A repeated-measures ANOVA of the condition mean RTs (n = {a.n:.0f}) "
                    f"gave F({a.df1:.0f}, {a.df2:.0f}) = {a.f:.2f}, Greenhouse-Geisser "
                    f"epsilon = {a.epsilon_gg:.3f}, corrected {_p(a.p_gg)}, generalised "
                    f"eta squared = {a.eta2_g:.3f}.")
    split = result.group[result.group["test"] == "split_half"]
    if len(split) and not np.isnan(split.iloc[0]["mean"]):
        r = split.iloc[0]
        text.append(f"The split-half reliability of the interference effect, averaged "
                    f"over {r.n_splits:.0f} random splits and Spearman-Brown corrected, was "
                    f"r = {r['mean']:.2f} (2.5th-97.5th percentile over splits "
                    f"{r.ci95_low:.2f} to {r.ci95_high:.2f}; n = {r.n:.0f}; see Hedge, "
                    f"Powell & Sumner, 2018).")
    text.append("Within-participant 95% confidence intervals in the figures follow "
                "Cousineau (2005) with the correction of Morey (2008).")
    return " ".join(text)


def _count(n, total):
    return f"{n:,} trial{'s' if n != 1 else ''}, {_share(n, total)}"


def _share(n, total):
    return f"{100.0 * n / total if total else 0.0:.1f}%"


def _p(p):
    if p is None or math.isnan(p):
        return "p not available"
    return "p < .001" if p < 0.001 else f"p = {p:.3f}".replace("0.", ".", 1)


def _bf(bf):
    if bf is None or math.isnan(bf):
        return "n/a"
    return f"{bf:.2e}" if bf >= 1000 or bf < 0.01 else f"{bf:.2f}"


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
    if len(low):
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


def _group(group):
    t = group[group["test"] == "t_test"]
    parts = []
    if len(t):
        parts.append("<p>One-sample t-tests against zero (participants.csv effects, "
                     "sessions averaged per participant):</p>"
                     + _table(t[["measure", "n", "mean", "sd", "ci95_low", "ci95_high", "t",
                                 "df", "p", "dz", "bf10"]], text=("measure",),
                              digits={"mean": 2, "sd": 2, "ci95_low": 2, "ci95_high": 2,
                                      "t": 2, "df": 0, "dz": 2, "n": 0},
                              special={"p": _p_cell, "bf10": _bf}))
    a = group[group["test"] == "rm_anova"]
    if len(a):
        parts.append("<p>Repeated-measures ANOVA of condition mean RTs:</p>"
                     + _table(a[["n", "f", "df1", "df2", "p", "epsilon_gg", "p_gg",
                                 "sphericity_w", "sphericity_p", "eta2_g"]],
                              digits={"n": 0, "f": 2, "df1": 0, "df2": 0, "epsilon_gg": 3,
                                      "sphericity_w": 3, "eta2_g": 3},
                              special={"p": _p_cell, "p_gg": _p_cell, "sphericity_p": _p_cell}))
    s = group[group["test"] == "split_half"]
    if len(s):
        parts.append("<p>Split-half reliability (Spearman-Brown corrected; mean, SD and "
                     "2.5/97.5 percentiles over random splits):</p>"
                     + _table(s[["measure", "n", "n_splits", "mean", "sd", "ci95_low",
                                 "ci95_high"]], text=("measure",),
                              digits={"n": 0, "n_splits": 0, "mean": 3, "sd": 3,
                                      "ci95_low": 3, "ci95_high": 3}))
    return "\n".join(parts) or "<p>No group statistics could be computed.</p>"


def _p_cell(p):
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "< .001" if p < 0.001 else f"{p:.3f}"


def _figures(pngs):
    captions = {"condition_means": "Condition means with within-participant 95% CIs "
                                   "(Cousineau-Morey)",
                "interference": "Each participant's interference effect",
                "rt_distributions": "RT distributions per condition (cleaned trials)"}
    return "".join(
        f'<figure><img alt="{esc(captions.get(stem, stem))}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode("ascii")}"><figcaption>{esc(captions.get(stem, stem))}'
        f' ({esc(stem)}.png, {esc(stem)}.svg)</figcaption></figure>'
        for stem, png in pngs.items())


def _participants(participants):
    digits = {c: 1 for c in participants.columns if c.endswith("_ms")}
    digits.update({c: 3 for c in participants.columns if c.startswith("acc_")})
    digits.update(error_cost=3, n_trials=0, n_used=0)
    return _table(participants, text=("participant", "session"), digits=digits)


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

