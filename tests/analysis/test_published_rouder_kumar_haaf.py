"""Header-less, space-separated files cleaned as their authors clean them,
against the authors' published numbers (issue 15, kinds (a) and (b)).

Three data sets of the table of 24 in Rouder, Kumar & Haaf, "Why most studies of
individual differences with inhibition tasks are bound to fail" (the paper's
source, PerceptionAndCognitionLab/ctx-inhibition, commit
1fd874857ae22b880ee89652c0d6c481363b8873: papers/rev2/p.tex, table
"tab:metaTab"; the cleaning code, papers/rev2/readSingleTaskData.R)::

    Stroop   1. von Bastian & 11,245 & 121 & 46 & 0.24 & 0.34 & 64 & 47 & 198 & 22 & 0.11
    Stroop   4. Pratte ii & 12,565 & 38 & 165 & 0.19 & -0.07 & 12 & 20 & 160 & 15 & 0.10
    Other   24. Rouder ii & 16,859 & 58 & 145 & 0.62 &  0.62 & 142 & 72 & 351 & 53 & 0.15

The columns, as the paper's code makes them (papers/rev2/oneTask.Rmd, chunks
"makeStats" and "metaTab"): cleaned trials in the two conditions (Obs),
participants (Indv), Obs / (2 Indv) (Rep), two reliabilities, the posterior mean
of the mean effect in their hierarchical model (Effect, ms), the SD of the
participants' sample effects (s_d, ms, ``effectSD``: ``sd(mrt[,2] - mrt[,1])``),
then model estimates. Obs, Indv, Rep and s_d are sample statistics, compared at
the printed precision; Effect is a model estimate (shrunk towards the prior),
so our sample mean is only required to be within 1.5 ms of it.

- von Bastian: von Bastian, Souza & Gade (2016), the Stroop file of
  ../shared/data/real (skipped without it): strict RT bounds, errors out,
  the neutral condition not in the contrast;
  ``docs/mappings/vonbastian2015_rkh_stroop.toml``.
- Pratte ii: the Stroop blocks of Pratte et al. (2010) Experiment 2, allsi7.dat
  (trailing spaces on most lines), strict RT bounds, errors out, the first 5
  trials of each block out; ``docs/mappings/pratte2010_exp2_stroop.toml``.
- Rouder ii: st3.dat of Rouder et al. (2010), CR LF line ends; the first trial
  of each block, errors, wrong buttons and the trial after any of them out,
  inclusive RT bounds, the first three blocks out; the contrast hard - easy;
  ``docs/mappings/rouder2010_st3.toml``.

Expected values: (1) the authors' R code re-implemented line by line with
pandas, checked first against the published numbers; (2) every participant of
``attentionlab analyze`` equal to it; (3) the published numbers from our output.
The files are in tests/data/ (README beside each).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from analysis_helpers import REAL_DATA, REPO
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from cli_runner import run_cli

DATA, MAPPINGS = REPO / "tests" / "data", REPO / "docs" / "mappings"


def read_table(path, names) -> pd.DataFrame:
    """R's read.table(file): no header, fields split on runs of white space."""
    return pd.read_csv(path, sep=r"\s+", header=None, names=names)


def von_bastian(path) -> pd.DataFrame:
    """readVbStroop, in pandas::

        stroop <- read.csv2(filename, header = TRUE, dec = ".")
        stroop$cond <- as.numeric(as.factor(stroop$congruency))  # 1 con, 2 incon, 3 neutral
        stroop$rt <- stroop$RT / 1000
        stroop <- stroop[stroop$rt > .2 & stroop$rt < 2, ]
        stroop <- subset(stroop, accuracy == 1 & cond != 3)
    """
    stroop = pd.read_csv(path, sep=";")
    cond = stroop["congruency"].map({"congruent": 1, "incongruent": 2, "neutral": 3})
    rt = stroop["RT"] / 1000
    keep = (rt > 0.2) & (rt < 2) & (stroop["accuracy"] == 1) & (cond != 3)
    return pd.DataFrame({"sub": stroop["ID"][keep], "cond": cond[keep], "rt": rt[keep]})


PRATTE_COLUMNS = ["sub", "blk", "blktype", "trial", "word", "location", "cond", "resp", "acc",
                  "rt", "errorTotal"]


