"""class-report on simulated classes (25 students and 1), checked against
values computed here from the raw session files with pandas and scipy."""

import html as html_text
import math
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cli_runner import run_cli

from attentionlab.tasks import TASKS  # noqa: E402  every task, the new ones too


def class_report(*args):
    return subprocess.run([sys.executable, "-m", "attentionlab.experiments.cli",
                           "class-report", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    """A class of 25 simulated students who did every task, and a class of one."""
    root = tmp_path_factory.mktemp("classroom")
    big = root / "class25"
    for task in TASKS:
        done = run_cli(["simulate", task, "--participants", "25", "--seed", "7",
                        "--out", str(big / task)])
        assert done.returncode == 0, done.stderr
    one = root / "class1"
    for task in TASKS:
        shutil.copytree(big / task / "sub-sim001", one / task / "sub-sim001")
    reports = {}
    for name, folder in (("25", big), ("1", one)):
        out = root / f"report{name}"
        done = class_report(folder, "--out", out)
        assert done.returncode == 0, done.stderr
        reports[name] = {"stdout": done.stdout,
                         "html": (out / "class_report.html").read_text(encoding="utf-8"),
                         "summary": pd.read_csv(out / "class_summary.csv").set_index("task")}
    return {"root": root, "big": big, "one": one, "reports": reports}


def read(folder) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype={"participant": str, "session": str})
              for p in sorted(folder.rglob("*.csv"))]
    data = pd.concat(frames, ignore_index=True)
    return data[data["phase"] == "test"]


# -- each student's effect, computed independently of attentionlab's analysis ------------------
def stroop_effects(data):
    ok = data[(data["correct"] == 1) & (data["rt_ms"] >= 200)]
    means = ok.groupby(["participant", "congruency"])["rt_ms"].mean().unstack()
    value = means["incongruent"] - means["congruent"]
    return value, value > 0


def search_effects(data):
    ok = data[(data["correct"] == 1) & (data["rt_ms"] >= 200) & (data["target_present"] == 1)]
    slopes = {}
    for (participant, kind), cell in ok.groupby(["participant", "search_type"]):
        means = cell.groupby("set_size")["rt_ms"].mean()
        slopes[(participant, kind)] = stats.linregress(means.index.astype(float),
                                                       means.to_numpy()).slope
    slopes = pd.Series(slopes).unstack()
    return slopes["conjunction"], slopes["conjunction"] > slopes["feature"]


def conjunctions_effects(data):
    ok = data[data["digits_correct"] == 1]
    by = ok.groupby("participant")
    value = by["n_conjunction_errors"].apply(lambda s: (s > 0).mean() * 100)
    # With 5 colours offered, guessing predicts as many conjunctions as feature errors.
    assert (ok["colour_choices"].str.count(",") == 4).all()
    showed = by["n_conjunction_errors"].sum() > by["n_feature_errors"].sum()
    return value, showed


def km_median(times, detected):
    """Kaplan-Meier median by hand: the first event time at which S(t) < 0.5
    (the strict inequality of SAS, which the flicker analysis follows)."""
    order = np.argsort(times, kind="stable")
    times, detected = np.asarray(times)[order], np.asarray(detected)[order]
    at_risk, survival = len(times), 1.0
    for t in np.unique(times):
        here = times == t
        events = detected[here].sum()
        survival *= 1 - events / at_risk
        at_risk -= here.sum()
        if events and survival < 0.5 - 1e-12:
            return t
    return math.nan


def flicker_effects(data):
    values, showed = {}, {}
    for participant, d in data.groupby("participant"):
        def median(rows):
            return km_median(rows["detection_time_ms"].to_numpy(float),
                             (rows["timed_out"] == 0).to_numpy())
        blank = d[d["blank_condition"] == "blank"]
        central = median(blank[blank["interest"] == "central"])
        no_blank = median(d[d["blank_condition"] == "no_blank"])
        values[participant] = central / 1000
        showed[participant] = central > no_blank
    return pd.Series(values), pd.Series(showed)


def inattention_effects(data):
    critical = data[(data["attention"] == "inattention") & (data["critical"] == 1)]
    missed = 1 - critical.groupby("participant")["noticed"].first()
    return missed, missed == 1


def dichotic_effects(data):
    names = data[(data["item"] == "detection") & (data["manipulation"] == "name")]
    first = names.sort_values("message").groupby("participant")["detected"].first()
    return first, first == 1


def posner_effects(data):
    """Endogenous validity effect (invalid - valid mean RT of correct presses
    from 200 ms on), averaged over the SOAs of 300 ms and more."""
    ok = data[(data["correct"] == 1) & (data["rt_ms"] >= 200)
              & (data["cue_type"] == "endogenous") & (data["soa_ms"] >= 300)]
    means = ok.groupby(["participant", "soa_ms", "validity"])["rt_ms"].mean().unstack()
    value = (means["invalid"] - means["valid"]).groupby("participant").mean()
    return value, value > 0


