"""Shipped mappings that run another lab's published pipeline (issue 15).

1. Rey-Mermet, Gade & Oberauer (2018), number Stroop, through
   ``docs/mappings/reymermet2018_numberstroop.toml``: a folder of header-less,
   space-separated per-participant files (quoted text, CR LF), the warm-up
   trials that open each block and the practice block left out, the authors'
   exclusions with their reasons, low-accuracy blocks (kind (a) of the issue and
   the first-trials part of (b)). Expected values: the authors' merge script
   ("0. merge files.R") re-implemented with pandas (``authors_merge``). Two of
   the published files are in tests/data/reymermet2018_numberstroop/ (README
   there). The paper's numbers are over all participants and its RT analysis
   script is not published with the data, so no published number is compared.
   The trials after an error are checked against the authors' own per-trial
   code of the previous trial's accuracy (``corrafter``), kind (b).

2. Shi, Allenmark, Zhu, Elliott & Müller (2019/2020), "To quit or not to quit in
dynamic search", Attention, Perception, & Psychophysics 82, 799-817,
Experiment 1, through ``docs/mappings/shi2019_authors_search.toml``:

- a one-sided cut at the participant's mean + 2.5 SD computed over all of that
  participant's trials (every condition, errors included), a strict 100 ms
  bound, errors removed (kinds (c) of the issue), and
- search slopes by least squares over single trials, with the display type
  (static/dynamic) as an extra factor (the mapping's ``[analysis]``:
  ``slopes_from = "trials"``, ``by = "display"``; kind (d)).

Expected values: (1) the authors' R code re-implemented with pandas, line by
line (``authors_get_slope``); (2) the authors' own printed output: the
repeated-measures ANOVAs of these slopes in their notebook
``results_notebook.nb.html`` of msenselab/dynamic_search, commit
f88550a9ee63f275e227e3f8ecd0b4cf620faf21 (the version saved with its outputs),
section "1.4. ANOVA for the slopes" (``AUTHORS_SLOPE_ANOVAS``); (3) what the
paper's abstract states (absent:present slope ratio near or below 1 for dynamic,
near or above 2 for static search) and the 11 participants of its readme.
"""

import re

import numpy as np
import pandas as pd
import pytest

from analysis_helpers import REAL_DATA, REPO
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from cli_runner import run_cli

SHI_FILE = REAL_DATA / "search_shi2019_exp1.csv"
AUTHORS_MAPPING = REPO / "docs" / "mappings" / "shi2019_authors_search.toml"

needs_shi = pytest.mark.skipif(
    not SHI_FILE.exists(),
    reason=f"needs {SHI_FILE} (Shi et al.'s data/exp1.csv of msenselab/visualsearch); the "
           f"shared/ folder beside the repository is absent")


