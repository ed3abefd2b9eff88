"""Dichotic analysis: hand-worked statistics, closed forms, and recovery of a simulation."""

import math

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli

from attentionlab.analysis import dichotic as analysis
from attentionlab.analysis.registry import get_analysis


def test_clopper_pearson_matches_closed_forms_and_tables():
    # k = 0 and k = n have closed forms: 1 - (a/2)^(1/n) and (a/2)^(1/n).
    for n in (3, 10, 40):
        assert analysis.clopper_pearson(0, n) == (0.0, round(1 - 0.025 ** (1 / n), 4))
        assert analysis.clopper_pearson(n, n) == (round(0.025 ** (1 / n), 4), 1.0)
    assert analysis.clopper_pearson(5, 10) == (0.1871, 0.8129)  # textbook value
    assert analysis.clopper_pearson(2, 20) == (0.0123, 0.317)
    assert all(math.isnan(v) for v in analysis.clopper_pearson(0, 0))


def test_dprime_loglinear_and_mcnemar_by_hand():
    assert analysis.dprime(0.8, 0.2) == pytest.approx(2 * 0.841621, abs=1e-5)
    assert analysis.loglinear(0, 4) == 0.1 and analysis.loglinear(4, 4) == 0.9
    b, c, p = analysis.mcnemar_exact(np.array([1, 1, 1, 1, 0, 0]), np.array([0, 0, 0, 0, 1, 0]))
    assert (b, c) == (4, 1) and p == pytest.approx(6 / 16)  # 2 * P(X <= 1), X ~ Bin(5, .5)


def trials(people):
    """Test rows for participants given as dicts: manipulation -> answer, and
    word type -> list of 0/1 'yes' answers."""
    rows = []
    for label, spec in people.items():
        for message, (manipulation, answer) in enumerate(spec["reports"], start=1):
            rows.append({"participant": label, "session": "1", "phase": "test",
                         "item": "detection", "manipulation": manipulation,
                         "message": message, "response": answer,
                         "detected": int(answer != "nothing"), "word_type": "",
                         "said_old": None})
        for word_type, answers in spec["words"].items():
            for said in answers:
                rows.append({"participant": label, "session": "1", "phase": "test",
                             "item": "recognition", "manipulation": "none", "message": 1,
                             "response": "y" if said else "n", "detected": None,
                             "word_type": word_type, "said_old": said})
    return pd.DataFrame(rows)


PEOPLE = {
    "P1": {"reports": [("name", "name"), ("language", "nothing"), ("voice", "voice"),
                       ("none", "nothing")],
           "words": {"unattended_repeated": [0, 0, 1, 0], "attended": [1, 1, 1, 0],
                     "new": [0, 0, 0, 1]}},
    "P2": {"reports": [("voice", "tone"), ("name", "nothing"), ("language", "nothing"),
                       ("none", "voice")],
           "words": {"unattended_repeated": [0, 0, 0, 0], "attended": [1, 1, 0, 0],
                     "new": [0, 0, 0, 0]}},
    "P3": {"reports": [("language", "language"), ("voice", "voice"), ("name", "nothing"),
                       ("none", "nothing")],
           "words": {"unattended_repeated": [1, 0, 0, 0], "attended": [1, 1, 1, 1],
                     "new": [1, 0, 0, 0]}},
}


def test_participant_effects_by_hand():
    p = analysis.participant_effects(trials(PEOPLE)).set_index("participant")
    assert p.loc["P1", ["detected_name", "detected_language", "detected_none"]].tolist() == \
        [1.0, 0.0, 0.0]
    assert p.loc["P2", "detected_voice"] == 1.0 and p.loc["P2", "identified_voice"] == 0.0
    assert p.loc["P2", "detected_none"] == 1.0
    assert p.loc["P1", "first_manipulation"] == "name" and p.loc["P1", "first_detected"] == 1
    # P1: unattended 1/4, attended 3/4, new 1/4 -> log-linear 1.5/5, 3.5/5, 1.5/5.
    from scipy.stats import norm
    assert p.loc["P1", "dprime_unattended"] == pytest.approx(0.0)
    assert p.loc["P1", "dprime_attended"] == pytest.approx(norm.ppf(0.7) - norm.ppf(0.3))
    assert p.loc["P1", "criterion_c"] == pytest.approx(-(norm.ppf(0.7) + norm.ppf(0.3)) / 2)
    assert p.loc["P2", "hit_rate_attended"] == 0.5 and p.loc["P2", "false_alarm_rate"] == 0
    assert p.loc["P2", "n_recognition"] == 12