EFFECTS = {"posner": posner_effects, "stroop": stroop_effects, "search": search_effects,
           "conjunctions": conjunctions_effects, "flicker": flicker_effects,
           "inattention": inattention_effects, "dichotic": dichotic_effects}
PROPORTIONS = {"inattention", "dichotic"}


@pytest.mark.parametrize("task", TASKS)
def test_class_of_25_mean_ci_and_count(classes, task):
    values, showed = EFFECTS[task](read(classes["big"] / task))
    assert len(values) == 25
    row = classes["reports"]["25"]["summary"].loc[task]
    assert row["n_students"] == 25
    if task in PROPORTIONS:
        k = int(values.sum())
        ci = stats.binomtest(k, 25).proportion_ci(0.95, method="exact")
        expected = (k / 25, ci.low, ci.high)
        assert row["ci_method"] == "exact (Clopper-Pearson)"
    else:
        low, high = stats.t.interval(0.95, 24, loc=values.mean(), scale=stats.sem(values))
        expected = (values.mean(), low, high)
        assert row["ci_method"] == "t"
    assert (row["mean"], row["ci95_low"], row["ci95_high"]) == pytest.approx(expected,
                                                                           rel=1e-9)
    assert row["n_showed"] == int(showed.sum())
    assert row["n_decided"] == 25
    html = classes["reports"]["25"]["html"]
    section = html[html.index(f'<section id="{task}">'):]
    section = section[:section.index("</section>")]
    assert f"Showed the effect: {int(showed.sum())} of 25 students" in section
    assert "(95% CI " in section


def test_class_of_25_says_where_the_published_value_lies(classes):
    html = classes["reports"]["25"]["html"]
    summary = classes["reports"]["25"]["summary"]
    for task, row in summary.iterrows():
        section = html[html.index(f'<section id="{task}">'):]
        inside = row["ci95_low"] <= row["published_high"] and \
            row["ci95_high"] >= row["published_low"]
        wording = "lies within the class's 95% confidence interval" if inside else \
            "the 95% confidence interval does not include it"
        assert wording in html_text.unescape(section[:section.index("</section>")]), task


@pytest.mark.parametrize("task", TASKS)
def test_class_of_one_has_no_ci_and_says_so(classes, task):
    values, showed = EFFECTS[task](read(classes["one"] / task))
    row = classes["reports"]["1"]["summary"].loc[task]
    assert row["n_students"] == 1
    assert row["mean"] == pytest.approx(float(values.iloc[0]), rel=1e-9)
    assert math.isnan(row["ci95_low"]) and math.isnan(row["ci95_high"])
    assert row["ci_method"] == "none (one student)"
    assert row["n_showed"] == int(showed.sum())
    html = classes["reports"]["1"]["html"]
    section = html[html.index(f'<section id="{task}">'):]
    section = section[:section.index("</section>")]
    assert "no CI with one student" in section
    assert "With one student there is no confidence interval" in section


def test_report_is_self_contained(classes):
    html = classes["reports"]["25"]["html"]
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html, re.I)
    assert "@import" not in html and "url(" not in html
    sources = re.findall(r'\bsrc="([^"]*)"', html)
    assert len(sources) == len(TASKS)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    hrefs = re.findall(r'\bhref="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert "nothing was sent anywhere" in html
    assert "simulated" in html  # simulated classes are flagged as such


def test_labels_and_file_names_are_escaped(classes, tmp_path):
    """A foreign-looking file: a participant label and a folder name with HTML."""
    label = '<script>alert("x")</script>&'
    folder = tmp_path / "in" / "x<img src=x onerror=alert(1)>"
    folder.mkdir(parents=True)
    source = next((classes["big"] / "stroop" / "sub-sim002").glob("*.csv"))
    data = pd.read_csv(source, dtype=str, keep_default_na=False)
    data["participant"] = label
    # A stray row of an unknown task too, so the folder name shows up in a problem.
    (folder / "evil.csv").write_text(data.to_csv(index=False, lineterminator="\n"),
                                     encoding="utf-8")
    (folder / "other.csv").write_text("participant,task\nP1,nosuchtask\n", encoding="utf-8")
    done = class_report(tmp_path / "in", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "class_report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in html  # Jinja2 autoescape
    assert "x&lt;img src=x onerror=alert(1)&gt;" in html
    assert "nosuchtask" in html


def test_usage_errors(classes, tmp_path):
    inside = class_report(classes["big"], "--out", classes["big"] / "report")
    assert inside.returncode == 2 and "inside the input folder" in inside.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = class_report(empty, "--out", tmp_path / "out")
    assert nothing.returncode == 2 and "no class results" in nothing.stderr
    assert not (tmp_path / "out" / "class_report.html").exists()
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x.txt").write_text("mine")
    refused = class_report(classes["one"], "--out", taken)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert class_report(classes["one"], "--out", taken, "--force").returncode == 0
    assert (taken / "x.txt").read_text() == "mine"
