"""Inattentional blindness statistics: how many people noticed the
unexpected object in each phase, with exact confidence intervals, and how
many could pick it out among the candidate shapes.

Each person gives one critical (inattention) trial, so the rates are
proportions of *people*, pooled over a class or a sample; their intervals
are exact (Clopper-Pearson). The critical and divided-attention trials of
the same people are compared with an exact McNemar test (a binomial test on
the people who noticed in one phase but not the other).

Every function takes a long-format DataFrame with one row per trial in our
column names (``participant, session, attention, critical, noticed``;
``identified, location, recognition_options, arm_correct`` where used;
``phase``: only ``test`` rows are analysed).

>>> import pandas as pd
>>> d = pd.DataFrame({"participant": ["P1", "P2", "P3", "P4"], "session": "1",
...     "attention": "inattention", "critical": 1, "noticed": [1, 0, 0, 0],
...     "identified": [1, 0, 0, 1], "location": "fixation"})
>>> noticing_rates(d)[["attention", "n", "noticed", "proportion"]]
     attention  n  noticed  proportion
0  inattention  4        1        0.25
"""

import numpy as np
import pandas as pd

from attentionlab.analysis.registry import Factor, Table, pick_rows
from attentionlab.analysis.statistics import (CLOPPER_PEARSON_1934, MCNEMAR_1947,
                                              exact_proportion_ci, format_p, mcnemar_exact)
from attentionlab.analysis.trials import UNIT, only_test_rows, with_session
from attentionlab.core.columns import Column

TASK = "inattention"
TITLE = "Inattentional blindness analysis"
ATTENTION = ("inattention", "divided", "full")
FACTORS = (Factor("attention", levels=ATTENTION),
           Factor("critical", levels=(0, 1), numeric=True))
REQUIRED_COLUMNS = ("participant", "attention", "critical", "noticed")
READ_COLUMNS = ("noticed", "identified", "location", "recognition_options", "arm_correct",
                "object_shape", "recognition_choice")
RT_CLEANING = False

PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant", "str", "participant label"),
    Column("session", "str", "session label"),
    Column("location", "str", "where the object appeared: fixation or parafovea"),
    Column("noticed_inattention", "float", "1 noticed on the critical trial, 0 not"),
    Column("noticed_divided", "float", "1 noticed on the divided-attention trial, 0 not"),
    Column("noticed_full", "float", "1 noticed on the full-attention trial, 0 not"),
    Column("identified_inattention", "float",
           "1 picked the right shape after the critical trial, 0 not"),
    Column("identified_divided", "float", "the same after the divided-attention trial"),
    Column("identified_full", "float", "the same after the full-attention trial"),
    Column("arm_accuracy", "float", "proportion of crosses judged right (inattention and "
                                    "divided phases)"),
    Column("false_yes", "int", "'yes' answers on full-phase trials without an object"),
)

GROUP_COLUMNS: tuple[Column, ...] = (
    Column("test", "str",
           "kind of row: noticing, identification, identification_all, mcnemar, "
           "false_yes, arm_accuracy"),
    Column("condition", "str",
           "phase and object location, e.g. 'inattention (fixation)', or the comparison"),
    Column("n", "int", "people (or trials, for false_yes and arm_accuracy) in the row"),
    Column("k", "int", "how many of them: noticed, identified, said yes, judged right"),
    Column("proportion", "float", "k / n"),
    Column("ci_low", "float", "exact (Clopper-Pearson) 95% lower limit"),
    Column("ci_high", "float", "exact (Clopper-Pearson) 95% upper limit"),
    Column("chance", "float", "identification: the guessing rate, 1 / number of shapes"),
    Column("p", "float",
           "identification_all: binomial test against chance (greater); mcnemar: exact "
           "two-sided McNemar test"),
    Column("discordant_first", "int",
           "mcnemar: people who noticed in the first-named phase but not the other"),
    Column("discordant_second", "int",
           "mcnemar: people who noticed in the other phase but not the first-named"),
)

