"""Vocal Stroop scoring without a session: voice key and recognition of
espeak-ng colour names placed at known times, the parameters, the figures."""

import doctest
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from attentionlab.speech import recogniser
from attentionlab.speech import vocal_response
from attentionlab.speech import voicekey_check
from attentionlab.speech.vocal_response import score_recording
from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import recording
from attentionlab.stimuli.stroop import StroopParams
from attentionlab.stimuli.stroop_words import VOICE_TEXT

needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")
VOCABULARY = list(VOICE_TEXT["en"]["vocabulary"].values())


@pytest.fixture(scope="module")
def decoder():
    return recogniser.decoder()


def spoken(word, voice, rate_out=44100):
    """espeak-ng speech of ``word`` cut to its first non-zero sample (the true
    onset), at ``rate_out``."""
    from attentionlab.stimuli.dichotic_mix import resample
    from attentionlab.stimuli.speech import synthesize

    x, rate = synthesize(word, lang="en", voice=voice)
    x = x[np.flatnonzero(np.abs(x) > 1e-4)[0]:]
    return resample(x[:, None], rate, rate_out)[:, 0]


def trial_recording(speech, rate, stimulus_s, rt_s, noise_db, seed=0):
    """A recording with the stimulus at ``stimulus_s`` and speech starting
    ``rt_s`` later, in noise of ``noise_db`` dBFS RMS (None: digital silence,
    as from a virtual microphone)."""
    x = np.zeros(int((stimulus_s + 2.2) * rate), np.float32)
    at = int(round((stimulus_s + rt_s) * rate))
    x[at:at + len(speech)] = speech
    if noise_db is not None:
        x += (10 ** (noise_db / 20) * np.random.default_rng(seed).standard_normal(len(x))
              ).astype(np.float32)
    return x


def test_doctests():
    for module in (vocal_response, recording):
        assert doctest.testmod(module).failed == 0


@needs_espeak
@pytest.mark.parametrize("voice", ["male", "female"])
@pytest.mark.parametrize("word", VOCABULARY)
@pytest.mark.parametrize("noise_db", [None, -55.0])
def test_colour_name_is_recognised_and_timed(word, voice, noise_db, decoder):
    rate, stimulus_s, rt_s = 44100, 0.4871, 0.6234
    x = trial_recording(spoken(word, voice), rate, stimulus_s, rt_s, noise_db)
    result = score_recording(x, rate, stimulus_ms=stimulus_s * 1000, vocabulary=VOCABULARY,
                             decoder=decoder)
    assert result.word == word
    assert abs(result.rt_ms - rt_s * 1000) < 10, result.rt_ms


@needs_espeak
def test_speech_before_the_stimulus_is_not_the_response(decoder):
    rate = 44100
    x = trial_recording(spoken("blue", "male"), rate, 0.5, 0.7, -60.0)
    early = spoken("red", "female")[:int(0.4 * rate)]  # said (and over) before the word
    x[int(0.05 * rate):int(0.05 * rate) + len(early)] += early
    result = score_recording(x, rate, stimulus_ms=500, vocabulary=VOCABULARY, decoder=decoder)
    assert result.word == "blue"
    assert abs(result.rt_ms - 700) < 10


def test_silence_and_noise_give_no_response(decoder):
    rate = 16000
    noise = 0.001 * np.random.default_rng(2).standard_normal(2 * rate)
    result = score_recording(noise, rate, stimulus_ms=300, vocabulary=VOCABULARY,
                             decoder=decoder)
    assert (result.rt_ms, result.word) == (None, "")
    silence = np.zeros(2 * rate, np.float32)
    assert score_recording(silence, rate, stimulus_ms=300, vocabulary=VOCABULARY).rt_ms is None


def test_a_tone_is_timed_but_not_taken_for_a_colour(decoder):
    rate = 16000
    t = np.arange(2 * rate) / rate
    x = np.where((t > 0.9) & (t < 1.3), 0.3 * np.sin(2 * np.pi * 1000 * t), 0.0)
    x = x + 0.0005 * np.random.default_rng(1).standard_normal(len(x))
    result = score_recording(x, rate, stimulus_ms=300, vocabulary=VOCABULARY,
                             decoder=decoder)
    assert abs(result.rt_ms - 600) < 10
    assert result.word == ""  # the optional grammar can say "nothing"


def test_response_parameter_and_language():
    params = apply_overrides(StroopParams(), {"response": "voice"})
    assert params.response == "voice" and StroopParams().response == "keys"
    with pytest.raises(UsageError, match="lang=en"):
        apply_overrides(StroopParams(), {"response": "voice", "lang": "de"})
    with pytest.raises(UsageError, match="keys"):
        apply_overrides(StroopParams(), {"response": "mouse"})


def test_voicekey_figures_for_a_session(tmp_path):
    import soundfile

    data_dir = tmp_path / "sub-P1"
    data_dir.mkdir()
    csv = data_dir / "sub-P1_ses-1_task-stroop_run-1_beh.csv"
    rate = 16000
    rows = []
    for i in (1, 2, 3):
        t = np.arange(2 * rate) / rate
        x = np.where((t > 0.5 + 0.1 * i) & (t < 1.0 + 0.1 * i),
                     0.3 * np.sin(2 * np.pi * 200 * t), 0.0)
        x = x + 0.0005 * np.random.default_rng(i).standard_normal(len(x))
        name = recording.recording_path(csv, i).name
        soundfile.write(data_dir / name, x, rate, subtype="PCM_16")
        rows.append({"trial_index": i, "word": "RED", "ink": "blue", "response": "blue",
                     "recording_file": name, "recording_offset_ms": 300.0})
    pd.DataFrame(rows).to_csv(csv, index=False)
    csv.with_suffix(".json").write_text(json.dumps({"params": {"voice_threshold_db": 12}}))
    out = tmp_path / "figures"
    paths = voicekey_check.trial_figures(csv, out, n_trials=2)
    assert [p.name for p in paths] == ["trial-1_voicekey.png", "trial-2_voicekey.png"]
    assert all(p.stat().st_size > 1000 for p in paths)
    with pytest.raises(FileExistsError):  # figures are never overwritten
        voicekey_check.trial_figures(csv, out, n_trials=1)
    with pytest.raises(UsageError):  # nor written into the raw data folder
        voicekey_check.trial_figures(csv, data_dir, n_trials=1)
    from cli_runner import run_cli

    done = run_cli(["voicekey", str(csv), "--out", str(tmp_path / "again"),
                    "--threshold-db", "20"])
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3  # all three trials (default: first 5)
    again = run_cli(["voicekey", str(csv), "--out", str(tmp_path / "again")])
    assert again.returncode == 2 and "never overwritten" in again.stderr


def test_voice_trials_have_no_keys(monkeypatch):
    from attentionlab.experiments import stroop as presentation
    from attentionlab.experiments import stroop_voice

    checked = []
    # the microphone look-up is tested end to end (test_stroop_voice_session.py)
    monkeypatch.setattr(stroop_voice, "check_ready", checked.append)
    params = apply_overrides(StroopParams(), {"response": "voice", "trials": 12, "blocks": 1})
    prepared = presentation.prepare(params, "P1", seed=3)
    assert checked == [params]
    assert {t.correct_key for t in prepared.trials["test"]} == {""}
    assert "counterbalance_group" not in prepared.sidecar_extra
    keys = presentation.prepare(StroopParams(), "P1", seed=3)
    assert {t.correct_key for t in keys.trials["test"]} == set("dfjk")