def pratte_ii(path) -> pd.DataFrame:
    """readPratteStroopII, in pandas::

        dat <- dat[dat$rt > .2 & dat$rt < 2, ]
        dat <- subset(dat, acc == 1 & blktype == 1)
        tmp <- dat[!(dat$trial %in% 0:4), ]
        dat = data.frame(tmp$sub, 2 - tmp$cond, tmp$rt)   # 1 congruent, 2 incongruent
    """
    dat = read_table(path, PRATTE_COLUMNS)
    dat = dat[(dat["rt"] > 0.2) & (dat["rt"] < 2)]
    dat = dat[(dat["acc"] == 1) & (dat["blktype"] == 1)]
    tmp = dat[~dat["trial"].isin(range(5))]
    return pd.DataFrame({"sub": tmp["sub"], "cond": 2 - tmp["cond"], "rt": tmp["rt"]})


ST3_COLUMNS = ["sub", "block", "trial", "trialB", "cond", "resp", "rt", "acc"]


def rouder_ii(path, upper=5, lower=0.2) -> pd.DataFrame:
    """readRouderOtherII(upper = 5, lower = .2), in pandas::

        wrong.button = dat$resp > 1;  error = dat$acc == 0
        stop = wrong.button | dat$trialB == 0 | error
        after.stop = c(0, stop)[1:length(stop)]
        dont.use = stop | after.stop | dat$rt < lower | dat$rt > upper
        clean = dat[!dont.use, ];  ct = clean[clean$block > 2, ]
        cond: 1 (easy) for cond 0 or 5, 2 (hard) for cond 2 or 3, else left out

    The participants keep their ids (the script renumbers them 1..I)."""
    dat = read_table(path, ST3_COLUMNS)
    stop = (dat["resp"] > 1) | (dat["trialB"] == 0) | (dat["acc"] == 0)
    after_stop = stop.shift(1, fill_value=False)
    dont_use = stop | after_stop | (dat["rt"] < lower) | (dat["rt"] > upper)
    ct = dat[~dont_use]
    ct = ct[ct["block"] > 2]
    cond = np.select([ct["cond"].isin([0, 5]), ct["cond"].isin([2, 3])], [1, 2], 0)
    return pd.DataFrame({"sub": ct["sub"][cond > 0], "cond": cond[cond > 0],
                         "rt": ct["rt"][cond > 0]})


@dataclass(frozen=True)
class Published:
    """One row of tab:metaTab and how to get there."""

    name: str
    path: object  # the data file
    mapping: str
    authors: object  # the authors' cleaning, re-implemented
    trials: int         # Obs
    participants: int   # Indv
    per_condition: int  # Rep
    effect_ms: int      # Effect: a posterior mean, not a sample mean
    sd_ms: int          # s_d

    @property
    def mapping_path(self):
        return MAPPINGS / self.mapping


SETS = [Published("von Bastian", REAL_DATA / "stroop_vonbastian2015.csv",
                  "vonbastian2015_rkh_stroop.toml", von_bastian, 11245, 121, 46, 64, 47),
        Published("Pratte ii", DATA / "pratte2010_exp2" / "allsi7.dat",
                  "pratte2010_exp2_stroop.toml", pratte_ii, 12565, 38, 165, 12, 20),
        Published("Rouder ii", DATA / "rouder2010_st3" / "st3.dat", "rouder2010_st3.toml",
                  rouder_ii, 16859, 58, 145, 142, 72)]


def present(published):
    """Skip a data set whose file is absent (the shared/ folder beside the
    repository, in a user's clone), saying which."""
    if not published.path.exists():
        pytest.skip(f"needs {published.path} ({published.name}); the shared/ folder beside "
                    f"the repository is absent")
    return published


def sample_effects(clean: pd.DataFrame) -> pd.DataFrame:
    """Per participant: mean RT (ms) of condition 1 and 2 and their difference."""
    means = clean.groupby(["sub", "cond"])["rt"].mean().unstack() * 1000
    return pd.DataFrame({"one": means[1], "two": means[2], "effect": means[2] - means[1]})