REFERENCES = (
    "Mack, A., & Rock, I. (1998). Inattentional blindness. Cambridge, MA: MIT Press.",
    CLOPPER_PEARSON_1934,
    MCNEMAR_1947,
)
FIGURE_CAPTIONS = {
    "noticing": "Proportion of people who noticed the unexpected object in each phase, "
                "with exact 95% confidence intervals.",
}


def _num(series):
    return pd.to_numeric(series, errors="coerce")


# The exact (Clopper-Pearson) CI of k / n, under the name docs/tasks/
# inattention.md gives; the one implementation is in statistics.py.
exact_ci = exact_proportion_ci


def _critical(data):
    data = only_test_rows(data)
    return data[_num(data["critical"]) == 1]


def _location(data):
    return data["location"].fillna("").astype(str) if "location" in data else \
        pd.Series("", index=data.index)


def noticing_rates(data: pd.DataFrame) -> pd.DataFrame:
    """Per phase (and object location): ``n`` people with an answer on the
    object trial, ``noticed``, ``proportion`` and its exact CI."""
    crit = _critical(data)
    crit = crit.assign(location=_location(crit), noticed=_num(crit["noticed"]))
    crit = crit[crit["noticed"].notna()]
    rows = []
    for (attention, location), cell in crit.groupby(["attention", "location"], sort=False):
        n, k = len(cell), int(cell["noticed"].sum())
        low, high = exact_proportion_ci(k, n)
        rows.append({"attention": attention, "location": location, "n": n, "noticed": k,
                     "proportion": k / n, "ci_low": low, "ci_high": high})
    out = pd.DataFrame(rows, columns=["attention", "location", "n", "noticed", "proportion",
                                      "ci_low", "ci_high"])
    order = {a: i for i, a in enumerate(ATTENTION)}
    return out.sort_values(["attention", "location"], key=lambda s: s.map(order)
                           if s.name == "attention" else s).reset_index(drop=True)


def identification(data: pd.DataFrame) -> pd.DataFrame:
    """Per phase: among those who noticed (``n_noticed``, ``identified``,
    proportion, CI) and among everyone (``identified_all`` of ``n``, with a
    one-sided binomial test against ``chance`` = 1 / shapes shown)."""
    from scipy.stats import binomtest

    crit = _critical(data)
    crit = crit.assign(location=_location(crit), noticed=_num(crit["noticed"]),
                       identified=_num(crit["identified"]))
    crit = crit[crit["identified"].notna()]
    rows = []
    for (attention, location), cell in crit.groupby(["attention", "location"], sort=False):
        options = cell["recognition_options"].astype(str).str.count(";") + 1 \
            if "recognition_options" in cell else pd.Series(5, index=cell.index)
        chance = float((1 / options).mean())
        seen = cell[cell["noticed"] == 1]
        n_all, k_all = len(cell), int(cell["identified"].sum())
        p = binomtest(k_all, n_all, chance, alternative="greater").pvalue if n_all else np.nan
        rows.append({"attention": attention, "location": location,
                     "n_noticed": len(seen), "identified": int(seen["identified"].sum()),
                     "n": n_all, "identified_all": k_all, "chance": chance, "p": float(p)})
    return pd.DataFrame(rows)


def mcnemar(data: pd.DataFrame, first: str = "inattention", second: str = "divided") -> dict:
    """Exact McNemar test of noticing in two phases by the same people:
    ``n`` pairs, ``discordant_first`` (noticed in ``first`` only),
    ``discordant_second``, two-sided ``p`` (binomial on the discordant pairs)."""
    crit = _critical(data).assign(noticed=lambda d: _num(d["noticed"]))
    wide = with_session(crit).pivot_table(index=list(UNIT), columns="attention",
                                          values="noticed", aggfunc="first")
    if first not in wide or second not in wide:
        return {"n": 0, "discordant_first": 0, "discordant_second": 0, "p": np.nan}
    pairs = wide[[first, second]].dropna()
    b, c, p = mcnemar_exact(pairs[first], pairs[second])
    return {"n": len(pairs), "discordant_first": b, "discordant_second": c, "p": float(p)}


