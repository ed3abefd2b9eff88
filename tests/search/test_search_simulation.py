"""The simulated searcher: its files look like real sessions, its trials are
the ones a real session would run, and its slopes are the programmed ones."""

import json

import numpy as np
import pandas as pd
import pytest

from attentionlab.simulation import search as simulate_search
from attentionlab.simulation.sessions import session_rows, write_sessions
from attentionlab.core.columns import column_names
from attentionlab.core.trial_row import SessionFacts
from attentionlab.core.errors import UsageError
from attentionlab.stimuli import search


def _read(path):
    return pd.read_csv(path, dtype={"participant": str, "session": str, "response": str,
                                    "items": str, "target_kind": str},
                       keep_default_na=False, na_values={"rt_ms": [""]})


def test_simulate_writes_sessions_with_the_task_columns(tmp_path):
    paths = write_sessions("search", 2, tmp_path, seed=3, trials=48,
                           overrides={"blocks_per_type": "1"})
    assert len(paths) == 2
    for path in paths:
        data = _read(path)
        assert list(data.columns) == column_names(search.COLUMNS)
        test = data[data.phase == "test"]
        assert len(test) == 48 and (data.simulated == 1).all()
        assert set(test.search_type) == {"feature", "conjunction", "spatial"}
        answered = data[data.response != ""]
        assert set(answered.response) <= {"f", "j"}
        expected = (answered.response == answered.present_key).astype(int)
        assert (answered.answered_present.astype(int) == expected).all()
        assert (answered.correct == (answered.response == answered.correct_key)).all()
        side = json.loads(path.with_suffix(".json").read_text())
        assert side["completed"] and "spatial_slope_ms" in side["simulation"]["participant"]


def test_simulated_trials_are_those_a_real_session_prepares():
    from attentionlab.experiments.search import prepare  # no window needed

    params = search.SearchParams()
    prepared = prepare(params, "sim007", 1234)
    model = simulate_search.Population().draw(np.random.default_rng(1), params)
    rows = session_rows("search", params, model, SessionFacts("sim007", "1", "search", 1, 1),
                        1234, np.random.default_rng(2))
    trials = prepared.trials["practice"] + prepared.trials["test"]
    assert len(rows) == len(trials)
    for row, trial in zip(rows, trials):
        assert {k: row[k] for k in trial.row()} == trial.row()


def test_population_overrides_reach_the_model(tmp_path):
    paths = write_sessions("search", 1, tmp_path, trials=24,
                           overrides={"conjunction_slope_ms": "40",
                                      "conjunction_slope_sd_ms": "0",
                                      "blocks_per_type": "1"})
    side = json.loads(paths[0].with_suffix(".json").read_text())
    assert side["simulation"]["participant"]["conjunction_slope_ms"] == 40
    with pytest.raises(UsageError, match="unknown parameter"):
        write_sessions("search", 1, tmp_path, overrides={"conjunction_slope": "40"})


def _fitted_slopes(model, n_per_cell, rng):
    types = ("feature", "conjunction", "spatial")
    sizes = (4, 8, 16, 32)
    cells = [(t, s, p) for t in types for s in sizes for p in (1, 0)]
    st, ss, sp = (np.repeat(np.array(col, dtype=object if i == 0 else int), n_per_cell)
                  for i, col in enumerate(zip(*cells)))
    answers, rt = model.respond(st, ss, sp, rng)
    data = pd.DataFrame({"type": st, "size": ss, "present": sp, "answer": answers, "rt": rt})
    data = data[data.answer == np.where(data.present == 1, "present", "absent")]
    means = data.groupby(["type", "present", "size"]).rt.mean().reset_index()
    return {key: np.polyfit(g["size"], g.rt, 1)[0]
            for key, g in means.groupby(["type", "present"])}


