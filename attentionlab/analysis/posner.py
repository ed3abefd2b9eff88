"""Posner cueing: validity effect, benefit and cost per cue type and SOA; false alarms.

Per participant x session x cue type x SOA, the mean RT of the cleaned
(correct, RT-bounded) trials with a dot is computed for valid, neutral and
invalid cues, and from them the validity effect (invalid - valid), the
benefit (neutral - valid) and the cost (invalid - neutral) (Posner, 1980;
Jonides & Mack, 1984, on what the neutral baseline can mean). Catch trials
give the false-alarm rate (presses when no dot came), target trials the
miss rate. Each effect is tested against 0 per cue type and SOA across
participants (sessions averaged) with its 95% CI.

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": "P1", "session": "1", "cue_type": "endogenous",
...     "soa_ms": 600.0, "validity": ["valid", "invalid", "neutral", "catch"],
...     "rt_ms": [300.0, 330.0, 310.0, None], "correct": [1, 1, 1, 1]})
>>> participant_effects(d)[["validity_ms", "benefit_ms", "cost_ms", "catch_trials"]]
   validity_ms  benefit_ms  cost_ms  catch_trials
0         30.0        10.0     20.0             1
"""

import numpy as np
import pandas as pd

from attentionlab.core import figures as fig_helpers
from attentionlab.analysis.cleaning import clean
from attentionlab.analysis.registry import Factor, Table, test_rows
from attentionlab.analysis.settings import resolve
from attentionlab.analysis.statistics import (COUSINEAU_2005, MOREY_2008, ROUDER_2009, apa_t,
                                              cousineau_morey_ci, mean_ci, mean_ci_row, natural_order,
                                              per_participant, t_test_row)
from attentionlab.analysis.trials import UNIT
from attentionlab.core.columns import Column
from attentionlab.stimuli.posner import CUE_TYPES, VALIDITIES

# The analysis contract (attentionlab/analysis/registry.py).
TASK = "posner"
TITLE = "Posner cueing analysis"
CELL = (*UNIT, "cue_type", "soa_ms")
FACTORS = (Factor("cue_type", levels=CUE_TYPES),
           Factor("validity", levels=(*VALIDITIES, "catch")),
           Factor("soa_ms", numeric=True))
REQUIRED_COLUMNS = ("participant", "cue_type", "validity", "soa_ms", "rt_ms", "correct")
EFFECTS = ("validity_ms", "benefit_ms", "cost_ms")
EFFECT_WORDS = {"validity_ms": "Validity effect (invalid - valid)",
                "benefit_ms": "Benefit (neutral - valid)",
                "cost_ms": "Cost (invalid - neutral)"}
RATES = ("false_alarm_rate", "miss_rate")

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label ('1' when the data have no session column)"),
    Column("cue_type", "str", "endogenous or exogenous: one row per cue type and SOA"),
    Column("soa_ms", "float", "cue-target SOA of the row, ms"),
    Column("rt_valid_ms", "float", "mean RT of the cleaned valid trials, ms"),
    Column("rt_neutral_ms", "float", "mean RT of the cleaned neutral trials, ms"),
    Column("rt_invalid_ms", "float", "mean RT of the cleaned invalid trials, ms"),
    Column("validity_ms", "float", "rt_invalid_ms - rt_valid_ms (negative: inhibition of "
                                   "return)"),
    Column("benefit_ms", "float", "rt_neutral_ms - rt_valid_ms"),
    Column("cost_ms", "float", "rt_invalid_ms - rt_neutral_ms"),
    Column("n_valid", "int", "cleaned valid trials in the mean"),
    Column("n_neutral", "int", "cleaned neutral trials in the mean"),
    Column("n_invalid", "int", "cleaned invalid trials in the mean"),
    Column("target_trials", "int", "test trials with a dot"),
    Column("misses", "int", "trials with a dot and no press before the deadline"),
    Column("catch_trials", "int", "test trials without a dot"),
    Column("false_alarms", "int", "catch trials with a press"),
)

GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str", "t_test (an effect against 0), rt_mean (a condition's mean RT) "
                          "or rate (false alarms, misses)"),
    Column("cue_type", "str", "endogenous or exogenous; 'all' for rates over both"),
    Column("soa_ms", "float", "cue-target SOA, ms; empty for rates over all SOAs"),
    Column("measure", "str", "the participants.csv column (rates: false_alarm_rate = "
                             "false_alarms / catch_trials, miss_rate = misses / "
                             "target_trials, per participant)"),
    Column("n", "int", "participants with a value"),
    Column("mean", "float", "mean over participants (ms; rates as proportions)"),
    Column("sd", "float", "SD over participants (n - 1)"),
    Column("ci95_low", "float", "lower end of the t-based 95% CI of the mean"),
    Column("ci95_high", "float", "upper end of the t-based 95% CI of the mean"),
    Column("t", "float", "t_test: one-sample t against 0"),
    Column("df", "float", "t_test: degrees of freedom (n - 1)"),
    Column("p", "float", "t_test: two-sided p, uncorrected for the number of cells"),
    Column("dz", "float", "t_test: Cohen's dz = mean / sd"),
    Column("bf10", "float", "t_test: Bayes factor for an effect against none (JZS prior, "
                            "r = 0.707; Rouder et al. 2009)"),
)

REFERENCES = (
    COUSINEAU_2005,
    "Jonides, J., & Mack, R. (1984). On the cost and benefit of cost and benefit. "
    "Psychological Bulletin, 96(1), 29-44.",
    "Klein, R. M. (2000). Inhibition of return. Trends in Cognitive Sciences, 4(4), "
    "138-147.",
    MOREY_2008,
    "Posner, M. I. (1980). Orienting of attention. Quarterly Journal of Experimental "
    "Psychology, 32(1), 3-25.",
    "Posner, M. I., & Cohen, Y. (1984). Components of visual orienting. In H. Bouma & "
    "D. G. Bouwhuis (Eds.), Attention and performance X (pp. 531-556). Erlbaum.",
    ROUDER_2009,
)
FIGURE_CAPTIONS = {
    "rt_by_soa": "Mean RT by cue-target SOA, valid vs invalid (neutral in grey), per cue "
                 "type, with within-participant 95% CIs (Cousineau-Morey)",
    "validity_effect": "Validity effect (invalid - valid) by SOA per cue type, with 95% "
                       "CIs across participants; below 0: inhibition of return",
}


def participant_effects(test: pd.DataFrame, *, used: pd.Series | None = None,
                        settings=None) -> pd.DataFrame:
    """One row per participant x session x cue type x SOA: mean RTs per
    validity, the three effects, the trial counts (columns:
    :data:`PARTICIPANT_COLUMNS`). ``used`` (boolean Series on ``test``'s
    index) says which trials enter the RT means; without it the cleaning of
    ``settings`` (default: correct trials, RT >= 200 ms) is applied here."""
    data, used = test_rows(test, used, REQUIRED_COLUMNS, "Posner cueing data")
    data = data.assign(soa_ms=pd.to_numeric(data["soa_ms"], errors="coerce"))
    if used is None:
        used = clean(data, resolve(settings).cleaning, ("cue_type", "validity", "soa_ms"),
                     UNIT).used
    used = used.to_numpy(dtype=bool)
    keys = [data[k] for k in CELL]
    rt = pd.to_numeric(data["rt_ms"], errors="coerce")
    correct = pd.to_numeric(data["correct"], errors="coerce")
    catch = (data["validity"] == "catch").to_numpy()
    out = pd.DataFrame({
        "target_trials": (~catch).astype(int), "misses": (~catch & (correct == 0)).astype(int),
        "catch_trials": catch.astype(int), "false_alarms": (catch & (correct == 0)).astype(int),
    }, index=data.index).groupby(keys, observed=True).sum()
    cells = [k[used] for k in (*keys, data["validity"])]
    means = rt[used].groupby(cells, observed=True).mean().unstack("validity")
    counts = rt[used].groupby(cells, observed=True).size().unstack("validity")
    means = means.reindex(index=out.index, columns=list(VALIDITIES))
    counts = counts.reindex(index=out.index, columns=list(VALIDITIES)).fillna(0)
    for v in VALIDITIES:
        out[f"rt_{v}_ms"] = means[v]
        out[f"n_{v}"] = counts[v].astype(int)
    out["validity_ms"] = out["rt_invalid_ms"] - out["rt_valid_ms"]
    out["benefit_ms"] = out["rt_neutral_ms"] - out["rt_valid_ms"]
    out["cost_ms"] = out["rt_invalid_ms"] - out["rt_neutral_ms"]
    out = out.reset_index()
    out = out.iloc[natural_order(out.assign(soa_key=out["soa_ms"].map("{:012.3f}".format)),
                                 ["participant", "session", "cue_type", "soa_key"])]
    return out.reset_index(drop=True)[[c.name for c in PARTICIPANT_COLUMNS]]


def people(participants: pd.DataFrame) -> pd.DataFrame:
    """participants.csv averaged over each person's sessions (within cue
    type and SOA): every person counts once in the group statistics."""
    numeric = [c.name for c in PARTICIPANT_COLUMNS if c.kind in ("float", "int")
               and c.name != "soa_ms"]
    return per_participant(participants, numeric, by=("cue_type", "soa_ms"))