# -- the analysis contract -------------------------------------------------------
def participant_effects(test: pd.DataFrame, *, used=None, settings=None) -> pd.DataFrame:
    """participants.csv: each person's answers per phase (:data:`PARTICIPANT_COLUMNS`)."""
    test = with_session(only_test_rows(test))
    rows = []
    for (participant, session), d in test.groupby(list(UNIT), sort=True, observed=True):
        crit = d[_num(d["critical"]) == 1].set_index("attention")
        row = {"participant": participant, "session": session,
               "location": str(_location(d).iloc[0]) if len(d) else ""}
        for attention in ATTENTION:
            for measure in ("noticed", "identified"):
                value = np.nan
                if attention in crit.index and measure in crit:
                    value = _num(pd.Series([crit.loc[attention, measure]])).iloc[0] \
                        if not isinstance(crit.loc[attention, measure], pd.Series) else \
                        _num(crit.loc[attention, measure]).iloc[0]
                row[f"{measure}_{attention}"] = value
        arms = _num(d["arm_correct"]) if "arm_correct" in d else pd.Series(dtype=float)
        row["arm_accuracy"] = float(arms.mean()) if arms.notna().any() else np.nan
        full_plain = d[(d["attention"] == "full") & (_num(d["critical"]) == 0)]
        row["false_yes"] = int((_num(full_plain["noticed"]) == 1).sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=[c.name for c in PARTICIPANT_COLUMNS])


