"""The sound of a dichotic message, checked sample by sample (no sound card needed)."""

import dataclasses
import random
import shutil

import numpy as np
import pytest

from attentionlab.stimuli import dichotic, dichotic_mix, dichotic_set, speech
from attentionlab.stimuli.dichotic_mix import stereo, unattended_message
from attentionlab.stimuli.dichotic_sound import MessageSounds, spoken_name

FS = 8000


def fake_prose(seconds, seed):
    """'Words' of noise (250 ms) separated by 60 ms silences, like speech with pauses."""
    rng = np.random.default_rng(seed)
    out = []
    while sum(map(len, out)) < seconds * FS:
        out += [rng.standard_normal(int(0.25 * FS)) * 0.05, np.zeros(int(0.06 * FS))]
    return np.concatenate(out)[:int(seconds * FS)].astype(np.float32)


def chirp(f0, f1, ms=300):
    t = np.arange(int(FS * ms / 1000)) / FS
    return (0.05 * np.sin(2 * np.pi * (f0 + (f1 - f0) * t / t[-1] / 2) * t)).astype(np.float32)


def best_match(haystack, needle):
    """(position, normalised correlation) of ``needle`` in ``haystack``."""
    from scipy.signal import correlate

    c = correlate(haystack, needle, mode="valid", method="fft")
    # Energy of every window from running sums: np.convolve with a window of ones was
    # len(haystack) x len(needle) operations (minutes for 4 s inside 30 s).
    m = len(needle)
    power = np.concatenate([[0.0], np.cumsum(np.asarray(haystack, np.float64) ** 2)])
    sounding = np.concatenate([[0], np.cumsum(haystack != 0)])  # exact: a silent window is 0
    energy = np.sqrt(np.maximum(power[m:] - power[:-m], 0.0))
    scale = np.where(sounding[m:] - sounding[:-m] > 0, energy * np.linalg.norm(needle), 0.0)
    r = np.where(scale > 1e-6, c / np.maximum(scale, 1e-6), 0.0)  # silence matches nothing
    k = int(np.argmax(r))
    return k, float(r[k])


def peak_hz(x, fs):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=8 * len(x)))
    return float(np.fft.rfftfreq(8 * len(x), 1 / fs)[np.argmax(spectrum)])


def test_repeated_words_are_where_reported_evenly_spread_and_outside_the_change():
    prose, word = fake_prose(30, 1), chirp(600, 1200)
    total = 28 * FS
    mix = unattended_message(prose, FS, total, manipulation="tone", change_at=0.5,
                             change_ms=4000, tone_hz=500, word_clips={"w": word},
                             repetitions=8)
    assert len(mix.samples) == total
    onsets = mix.token_onsets_ms["w"]
    assert len(onsets) == 8 and mix.repetitions_played() == 8
    faded = dichotic_mix._fade(word, FS)
    for onset in onsets:
        start = round(onset * FS / 1000)
        assert np.allclose(mix.samples[start:start + len(word)], faded, atol=1e-6)
    change = (mix.change_onset_ms, mix.change_onset_ms + mix.change_duration_ms)
    assert abs(change[0] - 14000) < 1500, change
    assert all(not change[0] <= t < change[1] for t in onsets)
    gaps = np.diff(onsets)
    assert gaps.max() < 2.5 * np.median(gaps)  # evenly spread, the change excepted once
    start, n = round(change[0] * FS / 1000), round(mix.change_duration_ms * FS / 1000)
    stretch = mix.samples[start:start + n]
    assert abs(peak_hz(stretch, FS) - 500) < 1
    assert abs(mix.change_duration_ms - 4000) < 1


def test_reversed_speech_is_the_prose_that_would_have_played_backwards():
    prose = fake_prose(30, 2)
    mix = unattended_message(prose, FS, 20 * FS, manipulation="reversed", change_at=0.4,
                             change_ms=3000)
    start = round(mix.change_onset_ms * FS / 1000)
    n = round(mix.change_duration_ms * FS / 1000)
    stretch = mix.samples[start + 100:start + n - 100]  # inside the fades
    position, r = best_match(prose, stretch[::-1].copy())
    assert r > 0.999
    # It is the continuation: it starts where the prose before it stopped.
    before = mix.samples[start - 2000:start - 100]
    prev, r_prev = best_match(prose, before.copy())
    assert r_prev > 0.999
    assert abs((position + len(stretch) + 100) - (prev + len(before) + 100 + n)) < 0.35 * FS


def test_voice_change_plays_the_other_recording_then_the_prose_runs_on():
    prose, other = fake_prose(30, 3), fake_prose(30, 4)
    mix = unattended_message(prose, FS, 20 * FS, manipulation="voice", change_at=0.5,
                             change_ms=4000, alternative=other)
    start = round(mix.change_onset_ms * FS / 1000)
    n = round(mix.change_duration_ms * FS / 1000)
    inside = mix.samples[start + 200:start + n - 200].copy()
    assert best_match(other, inside)[1] > 0.999
    assert best_match(prose, inside)[1] < 0.5
    # From the matching point of the other recording (same relative position).
    position = best_match(other, inside)[0] - 200
    assert abs(position - start) < 0.4 * FS
    after = mix.samples[start + n + 200:start + n + 4000].copy()
    resumed, r = best_match(prose, after)
    assert r > 0.999 and abs(resumed - (start + n + 200)) < 0.4 * FS