@pytest.fixture(scope="module", params=SETS, ids=lambda s: s.name)
def analysed(request, tmp_path_factory):
    """One run of the command as the mapping's header gives it."""
    published = present(request.param)
    out = tmp_path_factory.mktemp("published") / "results"
    result = run_cli(["analyze", str(published.path), "--mapping", str(published.mapping_path),
                      "--out", str(out)])
    assert result.returncode == 0, result.stderr
    participants = pd.read_csv(out / "participants.csv", dtype={"participant": str})
    return published, result, participants, (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("published", SETS, ids=lambda s: s.name)
def test_the_authors_script_gives_their_published_numbers(published):
    """The re-implementation itself is checked against the paper first."""
    present(published)
    clean = published.authors(published.path)
    effects = sample_effects(clean)
    assert len(clean) == published.trials
    assert len(effects) == published.participants
    assert round(len(clean) / len(effects) / 2) == published.per_condition
    assert round(effects["effect"].std()) == published.sd_ms
    assert abs(effects["effect"].mean() - published.effect_ms) < 1.5


def test_every_participant_is_the_authors_cleaning(analysed):
    published, _, participants, _ = analysed
    theirs = sample_effects(published.authors(published.path))
    ours = participants.set_index(participants["participant"].astype(int))
    assert sorted(ours.index) == sorted(theirs.index)
    for sub, row in theirs.iterrows():
        assert ours.loc[sub, "rt_congruent_ms"] == pytest.approx(row["one"], abs=1e-6)
        assert ours.loc[sub, "rt_incongruent_ms"] == pytest.approx(row["two"], abs=1e-6)
        assert ours.loc[sub, "interference_ms"] == pytest.approx(row["effect"], abs=1e-6)


def test_our_analysis_reproduces_the_published_numbers(analysed):
    published, result, participants, _ = analysed
    effect = participants["interference_ms"]
    assert len(participants) == published.participants
    assert round(effect.std()) == published.sd_ms
    assert abs(effect.mean() - published.effect_ms) < 1.5  # their Effect: model estimate
    assert f"Interference: {effect.mean():.1f} ms" in result.stdout
    # the trials in the means of the two contrasted conditions (Rouder ii's
    # middle levels are rows of the file, read as neutral, not in the contrast)
    again = run_analysis([published.path], AnalysisSettings(mapping=str(published.mapping_path)))
    used = again.test[again.cleaning.used.reindex(again.test.index).to_numpy()]
    assert used["congruency"].isin(["congruent", "incongruent"]).sum() == published.trials


def test_the_report_names_each_step_and_rule_of_the_authors(analysed):
    published, _, _, html = analysed
    steps = {"von Bastian": ("error trials removed",
                             "RTs below 200 ms and above 2000 ms removed (strict"),
             "Pratte ii": ("first 5 trial(s) of each block removed", "error trials removed",
                           "RTs below 200 ms and above 2000 ms removed (strict",
                           "rules (keep blktype in {1})"),
             "Rouder ii": ("first 2 trial(s) of each block removed",
                           "trials following an error in the same block removed",
                           "error trials removed",
                           "RTs below 200 ms and above 5000 ms removed (inclusive",
                           "rules (keep block &gt; 2)")}[published.name]
    for words in steps:
        assert words in html, words


def test_the_published_cleaning_matters_here(analysed):
    """Correct trials only (of the right blocks), none of the other steps: a
    different effect, so the tests above could not pass by the accident of a
    cleaning-free mean."""
    published, _, participants, _ = analysed
    if published.name == "von Bastian":
        raw = pd.read_csv(published.path, sep=";")
        raw = raw[raw["accuracy"] == 1].assign(sub=lambda d: d["ID"], rt=lambda d: d["RT"] / 1000)
        one, two = raw[raw["congruency"] == "congruent"], raw[raw["congruency"] == "incongruent"]
    elif published.name == "Pratte ii":
        raw = read_table(published.path, PRATTE_COLUMNS)
        raw = raw[(raw["acc"] == 1) & (raw["blktype"] == 1)]
        one, two = raw[raw["cond"] == 1], raw[raw["cond"] == 0]
    else:
        raw = read_table(published.path, ST3_COLUMNS)
        raw = raw[(raw["acc"] == 1) & (raw["block"] > 2)]
        one, two = raw[raw["cond"].isin([0, 5])], raw[raw["cond"].isin([2, 3])]
    uncleaned = ((two.groupby("sub")["rt"].mean() - one.groupby("sub")["rt"].mean())
                 * 1000).mean()
    assert abs(uncleaned - participants["interference_ms"].mean()) > 1.0