def authors_get_slope(raw: pd.DataFrame) -> pd.DataFrame:
    """The authors' getSlope (msenselab/visualsearch data/ana_functions.R;
    msenselab/dynamic_search dyn_data_analysis.R), in pandas::

        df %>% group_by(sub) %>%
          filter(correct == 1 & rt < mean(rt) + 2.5 * sd(rt) & rt > 0.1) %>%
          group_by(sub, target, dyn) %>% nest() %>%
          mutate(model = map(data, function(df) lm(rt ~ setsize, data = df)))

    R's ``read.csv`` reads the mixed 1/0/True/False column as text, so
    ``correct == 1`` keeps the rows written "1". ``mean`` and ``sd`` (n - 1) are
    those of the whole group, every row of the participant, before ``filter``
    drops any. Slope and intercept in ms (``plotSlopeErrbar`` multiplies by 1000).
    """
    data = raw[raw["sub"].astype(str) != "666"]  # not one of the paper's 11
    by_sub = data.groupby("sub")["rt"]
    limit = by_sub.transform("mean") + 2.5 * by_sub.transform("std", ddof=1)
    kept = data[(data["correct"].astype(str) == "1") & (data["rt"] < limit)
                & (data["rt"] > 0.1)]
    rows = []
    for (sub, target, dyn), cell in kept.groupby(["sub", "target", "dyn"]):
        slope, intercept = np.polyfit(cell["setsize"].astype(float), cell["rt"] * 1000.0, 1)
        rows.append({"participant": str(sub), "target_present": int(target == "Present"),
                     "display": dyn, "slope": slope, "intercept": intercept,
                     "n_used": len(cell)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def authors_run(tmp_path_factory):
    """One run of the command as a user would type it (the mapping's header)."""
    out = tmp_path_factory.mktemp("shi") / "results"
    result = run_cli(["analyze", str(SHI_FILE), "--mapping", str(AUTHORS_MAPPING),
                      "--out", str(out)])  # slopes from trials, by display: the mapping's
    assert result.returncode == 0, result.stderr
    participants = pd.read_csv(out / "participants.csv", dtype={"participant": str})
    group = pd.read_csv(out / "group.csv")
    return result, participants, group, (out / "report.html").read_text(encoding="utf-8")


@needs_shi
def test_every_slope_is_the_authors_lm_over_their_cleaned_trials(authors_run):
    _, participants, _, _ = authors_run
    theirs = authors_get_slope(pd.read_csv(SHI_FILE)).set_index(
        ["participant", "target_present", "display"])
    # The excluded record stays in participants.csv (as every exclusion does),
    # without a line: one set size only
    record = participants[participants["participant"] == "666"]
    assert len(record) == 2 and record["slope_ms_per_item"].isna().all()
    ours = participants[participants["participant"] != "666"].set_index(
        ["participant", "target_present", "display"])
    assert sorted(ours.index) == sorted(theirs.index)  # 11 people x 2 x 2
    assert len(theirs) == 11 * 2 * 2
    for key, row in theirs.iterrows():
        assert ours.loc[key, "slope_ms_per_item"] == pytest.approx(row["slope"], abs=1e-7)
        assert ours.loc[key, "intercept_ms"] == pytest.approx(row["intercept"], abs=1e-6)
        assert ours.loc[key, "n_used"] == row["n_used"]


# The authors' printed ezANOVA tables (Effect, DFn, DFd, F, p, ges) in
# msenselab/dynamic_search results_notebook.nb.html at commit
# f88550a9ee63f275e227e3f8ecd0b4cf620faf21, "1.4. ANOVA for the slopes":
#   slope_anova$exp1$ANOVA (within target, dyn):
#       target      1 10 14.66 0.00333 0.198
#       dyn         1 10  6.36 0.03025 0.115
#       target:dyn  1 10 16.27 0.00239 0.209
#   target == 'Present', within dyn:   dyn     1 10 0.902 0.365 0.0373
#   dyn == 'Dynamic', within target:   target  1 10 0.013 0.911 0.000284
# The values are compared at the precision they are printed with.
AUTHORS_SLOPE_ANOVAS = [
    # (rows, within factors, effect, F, p, ges)
    (None, ["target_present", "display"], "target_present", "14.66", "0.00333", "0.198"),
    (None, ["target_present", "display"], "display", "6.36", "0.03025", "0.115"),
    (None, ["target_present", "display"], "target_present * display", "16.27", "0.00239",
     "0.209"),
    (("target_present", 1), ["display"], "display", "0.902", "0.365", "0.0373"),
    (("display", "Dynamic"), ["target_present"], "target_present", "0.013", "0.911",
     "0.000284"),
]


def printed_like(value: float, printed: str) -> str:
    """``value`` rounded as R printed ``printed`` (same number of decimals)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return f"{value:.{decimals}f}"


@needs_shi
def test_our_slopes_reproduce_the_authors_printed_anovas(authors_run):
    """pingouin's repeated-measures ANOVA of the slopes in our participants.csv
    gives every F, p and generalised eta squared the authors printed; the two
    one-factor tests are also our group.csv's paired t-tests (F = t^2)."""
    import pingouin

    _, participants, group, _ = authors_run
    slopes = participants[participants["participant"] != "666"]
    for rows, within, effect, f_printed, p_printed, ges_printed in AUTHORS_SLOPE_ANOVAS:
        data = slopes if rows is None else slopes[slopes[rows[0]] == rows[1]]
        table = pingouin.rm_anova(data=data, dv="slope_ms_per_item", within=within,
                                  subject="participant", detailed=True)
        row = table[table["Source"] == effect].iloc[0]
        p_column = "p_unc" if "p_unc" in table else "p-unc"
        assert printed_like(row["F"], f_printed) == f_printed, (effect, row["F"])
        assert printed_like(row[p_column], p_printed) == p_printed, (effect, row[p_column])
        assert printed_like(row["ng2"], ges_printed) == ges_printed, (effect, row["ng2"])
    paired = group[group["test"] == "paired_t_test"]
    present = paired[(paired["measure"] == "slope_ms_per_item")  # Static - Dynamic
                     & (paired["target_present"] == 1)].iloc[0]
    assert present["display"] == "Static - Dynamic"
    assert printed_like(present["t"] ** 2, "0.902") == "0.902"
    assert printed_like(present["p"], "0.365") == "0.365"
    dynamic = paired[(paired["measure"] == "slope_absent_minus_present_ms_per_item")
                     & (paired["display"] == "Dynamic")].iloc[0]
    assert printed_like(dynamic["t"] ** 2, "0.013") == "0.013"
    assert printed_like(dynamic["p"], "0.911") == "0.911"


@needs_shi
def test_group_slopes_and_what_the_paper_states(authors_run):
    result, _, group, _ = authors_run
    theirs = authors_get_slope(pd.read_csv(SHI_FILE))
    means = theirs.groupby(["display", "target_present"])["slope"].mean()
    tests = group[(group["test"] == "t_test") & (group["measure"] == "slope_ms_per_item")]
    for _, row in tests.iterrows():
        assert row["n"] == 11  # "11 Participants" (readme.md of msenselab/dynamic_search)
        assert row["mean"] == pytest.approx(means[(row["display"], int(row["target_present"]))],
                                            abs=1e-6)  # group.csv: 10 digits
    # The paper's abstract (APP 82:799): "Experiment 1 confirmed that the
    # target-absent:target-present slope ratio was close to or smaller than 1 in
    # dynamic search, as compared with being close to or above 2 in static search."
    dynamic = means[("Dynamic", 0)] / means[("Dynamic", 1)]
    static = means[("Static", 0)] / means[("Static", 1)]
    assert dynamic < 1.2 and static > 1.8
    # The printed headline is these numbers, to one decimal
    for display in ("Dynamic", "Static"):
        line = re.search(rf"display {display}: present ([\d.]+) \(n = 11\), absent ([\d.]+) "
                         rf"\(n = 11\)", result.stdout)
        assert line, result.stdout
        assert float(line.group(1)) == round(means[(display, 1)], 1)
        assert float(line.group(2)) == round(means[(display, 0)], 1)


@needs_shi
def test_the_report_names_the_authors_steps_and_the_excluded_record(authors_run):
    result, _, _, html = authors_run
    assert "Cleaning followed the 4 step(s) declared in the mapping" in result.stdout
    assert "not one of the 11 participants of Experiment 1" in html
    assert "all conditions together" in html  # the cut is over the participant
    assert "strict: a bound value is removed" in html
    # the mapping's [analysis] reached the methods: lines over single trials
    assert "a least-squares line of RT on set size was fitted over the single correct" in html


@needs_shi
def test_the_published_pipeline_matters_here(authors_run):
    """Without the authors' cleaning and slope method (the reference analysis
    of the shared README: correct trials, lines through set-size means), at
    least one group slope differs from the authors' by more than 0.5 ms/item,
    so the test above could not pass by accident."""
    _, participants, _, _ = authors_run
    raw = pd.read_csv(SHI_FILE)
    plain = raw[(raw["sub"].astype(str) != "666") & (raw["correct"].astype(str) == "1")]
    cell_means = plain.groupby(["sub", "dyn", "target", "setsize"])["rt"].mean().reset_index()
    slopes = cell_means.groupby(["sub", "dyn", "target"]).apply(
        lambda c: np.polyfit(c["setsize"].astype(float), c["rt"] * 1000.0, 1)[0],
        include_groups=False)
    plain_means = slopes.groupby(["dyn", "target"]).mean()
    authors = participants.groupby(["display", "target_present"])["slope_ms_per_item"].mean()
    gaps = [abs(plain_means[(d, t)] - authors[(d, int(t == "Present"))])
            for d in ("Dynamic", "Static") for t in ("Present", "Absent")]
    assert max(gaps) > 0.5


REY_MERMET = REPO / "tests" / "data" / "reymermet2018_numberstroop"
REY_MERMET_MAPPING = REPO / "docs" / "mappings" / "reymermet2018_numberstroop.toml"
# The authors' column names ("0. merge files.R", colnames for the Stroop and
# flanker tasks)
MERGE_COLUMNS = ["subj", "age", "age_group", "experimenter", "weekday", "day", "month", "year",
                 "time", "counterbalancing_battery", "block", "trialtype", "counterbalancing",
                 "congruency", "stimulus", "xr", "r", "corr", "corrafter", "rt"]
# d_rp <- d[which(d$subj != 112 ...)]: the script's 26 exclusions
AUTHORS_EXCLUDED = {112, 132, 139, 161, 164, 184, 196, 198, 225, 227, 301, 303, 309, 311, 313,
                    326, 363, 365, 368, 373, 374, 402, 423, 426, 429, 444}


def read_published(folder):
    """read.table(file, header = F, sep = "", strip.white = TRUE) of every file."""
    frames = [pd.read_csv(f, sep=r"\s+", header=None, names=MERGE_COLUMNS, quotechar='"')
              for f in sorted(folder.glob("*.txt"))]
    return pd.concat(frames, ignore_index=True)


def authors_merge(folder):
    """The merge script for numberstroop: rt in ms, practice and warm-up trials
    out, the 26 exclusions, blocks below 50% accuracy out (two or more: the
    participant's task out, crit_val); then the mean correct RT per condition."""
    d = read_published(folder)
    d["rt"] = d["rt"] * 1000
    d = d[(d["block"] != "practice") & (d["trialtype"] == "exp")]
    excluded = sorted(set(d["subj"]) & AUTHORS_EXCLUDED)
    d = d[~d["subj"].isin(AUTHORS_EXCLUDED)]
    block_acc = d.groupby(["subj", "block"])["corr"].transform("mean")
    low_blocks = d[block_acc < 0.50].groupby("subj")["block"].nunique()
    lost_task = set(low_blocks[low_blocks > 1].index)
    kept = d[(block_acc >= 0.50) & ~d["subj"].isin(lost_task)]
    means = kept[kept["corr"] == 1].groupby(["subj", "congruency"])["rt"].mean()
    return means, excluded, d


def test_a_folder_of_published_files_read_and_selected_as_the_authors_did(tmp_path):
    out = tmp_path / "results"
    result = run_cli(["analyze", str(REY_MERMET), "--mapping", str(REY_MERMET_MAPPING),
                      "--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert "from 2 file(s)" in result.stdout and "Analysed 576 stroop test trials" in \
        result.stdout  # 2 x 4 blocks x 72: no practice, no warm-up trial
    participants = pd.read_csv(out / "participants.csv", dtype={"participant": str})
    means, excluded, selected = authors_merge(REY_MERMET)
    assert excluded == [112]  # one of the two files is an excluded participant
    assert len(selected) == 288  # 103's trials after the script's selection
    ours = participants.set_index("participant")
    for (subj, condition), value in means.items():
        assert ours.loc[str(subj), f"rt_{condition}_ms"] == pytest.approx(value, abs=1e-6)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "high BDI (authors&#39; exclusion)" in html or "high BDI (authors' exclusion)" in html
    assert "Problems in the input" in html and "is not a number" not in html
    # 112 is out of the group statistics: the interference of the headline is 103's
    assert f"Interference: {means[(103, 'incongruent')] - means[(103, 'congruent')]:.1f} ms " \
           f"(n = 1)" in result.stdout


def test_first_trials_of_each_block_and_trials_after_an_error(tmp_path):
    """drop_first (2 per block) and drop_after_error on the published files give
    exactly the trials the authors' own codes mark: trialtype "exp" (not a
    warm-up trial) and corrafter = 1 (the trial before was answered correctly)."""
    mapping = tmp_path / "first_and_after_error.toml"
    text = REY_MERMET_MAPPING.read_text(encoding="utf-8")
    head = text.split("[keep]")[0]  # read and columns as shipped, no selection
    mapping.write_text(head + '''[drop]
block = ["practice"]
[[clean]]
step = "drop_first"
n = 2
[[clean]]
step = "drop_after_error"
[[clean]]
step = "remove_errors"
''', encoding="utf-8")
    result = run_analysis([REY_MERMET], AnalysisSettings(mapping=str(mapping)))
    raw = read_published(REY_MERMET)
    raw = raw[raw["block"] != "practice"].reset_index(drop=True)
    expected = (raw["trialtype"] == "exp") & (raw["corrafter"] == 1) & (raw["corr"] == 1)
    assert result.cleaning.used.tolist() == expected.tolist()
    assert (raw["trialtype"] == "exp").sum() < len(raw)
    assert ((raw["corrafter"] == 0) & (raw["trialtype"] == "exp")).sum() > 0
    assert [s.name for s in result.cleaning.steps] == [
        "drop_first", "drop_after_error", "remove_errors", "no_rt"]


def test_an_excluded_participant_is_not_reported_as_zero_trials_removed(tmp_path):
    """A participant-level step leaves participants out of the group statistics;
    the methods and the cleaning table say that, not '(0 trials, 0.0%)'."""
    rows = [{"id": p, "cong": c, "rt": 500 + 40 * (c == "incongruent") + i, "acc": 1}
            for p in ("1", "2", "3") for c in ("congruent", "incongruent") for i in range(10)]
    pd.DataFrame(rows).to_csv(tmp_path / "d.csv", index=False)
    (tmp_path / "m.toml").write_text(
        'task = "stroop"\n[read]\nsep = ","\nrt_unit = "ms"\n'
        '[columns]\nparticipant = "id"\ncongruency = "cong"\nrt_ms = "rt"\ncorrect = "acc"\n'
        '[[clean]]\nstep = "exclude_participants"\nids = ["3"]\nreason = "test reason"\n'
        '[[clean]]\nstep = "remove_errors"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["analyze", str(tmp_path / "d.csv"), "--mapping", str(tmp_path / "m.toml"),
                      "--out", str(out)])
    assert result.returncode == 0, result.stderr
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "participants excluded: 3 (test reason) (left out of the group statistics" in report
    assert "participants excluded: 3 (test reason) (0 trials" not in report
    assert "participants (see above)" in report