def test_model_slopes_are_the_programmed_ones():
    model = simulate_search.SearchModel(feature_slope_ms=2, conjunction_slope_ms=20,
                                        spatial_slope_ms=30, absent_ratio=2.0,
                                        miss_rate=0.05, miss_per_item=0.002,
                                        deadline_ms=1e9)
    slopes = _fitted_slopes(model, 2000, np.random.default_rng(4))
    # SE of a slope from 2000 trials per point: about 0.2 ms/item
    assert slopes[("feature", 1)] == pytest.approx(2, abs=1)
    assert slopes[("feature", 0)] == pytest.approx(4, abs=1)
    assert slopes[("conjunction", 1)] == pytest.approx(20, abs=1)
    assert slopes[("conjunction", 0)] == pytest.approx(40, abs=1)
    assert slopes[("spatial", 1)] == pytest.approx(30, abs=1)
    assert slopes[("spatial", 0)] == pytest.approx(60, abs=1.5)


def test_misses_grow_with_set_size_in_inefficient_search_only():
    model = simulate_search.SearchModel(miss_rate=0.02, miss_per_item=0.004,
                                        false_alarm_rate=0.03, deadline_ms=1e9)
    rng = np.random.default_rng(5)
    n = 20000

    def rate(search_type, size, present):
        answers, _ = model.respond([search_type] * n, [size] * n, [present] * n, rng)
        wrong = "absent" if present else "present"
        return np.mean(answers == wrong)

    assert rate("conjunction", 32, 1) == pytest.approx(0.02 + 0.128, abs=0.01)
    assert rate("spatial", 4, 1) == pytest.approx(0.02 + 0.016, abs=0.006)
    assert rate("feature", 32, 1) == pytest.approx(0.02, abs=0.005)
    assert rate("conjunction", 32, 0) == pytest.approx(0.03, abs=0.005)


def test_a_miss_takes_the_time_of_an_absent_search():
    model = simulate_search.SearchModel(miss_rate=0.5, miss_per_item=0, sigma_ms=1,
                                        tau_ms=0, mu_ms=400, absent_extra_ms=50,
                                        conjunction_slope_ms=20, absent_ratio=2,
                                        deadline_ms=1e9)
    answers, rt = model.respond(["conjunction"] * 400, [10] * 400, [1] * 400,
                                np.random.default_rng(6))
    assert np.allclose(rt[answers == "present"], 400 + 200, atol=5)
    assert np.allclose(rt[answers == "absent"], 450 + 400, atol=5)


def test_rts_past_the_deadline_are_no_response():
    model = simulate_search.SearchModel(mu_ms=3000, tau_ms=0, sigma_ms=10, deadline_ms=2000)
    answers, rt = model.respond(["spatial"] * 10, [32] * 10, [0] * 10,
                                np.random.default_rng(7))
    assert (answers == "").all() and (rt > 2000).all()


def test_between_participant_spread_and_no_negative_slopes():
    pop = simulate_search.Population(feature_slope_ms=0.5, feature_slope_sd_ms=3)
    rng = np.random.default_rng(8)
    models = [pop.draw(rng) for _ in range(300)]
    feature = np.array([m.feature_slope_ms for m in models])
    conj = np.array([m.conjunction_slope_ms for m in models])
    assert feature.min() == 0 and (feature == 0).mean() > 0.3
    assert conj.std() == pytest.approx(7, rel=0.2) and conj.mean() == pytest.approx(20, abs=1.5)
    same = simulate_search.Population(conjunction_slope_sd_ms=0).draw(rng)
    assert same.conjunction_slope_ms == 20


def test_session_rows_depend_only_on_the_seeds():
    params = search.SearchParams(trials=24, blocks_per_type=1)
    model = simulate_search.SearchModel()
    facts = SessionFacts("P1", "1", "search", 1, 1)
    a = session_rows("search", params, model, facts, 9, np.random.default_rng(1))
    b = session_rows("search", params, model, facts, 9, np.random.default_rng(1))
    c = session_rows("search", params, model, facts, 10, np.random.default_rng(1))
    assert a == b and a != c