def test_group_detection_counts_cis_and_the_published_tests():
    data = trials(PEOPLE)
    participants = analysis.participant_effects(data)
    group = analysis.group_results(participants, used=data, test=data, settings=None)
    group = group.set_index(["test", "measure"])
    name = group.loc[("detection", "name")]
    assert (name["k"], name["n"]) == (1, 3)
    assert (name["ci95_low"], name["ci95_high"]) == analysis.clopper_pearson(1, 3)
    assert group.loc[("identification", "voice"), "k"] == 2  # P2 said tone
    assert group.loc[("detection", "none"), "k"] == 1  # P2's false report
    assert group.loc[("binomial", "name vs 1/3"), "p"] == pytest.approx(1.0)
    pair = group.loc[("mcnemar", "voice - language")]
    # voice detected by all three, language by P3 only: 2 discordant pairs -> p = .5
    assert pair["k"] == 2 and pair["p"] == pytest.approx(0.5)
    assert group.loc[("first_message", "name"), "n"] == 1
    assert set(group.index.get_level_values("test")) >= {
        "detection", "published", "recognition", "t_test", "paired_t_test"}


def test_meets_the_analysis_contract():
    registered = get_analysis("dichotic")
    assert registered.task == "dichotic" and not registered.rt_cleaning
    assert [c.name for c in registered.participant_columns][:2] == ["participant", "session"]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    root = tmp_path_factory.mktemp("sim")
    made = run_cli(["simulate", "dichotic", "--participants", "150", "--out",
                    str(root / "data"), "--seed", "3", "--set", "detect_name=0.33",
                    "--set", "detect_language=0.05", "--set", "dprime_unattended=0",
                    "--set", "dprime_attended=1.5", "--set", "detect_sd=0"])
    assert made.returncode == 0, made.stderr
    done = run_cli(["analyze", str(root / "data"), "--out", str(root / "out")])
    assert done.returncode == 0, done.stderr
    return done, pd.read_csv(root / "out" / "group.csv"), root


def test_analysis_recovers_the_simulated_rates_and_sensitivities(simulated):
    done, group, _ = simulated
    g = group.set_index(["test", "measure"])
    name = g.loc[("detection", "name")]
    assert name["n"] == 150 and name["ci95_low"] < 0.33 < name["ci95_high"]
    language = g.loc[("detection", "language")]
    assert language["ci95_low"] < 0.05 < language["ci95_high"]
    assert g.loc[("mcnemar", "voice - language"), "p"] < 0.001
    unattended = g.loc[("t_test", "dprime_unattended")]
    attended = g.loc[("t_test", "dprime_attended")]
    assert unattended["ci95_low"] < 0.15 and unattended["ci95_high"] > -0.15
    assert 1.2 < attended["mean"] < 1.8 and attended["p"] < 0.001
    assert "Detected name:" in done.stdout and "Recognition d'" in done.stdout


def test_report_has_the_published_comparison_and_both_figures(simulated):
    _, _, root = simulated
    html = (root / "out" / "report.html").read_text()
    for text in ("Cherry (1953)", "Moray (1959)", "Wood &amp; Cowan (1995)",
                 "Clopper", "exact McNemar"):
        assert text in html, text
    assert (root / "out" / "detection.png").exists()
    assert (root / "out" / "recognition.png").exists()