def rates(participants: pd.DataFrame) -> pd.DataFrame:
    """Per participant (sessions pooled) and cue type ('all' too): the
    false-alarm rate (false alarms / catch trials) and the miss rate."""
    counts = ["false_alarms", "catch_trials", "misses", "target_trials"]
    by_type = participants.groupby(["participant", "cue_type"], observed=True)[counts].sum()
    overall = participants.groupby("participant")[counts].sum()
    overall["cue_type"] = "all"
    frame = pd.concat([by_type.reset_index(), overall.reset_index()], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["false_alarm_rate"] = frame["false_alarms"] / frame["catch_trials"].where(
            frame["catch_trials"] > 0)
        frame["miss_rate"] = frame["misses"] / frame["target_trials"].where(
            frame["target_trials"] > 0)
    return frame


def _cells(frame):
    """(cue_type, soa_ms) pairs present, cue types in our order then SOA."""
    pairs = frame[["cue_type", "soa_ms"]].drop_duplicates()
    order = {c: i for i, c in enumerate(CUE_TYPES)}
    return sorted(map(tuple, pairs.to_numpy()), key=lambda p: (order.get(p[0], 9), p[1]))


def group_results(participants, used, test, settings) -> pd.DataFrame:
    """group.csv: per cue type and SOA the t-tests of the three effects and
    the condition mean RTs with 95% CIs; the false-alarm and miss rates."""
    columns = [c.name for c in GROUP_COLUMNS]
    if participants.empty:
        return pd.DataFrame(columns=columns)
    per = people(participants)
    rows = []
    for cue_type, soa in _cells(per):
        cell = per[(per["cue_type"] == cue_type) & (per["soa_ms"] == soa)]
        for effect in EFFECTS:
            rows.append({"test": "t_test", "cue_type": cue_type, "soa_ms": soa,
                         "measure": effect, **t_test_row(cell[effect])})
        for v in VALIDITIES:
            rows.append({"test": "rt_mean", "cue_type": cue_type, "soa_ms": soa,
                         "measure": f"rt_{v}_ms", **mean_ci_row(cell[f"rt_{v}_ms"])})
    rate_frame = rates(participants)
    for cue_type in [*[c for c in CUE_TYPES if c in set(rate_frame["cue_type"])], "all"]:
        part = rate_frame[rate_frame["cue_type"] == cue_type]
        for measure in RATES:
            rows.append({"test": "rate", "cue_type": cue_type, "soa_ms": np.nan,
                         "measure": measure, **mean_ci_row(part[measure])})
    return pd.DataFrame(rows).reindex(columns=columns)


# ---- figures -----------------------------------------------------------------------------------
STYLE_OF = {"valid": dict(color="black", marker="o", linestyle="-", label="valid"),
            "invalid": dict(color="black", marker="o", markerfacecolor="white",
                            linestyle="--", label="invalid"),
            "neutral": dict(color="0.6", marker="s", linestyle=":", label="neutral")}


@fig_helpers.styled
def rt_by_soa_figure(participants: pd.DataFrame):
    """The classic figure: mean RT by SOA, valid vs invalid (neutral grey),
    one panel per cue type, within-participant 95% CIs per SOA."""
    from matplotlib.figure import Figure

    types = [c for c in CUE_TYPES if c in set(participants["cue_type"])]
    if not types:
        fig, ax = fig_helpers.new_axes()
        return fig_helpers.empty(fig, ax, "No trials with a dot to plot.")
    fig = Figure(figsize=(fig_helpers.WIDE_IN if len(types) == 2 else fig_helpers.COLUMN_IN,
                          2.7), layout="constrained")
    axes = fig.subplots(1, len(types), sharey=True, squeeze=False)[0]
    per = people(participants)
    n_people = per["participant"].nunique()
    dodge = _dodge(per["soa_ms"])
    for ax, cue_type in zip(axes, types):
        ax.tick_params(which="both", labelsize=fig_helpers.FONT_PT)
        part = per[per["cue_type"] == cue_type]
        soas = sorted(part["soa_ms"].unique())
        for offset, v in zip((-1, 1, 0), VALIDITIES):
            column = f"rt_{v}_ms"
            if part[column].notna().sum() == 0:
                continue
            means, halves = [], []
            for soa in soas:
                wide = part[part["soa_ms"] == soa].set_index("participant")[
                    [f"rt_{x}_ms" for x in VALIDITIES]].dropna(axis=1, how="all").dropna()
                means.append(part.loc[part["soa_ms"] == soa, column].mean())
                half = cousineau_morey_ci(wide) if column in wide else None
                halves.append(np.nan if half is None else half[column])
            ax.errorbar(np.add(soas, offset * dodge), means, yerr=np.nan_to_num(halves),
                        **STYLE_OF[v])
        _soa_axis(ax, soas)
        ax.set_xlabel("Cue-target SOA (ms)")
        ax.set_title(f"{cue_type.capitalize()} cue", fontsize=fig_helpers.FONT_PT + 1)
    for ax in axes:  # every panel says what it shows (a panel may be cut out alone)
        ax.set_ylabel("Response time (ms)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=3)
    fig.suptitle(f"{fig_helpers.count(n_people, 'participant')}, "
                 f"{fig_helpers.ci_words(n_people, 'within-participant 95% CI')}",
                 fontsize=fig_helpers.FONT_PT)
    return fig


@fig_helpers.styled
def validity_effect_figure(participants: pd.DataFrame):
    """Validity effect (invalid - valid) by SOA, one line per cue type, 95%
    CIs across participants, a line at 0 (below it: inhibition of return)."""
    fig, ax = fig_helpers.new_axes()
    per = people(participants)
    if per["validity_ms"].notna().sum() == 0:
        return fig_helpers.empty(fig, ax, "No validity effect could be computed "
                                          "(valid and invalid trials are needed).")
    ax.axhline(0, color="0.6", linewidth=0.8)
    styles = {"endogenous": dict(color="black", marker="o", linestyle="-"),
              "exogenous": dict(color="black", marker="^", markerfacecolor="white",
                                linestyle="--")}
    dodge = _dodge(per["soa_ms"])
    for offset, cue_type in zip((-0.5, 0.5), [c for c in CUE_TYPES
                                               if c in set(per["cue_type"])]):
        part = per[per["cue_type"] == cue_type]
        soas = sorted(part["soa_ms"].unique())
        values = [part.loc[part["soa_ms"] == s, "validity_ms"] for s in soas]
        means = [v.mean() for v in values]
        cis = [mean_ci(v) for v in values]
        yerr = np.nan_to_num(np.array([[m - lo, hi - m] for m, (lo, hi) in
                                       zip(means, cis)]).T)
        ax.errorbar(np.add(soas, offset * dodge), means, yerr=yerr, label=cue_type,
                    **styles[cue_type])
    _soa_axis(ax, sorted(per["soa_ms"].unique()))
    ax.set_xlabel("Cue-target SOA (ms)")
    ax.set_ylabel("Invalid - valid RT (ms)")
    ax.legend(loc="best")
    n = per["participant"].nunique()
    ax.set_title(f"{fig_helpers.count(n, 'participant')}, {fig_helpers.ci_words(n)}",
                 fontsize=fig_helpers.FONT_PT)
    return fig


def _span(soas) -> float:
    """The SOA range a figure's x axis shows, ms (at least 400, so that one
    SOA alone is not stretched over the whole axis)."""
    return max(float(soas.max() - soas.min()) if len(soas) else 0.0, 400.0)


def _dodge(soas) -> float:
    """Horizontal offset (ms) that keeps error bars at one SOA apart."""
    return 0.015 * _span(soas)


def _soa_axis(ax, soas) -> None:
    """SOA ticks at the SOAs used, with a margin of a tenth of the span."""
    ax.set_xticks(soas)
    ax.set_xticklabels([f"{s:g}" for s in soas])
    margin = 0.1 * _span(pd.Series(soas, dtype=float))
    ax.set_xlim(min(soas) - margin, max(soas) + margin)


def figures(participants, used) -> dict:
    """The classic RT-by-SOA figure and the validity effect by SOA."""
    return {"rt_by_soa": rt_by_soa_figure(participants),
            "validity_effect": validity_effect_figure(participants)}


# ---- report text -------------------------------------------------------------------------------
def _t_rows(group, measure="validity_ms"):
    rows = group[(group["test"] == "t_test") & (group["measure"] == measure)]
    return rows.to_dict("records")


def methods_paragraph(result) -> str:
    """What was computed, and the validity effects with their tests."""
    group = result.group
    text = ["Participants pressed one key on detecting a dot in one of two boxes after an "
            "endogenous (central arrow) or exogenous (box brightening) cue; catch trials "
            "had no dot. Mean RTs of the cleaned trials with a dot were computed per "
            "participant, cue type, cue-target SOA and cue validity (sessions of the same "
            "participant averaged); the validity effect (invalid - valid), benefit "
            "(neutral - valid) and cost (invalid - neutral) were each tested against zero "
            "per cue type and SOA with a one-sample t-test (two-sided, uncorrected for the "
            "number of cells; 95% CIs) and a default Bayesian t-test (JZS prior, r = 0.707; "
            "Rouder et al., 2009)."]
    for row in _t_rows(group):
        if np.isnan(row["t"]):
            continue
        text.append(f"Validity effect, {row['cue_type']} cue, SOA {row['soa_ms']:g} ms: "
                    f"{apa_t(row)}.")
    fa = group[(group["test"] == "rate") & (group["cue_type"] == "all")
               & (group["measure"] == "false_alarm_rate")]
    if len(fa) and fa.iloc[0]["n"] > 0:
        r = fa.iloc[0]
        ci = (f" (95% CI {r['ci95_low'] * 100:.1f} to {r['ci95_high'] * 100:.1f}%)"
              if np.isfinite(r.get("ci95_low", np.nan)) else "")
        text.append(f"Participants pressed on {r['mean'] * 100:.1f}% of the catch trials "
                    f"on average{ci}.")
    text.append("Within-participant 95% confidence intervals in the RT figure follow "
                "Cousineau (2005) with the correction of Morey (2008).")
    return " ".join(text)


def headline(result) -> list:
    """One line per cue type: the validity effect at each SOA; the false alarms."""
    group, lines = result.group, []
    rows = _t_rows(group)
    for cue_type in CUE_TYPES:
        mine = [r for r in rows if r["cue_type"] == cue_type and r["n"] > 0]
        if not mine:
            continue
        values = ", ".join(f"{r['soa_ms']:g} ms: {r['mean']:+.1f}" for r in mine)
        n = max(int(r["n"]) for r in mine)
        lines.append(f"Validity effect (invalid - valid), {cue_type}: {values} ms "
                     f"(n = {n})")
    fa = group[(group["test"] == "rate") & (group["cue_type"] == "all")
               & (group["measure"] == "false_alarm_rate")]
    if len(fa) and fa.iloc[0]["n"] > 0:
        lines.append(f"False alarms on catch trials: {fa.iloc[0]['mean'] * 100:.1f}% "
                     f"(n = {fa.iloc[0]['n']:.0f})")
    return lines


def report_tables(group) -> list:
    """The effects' t-tests, the condition means, the rates."""
    tables = []
    digits = {"soa_ms": 0, "n": 0, "mean": 1, "sd": 1, "ci95_low": 1, "ci95_high": 1,
              "t": 2, "df": 0, "dz": 2}
    t = group[group["test"] == "t_test"]
    if len(t):
        tables.append(Table(
            "Cueing effects per cue type and SOA, one-sample t-tests against zero "
            "(sessions averaged per participant):",
            t[["cue_type", "soa_ms", "measure", "n", "mean", "sd", "ci95_low", "ci95_high",
               "t", "df", "p", "dz", "bf10"]], digits))
    m = group[group["test"] == "rt_mean"]
    if len(m):
        tables.append(Table("Mean RT per condition (ms) with t-based 95% CIs:",
                            m[["cue_type", "soa_ms", "measure", "n", "mean", "sd",
                               "ci95_low", "ci95_high"]], digits))
    r = group[group["test"] == "rate"]
    if len(r):
        tables.append(Table("False-alarm and miss rates per participant (proportions):",
                            r[["cue_type", "measure", "n", "mean", "sd", "ci95_low",
                               "ci95_high"]],
                            {"n": 0, "mean": 3, "sd": 3, "ci95_low": 3, "ci95_high": 3}))
    return tables


def notices(result) -> list:
    """What needs more participants; effects no trial could give; no catch trials."""
    from attentionlab.analysis.notices import one_participant

    lines = one_participant(result, (
        "the t-tests (p, 95% CI, Bayes factor) need at least 2 participants; group.csv "
        "gives this participant's effects without them"))
    p = result.participants
    needs = {"validity_ms": "valid and invalid", "benefit_ms": "valid and neutral",
             "cost_ms": "invalid and neutral"}
    for effect, what in needs.items():
        if effect not in p or not p[effect].isna().any():
            continue
        empty = p[effect].isna()
        if empty.all():
            lines.append(f"{EFFECT_WORDS[effect]} not computed: no cell has usable "
                         f"{what} trials.")
        else:
            lines.append(f"{EFFECT_WORDS[effect]}: {int(empty.sum())} of {len(p)} "
                         f"participant x session x cue type x SOA cells have no usable "
                         f"{what} trials and are left out of it.")
    if "catch_trials" in p and p["catch_trials"].sum() == 0:
        lines.append("No catch trials: the false-alarm rate is not computed.")
    return lines