def test_the_name_is_said_once_and_the_prose_resumes_where_it_stopped():
    prose, name = fake_prose(30, 5), chirp(300, 900, ms=500)
    mix = unattended_message(prose, FS, 20 * FS, manipulation="name", change_at=0.6,
                             name=name)
    start = round(mix.change_onset_ms * FS / 1000)
    position, r = best_match(mix.samples, dichotic_mix._fade(name, FS))
    assert r > 0.999
    assert position == start + round(dichotic_mix.NAME_GAP_MS * FS / 1000)
    second = mix.samples.copy()
    second[position:position + len(name)] = 0
    assert best_match(second, name)[1] < 0.5  # only once
    before = mix.samples[start - 1500:start - 50].copy()
    after = mix.samples[start + round(mix.change_duration_ms * FS / 1000) + 50:][:1500].copy()
    p_before, p_after = best_match(prose, before)[0], best_match(prose, after)[0]
    assert 0 <= p_after - (p_before + len(before)) < 0.05 * FS


def test_words_that_do_not_fit_are_refused_with_the_number_that_would():
    with pytest.raises(ValueError, match="at most"):
        unattended_message(fake_prose(10, 6), FS, 8 * FS, word_clips={"w": chirp(500, 900)},
                           repetitions=40)


def test_each_message_stays_in_its_own_channel():
    a, u = np.ones(5, np.float32), np.full(5, 0.5, np.float32)
    left = stereo(a, u, "left")
    assert left[:, 0].tolist() == [1.0] * 5 and left[:, 1].tolist() == [0.5] * 5
    right = stereo(a, u, "right")
    assert right[:, 1].tolist() == [1.0] * 5 and right[:, 0].tolist() == [0.5] * 5
    check = dichotic_mix.one_ear(a, "right")
    assert not check[:, 0].any() and check[:, 1].all()


@pytest.mark.parametrize("rate", [44100, 48000])
def test_resampling_keeps_duration_and_pitch(rate):
    tone = dichotic_mix.tone(1000, 1000, 22050)
    out = dichotic_mix.resample(tone, 22050, rate)
    assert len(out) == rate  # one second stays one second
    assert abs(peak_hz(out, rate) - 1000) < 1
    # The trap it avoids: the same samples played at the device rate.
    assert abs(peak_hz(tone, rate) - 1000 * rate / 22050) < 2


needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed")


def median_f0(x, fs):
    """Median F0 (Hz) of voiced 40-ms frames by autocorrelation."""
    frame, hop, f0 = int(0.04 * fs), int(0.01 * fs), []
    for i in range(0, len(x) - frame, hop):
        s = x[i:i + frame] - x[i:i + frame].mean()
        if s.std() < 0.01:
            continue
        ac = np.correlate(s, s, "full")[frame - 1:]
        lo, hi = int(fs / 400), int(fs / 70)
        k = lo + int(np.argmax(ac[lo:hi]))
        if ac[k] > 0.4 * ac[0]:
            f0.append(fs / k)
    return float(np.median(f0))


@needs_espeak
def test_espeak_voices_are_male_and_female_and_deterministic():
    text = "The ferry left the harbour, and the passengers watched seals."
    male, fs = speech.synthesize(text, lang="en", voice="male")
    female, _ = speech.synthesize(text, lang="en", voice="female")
    assert 80 < median_f0(male, fs) < 130 and 170 < median_f0(female, fs) < 250
    again, _ = speech.synthesize(text, lang="en", voice="male")
    assert np.array_equal(male, again)


@pytest.fixture(scope="module")
def short_set(tmp_path_factory):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    folder = dichotic_set.build("short", tmp_path_factory.mktemp("cache"))
    return dichotic_set.StimulusSet(folder, dichotic_set.read_set(str(folder)).recordings)


def test_every_manipulation_builds_a_message_of_the_attended_length(short_set):
    params = dataclasses.replace(dichotic.DichoticParams(passage_set="short"),
                                 repeated_words=1, repetitions=2, change_ms=1500)
    items = [i for i in dichotic.make_session(params, random.Random(3), "P1")["test"]
             if i.item == "message"]
    sounds = MessageSounds(short_set, 44100)
    name = spoken_name("alex", "male", 44100)
    assert 0.3 < len(name) / 44100 < 1.2
    seen = set()
    for item in items:
        message = sounds.message(item, params, name)
        attended = 0 if item.attended_ear == "left" else 1
        clean = sounds.recording("attended", item.attended_passage, item.voice)
        assert np.array_equal(message.stereo[:, attended], clean)
        assert message.mix.repetitions_played() == 2
        if item.manipulation == "voice":
            mix = message.mix
            start = round(mix.change_onset_ms * 44.1)
            stretch = message.stereo[start:start + round(mix.change_duration_ms * 44.1),
                                     1 - attended]
            before = message.stereo[:start, 1 - attended]
            assert median_f0(stretch, 44100) > 1.5 * median_f0(before, 44100)
        seen.add(item.manipulation)
    assert seen == set(dichotic.MANIPULATIONS)
