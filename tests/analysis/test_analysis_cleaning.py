"""Cleaning steps: order, counts, and the SD/MAD bands on hand-worked numbers."""

import pandas as pd
import pytest

from attentionlab.analysis.cleaning import CleaningSettings, clean, parse_trim
from attentionlab.core.errors import UsageError


def frame(rts, correct=None, cond="congruent", participant="P1"):
    correct = correct or [1] * len(rts)
    return pd.DataFrame({"participant": participant, "session": "1", "congruency": cond,
                         "rt_ms": rts, "correct": correct})


def counts(result):
    return {s.name: s.n_removed for s in result.steps}


def test_steps_run_in_order_and_count_only_what_is_left():
    # an error trial that is also too fast counts as an error, not as a bound
    d = frame([150.0, 150.0, 500.0, None, 2500.0], correct=[0, 1, 1, 0, 1])
    result = clean(d, CleaningSettings(min_rt_ms=200, max_rt_ms=2000))
    assert [s.name for s in result.steps] == ["errors", "no_rt", "bounds", "trim"]
    assert counts(result) == {"errors": 2, "no_rt": 0, "bounds": 2, "trim": 0}
    assert result.used.tolist() == [False, False, True, False, False]
    assert result.n_used == 1 and result.n_trials == 5


def test_include_errors_keeps_errors_but_not_missing_rts():
    d = frame([500.0, 520.0, None], correct=[1, 0, 0])
    result = clean(d, CleaningSettings(include_errors=True))
    assert counts(result)["errors"] == 0
    assert counts(result)["no_rt"] == 1
    assert result.used.tolist() == [True, True, False]


def test_bounds_are_inclusive():
    d = frame([200.0, 2000.0, 199.9, 2000.1])
    result = clean(d, CleaningSettings(min_rt_ms=200, max_rt_ms=2000))
    assert result.used.tolist() == [True, True, False, False]


def test_sd_trim_hand_worked():
    # 10 x 500 and one 1000: mean = 545.45..., SD (n-1) = 150.76...
    # |1000 - 545.45| = 454.5 > 2 * 150.76 = 301.5 -> removed; with K = 3.1 (467.4) kept
    rts = [500.0] * 10 + [1000.0]
    assert counts(clean(frame(rts), CleaningSettings(trim="sd:2")))["trim"] == 1
    assert counts(clean(frame(rts), CleaningSettings(trim="sd:3.1")))["trim"] == 0


def test_mad_trim_hand_worked():
    # 400, 450, 500, 550, 2000: median 500, |dev| = 100, 50, 0, 50, 1500 -> MAD 50
    # band at K = 3: 3 * 1.4826 * 50 = 222.4 -> only 2000 out; at K = 1.8: 133.4 -> 400
    # (|dev| 100) still in (it would be out without the 1.4826); at K = 1: 74.1 -> 400 out
    rts = [400.0, 450.0, 500.0, 550.0, 2000.0]
    assert clean(frame(rts), CleaningSettings(trim="mad:3")).used.tolist() == \
        [True, True, True, True, False]
    assert clean(frame(rts), CleaningSettings(trim="mad:1.8")).used.tolist() == \
        [True, True, True, True, False]
    assert clean(frame(rts), CleaningSettings(trim="mad:1")).used.tolist() == \
        [False, True, True, True, False]


def test_trim_is_within_participant_and_condition():
    # the same RT is an outlier for P1 (all ~500) but not for P2 (spread out)
    p1 = frame([500.0, 502.0, 498.0, 501.0, 499.0, 900.0], participant="P1")
    p2 = frame([300.0, 900.0, 500.0, 700.0, 400.0, 800.0], participant="P2")
    other_condition = frame([900.0] * 3, cond="incongruent", participant="P1")
    result = clean(pd.concat([p1, p2, other_condition], ignore_index=True),
                   CleaningSettings(trim="sd:2"))
    assert result.used.tolist() == [True] * 5 + [False] + [True] * 9


def test_trim_uses_trials_left_after_bounds():
    # without the bound, 5000 inflates the SD and 900 survives sd:2; with it, 900 goes
    rts = [500.0, 502.0, 498.0, 501.0, 499.0, 500.0, 900.0, 5000.0]
    loose = clean(frame(rts), CleaningSettings(trim="sd:2"))
    tight = clean(frame(rts), CleaningSettings(max_rt_ms=2000, trim="sd:2"))
    assert loose.used.iloc[6]
    assert not tight.used.iloc[6]
    assert counts(tight) == {"errors": 0, "no_rt": 0, "bounds": 1, "trim": 1}


@pytest.mark.parametrize("text", ["sd", "sd:0", "sd:-1", "iqr:2", "mad:x", "sd:inf"])
def test_bad_trim_is_a_usage_error(text):
    with pytest.raises(UsageError, match="sd:K or mad:K"):
        parse_trim(text)


def test_min_above_max_is_a_usage_error():
    with pytest.raises(UsageError, match="larger than"):
        CleaningSettings(min_rt_ms=500, max_rt_ms=400)
