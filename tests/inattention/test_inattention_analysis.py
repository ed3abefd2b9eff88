"""Inattention analysis: noticing rates with exact CIs, McNemar by hand,
identification against chance; simulate -> analyse recovers the programmed
noticing probabilities."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from attentionlab.analysis import inattention as ia
from attentionlab.simulation.sessions import write_sessions

from cli_runner import run_cli


def _people(noticed_inattention, noticed_divided):
    rows = []
    for i, (a, b) in enumerate(zip(noticed_inattention, noticed_divided)):
        for attention, noticed in (("inattention", a), ("divided", b)):
            rows.append({"participant": f"P{i}", "session": "1", "attention": attention,
                         "critical": 1, "noticed": noticed, "identified": noticed,
                         "location": "fixation", "recognition_options": "a;b;c;d;e",
                         "phase": "test"})
    return pd.DataFrame(rows)


def test_noticing_rates_and_exact_intervals():
    d = _people([1, 0, 0, 0, 0, 0, 0, 0, 1, 0], [1] * 10)
    rates = ia.noticing_rates(d).set_index("attention")
    assert rates.loc["inattention", ["n", "noticed"]].tolist() == [10, 2]
    # Clopper-Pearson limits are beta quantiles.
    assert rates.loc["inattention", "ci_low"] == pytest.approx(stats.beta.ppf(0.025, 2, 9))
    assert rates.loc["inattention", "ci_high"] == pytest.approx(stats.beta.ppf(0.975, 3, 8))
    assert rates.loc["divided", "ci_high"] == 1.0


def test_mcnemar_by_hand():
    # 8 people noticed only on the divided trial, 1 only on the critical one:
    # p = 2 * P(X <= 1 | n=9, 1/2) = 2 * 10/512.
    d = _people([0] * 8 + [1] + [1, 0], [1] * 8 + [0] + [1, 0])
    m = ia.mcnemar(d, "divided", "inattention")
    assert (m["n"], m["discordant_first"], m["discordant_second"]) == (11, 8, 1)
    assert m["p"] == pytest.approx(2 * 10 / 512)


def test_identification_against_chance():
    d = _people([1, 1, 1, 1, 0, 0, 0, 0], [1] * 8)
    row = ia.identification(d).set_index("attention").loc["inattention"]
    assert row["chance"] == pytest.approx(0.2)
    assert (row["n_noticed"], row["identified"], row["identified_all"]) == (4, 4, 4)
    assert row["p"] == pytest.approx(stats.binom.sf(3, 8, 0.2))


def test_participant_table():
    d = _people([1, 0], [1, 1])
    people = ia.participant_effects(d).set_index("participant")
    assert people.loc["P0", "noticed_inattention"] == 1
    assert people.loc["P1", "noticed_inattention"] == 0
    assert np.isnan(people.loc["P1", "noticed_full"])


def test_simulate_then_analyse_recovers_the_noticing_probabilities(tmp_path):
    write_sessions("inattention", 150, tmp_path / "sim", seed=4,
                   overrides={"notice_fixation": "0.25", "notice_divided": "0.8",
                              "notice_full": "1"})
    out = tmp_path / "res"
    done = run_cli(["analyze", str(tmp_path / "sim"), "--out", str(out)])
    assert done.returncode == 0, done.stderr
    group = pd.read_csv(out / "group.csv")
    noticing = group[group.test == "noticing"].set_index("condition")
    first = noticing.loc["inattention (fixation)"]
    assert first["n"] == 150 and first["ci_low"] < 0.25 < first["ci_high"]
    assert noticing.loc["divided (fixation)", "ci_low"] < 0.8 < \
        noticing.loc["divided (fixation)", "ci_high"]
    assert noticing.loc["full (fixation)", "proportion"] == 1.0
    mcnemar = group[group.test == "mcnemar"].set_index("condition")
    assert mcnemar.loc["divided vs inattention", "p"] < 0.001
    assert "noticed, inattention (fixation)" in done.stdout
    assert (out / "noticing.png").exists()
