"""The participant model's time courses, and the analysis recovering them from
simulated sessions (the same files `attentionlab simulate` writes)."""

import numpy as np
import pandas as pd
import pytest

from attentionlab.analysis import posner as analysis
from attentionlab.analysis.pipeline import run_analysis
from attentionlab.simulation.posner import PosnerModel, PosnerPopulation
from attentionlab.simulation.sessions import write_sessions


def validity(model, cue_type, soa):
    valid, invalid = model.shift_ms([cue_type] * 2, ["valid", "invalid"], [soa] * 2)
    return invalid - valid


def test_the_model_has_the_published_time_courses():
    m = PosnerModel()
    # endogenous: builds up, 20-40 ms at long SOAs
    assert validity(m, "endogenous", 100) < validity(m, "endogenous", 600)
    assert 20 <= validity(m, "endogenous", 600) <= 40
    # exogenous: facilitation early, inhibition of return from about 300 ms on
    assert validity(m, "exogenous", 100) > 15
    assert validity(m, "exogenous", 300) < 0 and validity(m, "exogenous", 1000) < -15
    neutral = m.shift_ms(["endogenous"], ["neutral"], [600])[0]
    valid = m.shift_ms(["endogenous"], ["valid"], [600])[0]
    assert neutral - valid == pytest.approx(m.endo_benefit_ms, abs=0.5)


def test_catch_trials_get_false_alarms_and_dots_misses_at_the_programmed_rates():
    m = PosnerModel(false_alarm_rate=0.2, miss_rate=0.05)
    rng = np.random.default_rng(1)
    n = 20000
    pressed, rt = m.respond(["exogenous"] * n, ["catch"] * n, [300] * n, rng)
    assert pressed.mean() == pytest.approx(0.2, abs=0.015)
    pressed, rt = m.respond(["exogenous"] * n, ["valid"] * n, [300] * n, rng)
    assert 1 - pressed.mean() == pytest.approx(0.05, abs=0.01)
    assert rt.min() >= 150


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    out = tmp_path_factory.mktemp("posner_sim")
    # 40 participants, defaults otherwise: the analysis must find what was programmed
    paths = write_sessions("posner", 40, out, seed=3)
    return run_analysis(paths)


def effect(result, cue_type, soa, measure="validity_ms"):
    g = result.group
    row = g[(g["test"] == "t_test") & (g["cue_type"] == cue_type) & (g["soa_ms"] == soa)
            & (g["measure"] == measure)]
    assert len(row) == 1
    return row.iloc[0]


def test_the_analysis_recovers_the_programmed_effects(analysed):
    pop = PosnerPopulation()
    for soa in (600, 1000):
        row = effect(analysed, "endogenous", soa)
        truth = pop.endo_benefit_ms + pop.endo_cost_ms  # g is ~1 from 600 ms on
        assert row["ci95_low"] - 5 < truth < row["ci95_high"] + 5 and row["p"] < 0.05
    assert effect(analysed, "exogenous", 100)["mean"] > 0
    ior = effect(analysed, "exogenous", 1000)
    assert ior["ci95_high"] < 0  # inhibition of return: invalid faster
    assert ior["ci95_low"] - 5 < -pop.ior_ms < ior["ci95_high"] + 5
    fa = analysed.group[(analysed.group["test"] == "rate")
                        & (analysed.group["cue_type"] == "all")
                        & (analysed.group["measure"] == "false_alarm_rate")].iloc[0]
    assert fa["ci95_low"] - 0.01 < pop.false_alarm_rate < fa["ci95_high"] + 0.01
    assert fa["n"] == 40


def test_report_text_names_the_effects(analysed):
    lines = analysis.headline(analysed)
    assert lines[0].startswith("Validity effect (invalid - valid), endogenous: 100 ms:")
    assert any(line.startswith("False alarms on catch trials:") for line in lines)
    text = analysis.methods_paragraph(analysed)
    assert "benefit (neutral - valid)" in text and "catch trials" in text
    figs = analysis.figures(analysed.participants, None)
    assert set(figs) == {"rt_by_soa", "validity_effect"}
    assert [ax.get_title() for ax in figs["rt_by_soa"].axes] == ["Endogenous cue",
                                                                 "Exogenous cue"]
    for fig in figs.values():  # journal style: every axis names its unit
        for ax in fig.axes:
            assert ax.get_xlabel() == "Cue-target SOA (ms)"
            assert ax.get_ylabel().endswith("(ms)")


def test_effects_counts_and_false_alarms_by_hand():
    rows = [("endogenous", 300.0, "valid", 300.0, 1), ("endogenous", 300.0, "valid", 320.0, 1),
            ("endogenous", 300.0, "invalid", 350.0, 1), ("endogenous", 300.0, "neutral", 330.0, 1),
            ("endogenous", 300.0, "invalid", None, 0),   # a miss
            ("endogenous", 300.0, "catch", 400.0, 0),    # a false alarm
            ("endogenous", 300.0, "catch", None, 1),
            ("exogenous", 100.0, "valid", 290.0, 1), ("exogenous", 100.0, "invalid", 100.0, 1)]
    test = pd.DataFrame(rows, columns=["cue_type", "soa_ms", "validity", "rt_ms", "correct"])
    test.insert(0, "participant", "P1")
    test.insert(1, "session", "1")
    p = analysis.participant_effects(test).set_index("cue_type")
    endo = p.loc["endogenous"]
    assert (endo["validity_ms"], endo["benefit_ms"], endo["cost_ms"]) == (40.0, 20.0, 20.0)
    assert (endo["n_valid"], endo["n_invalid"], endo["misses"]) == (2, 1, 1)
    assert (endo["catch_trials"], endo["false_alarms"], endo["target_trials"]) == (2, 1, 5)
    exo = p.loc["exogenous"]  # the 100 ms RT is below the 200 ms bound: no invalid mean
    assert np.isnan(exo["validity_ms"]) and exo["n_invalid"] == 0
    rates = analysis.rates(p.reset_index())
    assert rates.set_index("cue_type").loc["all", "false_alarm_rate"] == 0.5