def group_results(participants, used, test, settings) -> pd.DataFrame:
    """group.csv: noticing rates per phase with exact CIs, identification,
    McNemar comparisons, false 'yes' answers and cross accuracy."""
    trials = only_test_rows(used)
    rows = []
    for _, r in noticing_rates(trials).iterrows():
        rows.append({"test": "noticing", "condition": _label(r), "n": r["n"],
                     "k": r["noticed"], "proportion": r["proportion"],
                     "ci_low": r["ci_low"], "ci_high": r["ci_high"]})
    for _, r in identification(trials).iterrows():
        low, high = exact_proportion_ci(r["identified"], r["n_noticed"])
        rows.append({"test": "identification", "condition": _label(r), "n": r["n_noticed"],
                     "k": r["identified"],
                     "proportion": r["identified"] / r["n_noticed"] if r["n_noticed"] else np.nan,
                     "ci_low": low, "ci_high": high, "chance": r["chance"]})
        low, high = exact_proportion_ci(r["identified_all"], r["n"])
        rows.append({"test": "identification_all", "condition": _label(r), "n": r["n"],
                     "k": r["identified_all"], "proportion": r["identified_all"] / r["n"],
                     "ci_low": low, "ci_high": high, "chance": r["chance"], "p": r["p"]})
    for first, second in (("divided", "inattention"), ("full", "inattention")):
        m = mcnemar(trials, first, second)
        rows.append({"test": "mcnemar", "condition": f"{first} vs {second}", "n": m["n"],
                     "p": m["p"], "discordant_first": m["discordant_first"],
                     "discordant_second": m["discordant_second"]})
    full_plain = trials[(trials["attention"] == "full") & (_num(trials["critical"]) == 0)]
    answered = _num(full_plain["noticed"]).dropna()
    if len(answered):
        low, high = exact_proportion_ci(int(answered.sum()), len(answered))
        rows.append({"test": "false_yes", "condition": "full phase, no object",
                     "n": len(answered), "k": int(answered.sum()),
                     "proportion": float(answered.mean()), "ci_low": low, "ci_high": high})
    arms = _num(trials["arm_correct"]).dropna() if "arm_correct" in trials else pd.Series()
    if len(arms):
        low, high = exact_proportion_ci(int(arms.sum()), len(arms))
        rows.append({"test": "arm_accuracy", "condition": "inattention and divided phases",
                     "n": len(arms), "k": int(arms.sum()), "proportion": float(arms.mean()),
                     "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=[c.name for c in GROUP_COLUMNS])


def _label(row) -> str:
    return f"{row['attention']} ({row['location']})" if row.get("location") else \
        str(row["attention"])


def figures(participants, used) -> dict:
    """Noticing rates per phase with exact CIs."""
    from attentionlab.core.figures import styled

    return {"noticing": styled(noticing_figure)(used)}


def noticing_figure(used):
    """Bars: the proportion of participants who noticed the object in each
    phase, with exact 95% CIs and the counts ("2 of 12") in the bars."""
    from attentionlab.core.figures import categorical, empty, new_axes

    fig, ax = new_axes()
    rates = noticing_rates(only_test_rows(used))
    if rates.empty:
        return empty(fig, ax, "no object trials")
    labels = [_label(r).replace(" (", "\n(") for _, r in rates.iterrows()]
    x = np.arange(len(rates))
    ax.bar(x, rates["proportion"], color="#7f9fbf")
    ax.errorbar(x, rates["proportion"], yerr=[rates["proportion"] - rates["ci_low"],
                                              rates["ci_high"] - rates["proportion"]],
                fmt="none", ecolor="black", capsize=4)
    for xi, (_, r) in zip(x, rates.iterrows()):
        ax.text(xi, 0.02, f"{int(r['noticed'])} of {int(r['n'])}", ha="center",
                va="bottom")
    ax.set_xticks(x, labels)
    categorical(ax.xaxis, "Phase (object location)")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("Proportion of participants")
    ax.set_title("Noticed the unexpected object (exact 95% CIs)")
    return fig


def methods_paragraph(result) -> str:
    g = result.group
    text = ("Noticing was scored from the answer to 'did you see anything else?' on the "
            "trial of each phase that showed the unexpected object; as each person gives "
            "one such trial per phase, rates are proportions of people with exact "
            "(Clopper-Pearson) 95% CIs, and phases were compared within people with exact "
            "McNemar tests.")
    noticing = g[g["test"] == "noticing"]
    if len(noticing):
        parts = [f"{r['condition']} {int(r['k'])}/{int(r['n'])} ({r['proportion']:.0%}, "
                 f"95% CI {r['ci_low']:.0%}-{r['ci_high']:.0%})" for _, r in noticing.iterrows()]
        text += " Noticed the object: " + "; ".join(parts) + "."
    return text


def headline(result) -> list:
    g = result.group
    lines = [f"noticed, {r['condition']}: {int(r['k'])} of {int(r['n'])} "
             f"({r['proportion']:.0%}, 95% CI {r['ci_low']:.0%}-{r['ci_high']:.0%})"
             for _, r in g[g["test"] == "noticing"].iterrows()]
    for _, r in g[g["test"] == "mcnemar"].iterrows():
        if r["n"]:
            lines.append(f"{r['condition']}: McNemar exact {format_p(r['p'])} "
                         f"({int(r['discordant_first'])} vs {int(r['discordant_second'])} "
                         f"discordant)")
    return lines


def report_tables(group: pd.DataFrame) -> list:
    return [
        Table("Noticing the unexpected object (people; exact 95% CIs)",
              pick_rows(group, ["noticing"], ["condition", "n", "k", "proportion", "ci_low", "ci_high"])),
        Table("Identification in the recognition display",
              pick_rows(group, ["identification", "identification_all"],
                   ["condition", "n", "k", "proportion", "ci_low", "ci_high", "chance", "p"])),
        Table("Comparisons between phases (same people)",
              pick_rows(group, ["mcnemar"], ["condition", "n", "discordant_first", "discordant_second",
                                 "p"])),
        Table("Other answers", pick_rows(group, ["false_yes", "arm_accuracy"],
                                    ["condition", "n", "k", "proportion", "ci_low",
                                     "ci_high"])),
    ]


def notices(result) -> list:
    """One participant; phases without a critical (object) trial."""
    from attentionlab.analysis.notices import absent_levels, one_participant

    lines = one_participant(result, (
        "each noticing rate is this participant's single answer (0 or 1 of 1), so its "
        "95% CI spans nearly 0-100%, and the McNemar comparisons of phases cannot show a "
        "difference; noticing rates are proportions of people and need many participants"))
    absent = absent_levels(_critical(result.test), "attention", ATTENTION)
    for phase in absent:
        lines.append(f"No {phase}-phase trial with the object: its noticing rate was not "
                     f"computed" + ("" if phase == "inattention" else
                                    f", nor the {phase} vs inattention comparison") + ".")
    if "inattention" in absent:
        lines.append("Without the inattention phase's object trial there is no measure of "
                     "inattentional blindness, and no comparison of the other phases with it.")
    return lines
