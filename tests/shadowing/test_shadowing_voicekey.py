"""Voice key: onsets of synthetic sounds and of espeak-ng speech with a known leading silence."""

import doctest
import shutil

import numpy as np
import pytest

from attentionlab.speech import voicekey
from attentionlab.speech.voicekey import detect_onset, envelope, onset_figure
from attentionlab.core.errors import UsageError

RATE = 16000


def burst(onset_s, total_s=1.5, amp=0.3, noise_db=-50.0, seed=0, freq=180.0):
    t = np.arange(int(total_s * RATE)) / RATE
    rng = np.random.default_rng(seed)
    # a voiced-like sound: harmonics with a 5 ms rise, as speech starts
    tone = sum(np.sin(2 * np.pi * freq * k * t) / k for k in (1, 2, 3))
    rise = np.clip((t - onset_s) / 0.005, 0, 1)
    x = amp * tone * rise * (t >= onset_s) * (t < onset_s + 0.4)
    return x + 10 ** (noise_db / 20) * rng.standard_normal(len(t))


def test_doctests():
    assert doctest.testmod(voicekey).failed == 0


@pytest.mark.parametrize("onset_s", [0.1, 0.3217, 0.8])
@pytest.mark.parametrize("noise_db", [-60.0, -40.0])
def test_synthetic_onset_within_10_ms(onset_s, noise_db):
    result = detect_onset(burst(onset_s, noise_db=noise_db), RATE)
    assert result.found
    assert abs(result.onset_s - onset_s) < 0.010


def test_quiet_voice_is_found_too():
    result = detect_onset(burst(0.4, amp=0.01, noise_db=-70), RATE)
    assert abs(result.onset_s - 0.4) < 0.010


def test_a_click_shorter_than_min_duration_is_ignored():
    x = burst(0.6)
    x[int(0.2 * RATE):int(0.2 * RATE) + 80] += 0.5  # a 5 ms click
    result = detect_onset(x, RATE, min_duration_ms=40)
    assert abs(result.onset_s - 0.6) < 0.010
    assert detect_onset(x, RATE, min_duration_ms=2).onset_s < 0.25  # without the rule: the click


def test_start_s_skips_earlier_sound():
    x = burst(0.2) + burst(0.9, seed=1)
    assert abs(detect_onset(x, RATE, start_s=0.7).onset_s - 0.9) < 0.010


def test_no_speech_gives_none():
    noise = 0.001 * np.random.default_rng(3).standard_normal(RATE)
    result = detect_onset(noise, RATE)
    assert not result.found and result.onset_s is None
    assert result.threshold_db > result.noise_floor_db


def test_stereo_is_averaged():
    x = burst(0.5)
    stereo = np.column_stack([x, x])
    assert detect_onset(stereo, RATE).onset_s == pytest.approx(detect_onset(x, RATE).onset_s)


def test_bad_input_is_a_usage_error():
    with pytest.raises(UsageError):
        detect_onset(np.zeros((2, 2, 2)), RATE)
    with pytest.raises(UsageError):
        detect_onset(np.zeros(100), 0)


def test_envelope_level_of_a_sine():
    t = np.arange(RATE) / RATE
    _, db = envelope(np.sin(2 * np.pi * 1000 * t), RATE)
    assert np.median(db) == pytest.approx(-3.01, abs=0.05)


def test_figure_shows_threshold_and_onset():
    result = detect_onset(burst(0.3), RATE)
    fig = onset_figure(result)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "threshold" in labels and any(l.startswith("onset") for l in labels)
    onset_line = [l for l in ax.get_lines() if l.get_label().startswith("onset")][0]
    assert onset_line.get_xdata()[0] == pytest.approx(result.onset_s)
    threshold_line = [l for l in ax.get_lines() if l.get_label() == "threshold"][0]
    assert threshold_line.get_ydata()[0] == pytest.approx(result.threshold_db)


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")
@pytest.mark.parametrize("word", ["red", "green", "blue", "yellow", "seven", "the"])
@pytest.mark.parametrize("voice", ["male", "female"])
def test_espeak_word_after_known_silence(word, voice):
    from attentionlab.stimuli.speech import synthesize

    speech, rate = synthesize(word, lang="en", voice=voice)
    # espeak-ng's own output starts with digital silence: the speech starts at its
    # first non-zero sample (checked: the output is exactly 0 before that).
    first = int(np.flatnonzero(np.abs(speech) > 1e-4)[0])
    assert np.all(speech[:first] == 0)
    lead_s = 0.437
    x = np.concatenate([np.zeros(int(lead_s * rate)), speech, np.zeros(rate // 2)])
    x = x + 10 ** (-55 / 20) * np.random.default_rng(7).standard_normal(len(x))
    result = detect_onset(x, rate)
    true_onset = lead_s + first / rate
    assert abs(result.onset_s - true_onset) < 0.010
