"""Real dichotic sessions on Xvfb, with real sound through a private PulseAudio null sink.

The sink's monitor is recorded (at 48 kHz, while the task plays at the
device's 44.1 kHz) during an autopilot session; each message is rebuilt from
the data file's rows and found in the recording by cross-correlation. That
shows what reached each ear: the right message in the right channel, nothing
of the other message in it, both starting on the same sample, at the right
speed and pitch. The session's items are the plan's and its columns are
filled like its simulated twin's, but for what only playback measures
(tests/contract_checks.py).
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_runner import run_cli
from audio_chunks import chunks_of, locate, median_rho, rate_ratio
from contract_checks import assert_same_plan, session_parts, simulated_twin

import pulse_server
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import dichotic, dichotic_mix, dichotic_set
from attentionlab.stimuli.dichotic_sound import MessageSounds, spoken_name

pytestmark = [pytest.mark.display, pytest.mark.audio,
              pytest.mark.skipif(not pulse_server.available() or not shutil.which("espeak-ng"),
                                 reason="needs pulseaudio, pulseaudio-utils and espeak-ng")]

RECORD_RATE = 48000
SETTINGS = ["--set", "passage_set=short", "--set", "trials=3",
            "--set", "manipulations=voice,tone,name", "--set", "repeated_words=1",
            "--set", "repetitions=2", "--set", "change_ms=1500", "--set", "attended_test_words=1",
            "--set", "new_test_words=1", "--set", "headphone_checks=2", "--set", "iti_ms=100",
            "--set", "report_rt_ms=400", "--set", "recognition_rt_ms=300",
            "--set", "record_voice=false"]  # recording: tests/shadowing


@pytest.fixture(scope="module")
def pulse():
    with pulse_server.private_pulse() as server:
        yield server


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    root = tmp_path_factory.mktemp("cache")
    dichotic_set.build("short", root)
    return root


def _run(pulse, cache, root, *extra, record=True):
    env = {**pulse.env, "ATTENTIONLAB_CACHE": str(cache),
           "ATTENTIONLAB_CAPTURE_DIR": str(root / "screens")}
    recording = pulse.record(root / "sink.wav", rate=RECORD_RATE) if record else None
    try:
        result = run_cli(["run", "dichotic", "--participant", "P3", "--windowed",
                          "--autopilot", "--seed", "5", "--data-dir", str(root / "data"),
                          *SETTINGS, *extra], display=pulse.display, env_extra=env)
    finally:
        if recording is not None:
            recording.stop()
    stem = root / "data" / "sub-P3" / "sub-P3_ses-1_task-dichotic_run-1_beh"
    return result, stem.with_suffix(".csv"), stem.with_suffix(".json")


@pytest.fixture(scope="module")
def session(pulse, cache, x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("session")
    pulse.display = x_display
    result, csv_path, sidecar = _run(pulse, cache, root, "--photodiode")
    assert result.returncode == 0, result.stderr
    data = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    import soundfile

    recorded, rate = soundfile.read(root / "sink.wav", dtype="float32")
    assert rate == RECORD_RATE
    return {"csv": csv_path, "data": data, "sidecar": json.loads(sidecar.read_text()),
            "root": root,
            "recorded": recorded, "result": result, "cache": cache}


def _params(sidecar):
    values = {k: (",".join(v) if isinstance(v, list) else v)
              for k, v in sidecar["params"].items()}
    return apply_overrides(dichotic.DichoticParams(), values)


def _item(row):
    return dichotic.DichoticItem(
        block=int(row.block), phase=row.phase, message=int(row.message), item="message",
        attended_ear=row.attended_ear, attended_passage=row.attended_passage,
        unattended_passage=row.unattended_passage, german_passage=row.german_passage,
        manipulation=row.manipulation, voice=row.voice,
        repeated_words=tuple(w for w in row.repeated_words.split(";") if w),
        repetitions=int(row.repetitions))


def _delay(x, samples):
    """``x`` (n, channels) delayed by a fraction of a sample (FFT phase shift)."""
    n = len(x)
    spectrum = np.fft.rfft(x, n=2 * n, axis=0)
    shift = np.exp(-2j * np.pi * np.fft.rfftfreq(2 * n) * samples)[:, None]
    return np.fft.irfft(spectrum * shift, n=2 * n, axis=0)[:n].astype(np.float32)


@pytest.fixture(scope="module")
def measured(session):
    """For each played message: lags, correlations and crosstalk per channel."""
    sidecar, data, recorded = session["sidecar"], session["data"], session["recorded"]
    params = _params(sidecar)
    device_rate = sidecar["audio"]["sample_rate_hz"]
    folder = Path(sidecar["stimulus_set"]["folder"])
    sounds = MessageSounds(dichotic_set.read_set(str(folder)), device_rate)
    name = spoken_name("alex", params.voice, device_rate)
    out = []
    for row in data[data["item"] == "message"].itertuples():
        item = _item(row)
        message = sounds.message(item, params, name)
        reference = dichotic_mix.resample(message.stereo, device_rate, RECORD_RATE)
        lags = [locate(recorded[:, ch], reference[:, ch]) for ch in (0, 1)]
        start = int(np.floor(min(lags)))
        segment = recorded[start:start + len(reference)]
        reference = _delay(reference, min(lags) - start)  # the sub-sample part
        # Piece by piece (tests/audio_chunks.py): an underflow or a dropped
        # recorder block on a busy machine shifts one chunk, not the test.
        # Where the stereo chunks are (both ears at once: a steady tone in one
        # ear alone would match a period off).
        n = int(0.5 * RECORD_RATE)
        both = [c for c in chunks_of(recorded.sum(axis=1), reference.sum(axis=1), RECORD_RATE,
                                     start=start) if c.rho > 0.99]
        channels = []
        for ch in (0, 1):
            chunks = chunks_of(recorded[:, ch], reference[:, ch], RECORD_RATE, start=start)
            # Crosstalk: where this ear's message is silent (espeak's pauses are exact
            # zeros; 20 ms clear of any sound of its own) and the other ear's is not,
            # the level recorded in this ear relative to the other ear; in the stereo
            # chunks found intact, each at the place it was found.
            leak = other = projection = ref_energy = 0.0
            quiet = 0
            for c in both:
                e, k = int(c.expected), int(round(c.found))
                ref, seg = reference[e:e + n], recorded[k:k + n]
                own_quiet = np.convolve(np.abs(ref[:, ch]) > 1e-3,
                                        np.ones(RECORD_RATE // 100), mode="same") == 0
                mask = own_quiet & (np.abs(ref[:, 1 - ch]) > 0.005)
                leak += float(np.sum(seg[mask, ch].astype(np.float64) ** 2))
                other += float(np.sum(seg[mask, 1 - ch].astype(np.float64) ** 2))
                # How much of the other ear's message is in it (regression on it).
                ref_other = ref[mask, 1 - ch].astype(np.float64)
                projection += float(np.dot(seg[mask, ch], ref_other))
                ref_energy += float(np.dot(ref_other, ref_other))
                quiet += int(mask.sum())
            channels.append({"rho": median_rho(chunks), "chunks": chunks,
                             "quiet_samples": quiet,
                             "leak_energy": leak, "other_energy": other,
                             "projection": projection, "other_ref_energy": ref_energy})
        # The attended passage's own file, at its own rate: a reference our
        # resampling code never touched.
        from attentionlab.stimuli.dichotic_sound import load_mono

        practice = item.phase == "practice"
        source = sounds.stimset.find("practice_attended" if practice else "attended",
                                     item.attended_passage, item.voice).file
        raw, raw_rate = load_mono(source)
        source_ms = len(dichotic_mix.trim_silence(raw, raw_rate)) / raw_rate * 1000
        out.append({"row": row, "item": item, "message": message, "lags": lags,
                    "source_ms": source_ms,
                    "channels": channels, "start": start, "rate_ratio": rate_ratio(both),
                    "reference": reference})
    print("\nmeasured:", [{"manipulation": m["item"].manipulation, "ear": m["item"].attended_ear,
                           "lag_difference_samples": round(m["lags"][0] - m["lags"][1], 3),
                           "rho": [round(c["rho"], 5) for c in m["channels"]],
                           "quiet_ms": [round(c["quiet_samples"] / RECORD_RATE * 1000)
                                        for c in m["channels"]],
                           "rate_ratio": round(m["rate_ratio"], 5),
                           "chunk_rho_min": [round(min(x.rho for x in c["chunks"]), 3)
                                             for c in m["channels"]],
                           "source_ms": round(m["source_ms"], 2),
                           "onset_lead_ms": round((float(m["row"].audio_onset_s)
                                                   - float(m["row"].onset_s)) * 1000, 1)}
                          for m in out])
    return out


def test_session_completes_and_the_sidecar_describes_the_audio(session):
    side, data = session["sidecar"], session["data"]
    assert side["completed"] is True and side["trials_done"] == side["trials_planned"]
    audio = side["audio"]
    assert audio["used"] is True and audio["channels"] == 2
    assert audio["sample_rate_hz"] == 44100 and audio["stimulus_files_rate_hz"] == [22050]
    assert audio["device"] and audio["host_api"] == "ALSA"
    assert side["headphone_check"]["passed"] is True
    assert [m for m in data.loc[data["item"] == "message", "manipulation"]] != []
    messages = data[data["item"] == "message"]
    assert sorted(messages[messages.phase == "test"].manipulation) == ["name", "tone", "voice"]
    assert (messages.repetitions_played == messages.repetitions).all()
    lead = messages.audio_onset_s.astype(float) - messages.onset_s.astype(float)
    # Scheduled 200 ms after the onset flip: never earlier (data rounded to 0.1 ms).
    # Later only if the machine starved the process past the lead; that is
    # reported, not hidden (how close it keeps: benchmarks/audio_latency.py;
    # "to the sample" is tests/dichotic/test_stereo_player_schedule.py).
    assert (lead > 0.2 - 0.0005).all(), lead.tolist()


def test_each_ear_gets_its_message_and_nothing_of_the_other(measured):
    assert len(measured) == 4  # practice + 3 test messages
    for m in measured:
        for ch, c in enumerate(m["channels"]):
            # median over 0.5 s chunks: the right message in the right ear
            assert c["rho"] > 0.99, (m["item"], ch, [round(x.rho, 3) for x in c["chunks"]])
    for ch in (0, 1):
        # Pooled over the messages: this ear's pauses while the other ear speaks.
        quiet_ms = sum(m["channels"][ch]["quiet_samples"] for m in measured) / RECORD_RATE * 1000
        leak = sum(m["channels"][ch]["leak_energy"] for m in measured)
        other = sum(m["channels"][ch]["other_energy"] for m in measured)
        crosstalk_db = 10 * np.log10(max(leak, 1e-18) / other)
        b = (sum(m["channels"][ch]["projection"] for m in measured)
             / sum(m["channels"][ch]["other_ref_energy"] for m in measured))
        print(f"\nchannel {ch}: level in its pauses {crosstalk_db:.1f} dB re the other ear "
              f"over {quiet_ms:.0f} ms; other message in it: {20 * np.log10(max(abs(b), 1e-12)):.1f} dB")
        assert quiet_ms > 100 and crosstalk_db < -60, (ch, quiet_ms, crosstalk_db)
        # The attended column of the rebuilt buffer is the attended passage.
        attended = 0 if m["item"].attended_ear == "left" else 1
        assert m["row"].attended_ear in ("left", "right")
        clean = m["message"].stereo[:, attended]
        assert np.corrcoef(clean, m["message"].stereo[:, 1 - attended])[0, 1] < 0.3


def test_both_messages_start_together_within_a_sample(measured):
    for m in measured:
        difference_ms = abs(m["lags"][0] - m["lags"][1]) / RECORD_RATE * 1000
        assert difference_ms < 1 / RECORD_RATE * 1000 + 1e-9, (m["item"], m["lags"])


def peak_hz(x, rate):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=8 * len(x)))
    return float(np.fft.rfftfreq(8 * len(x), 1 / rate)[np.argmax(spectrum)])


def test_duration_and_pitch_are_right_no_sample_rate_trap(session, measured):
    for m in measured:
        # 48 kHz material on a 44.1 kHz stream would play 8.8 % fast; allow 0.2 %.
        # The rate from the spacing of consecutive chunks: a dropout moves one.
        assert abs(m["rate_ratio"] - 1) < 0.002, (m["item"], m["rate_ratio"])
        # ... and the buffer is as long as the recording it came from (22.05 kHz FLAC).
        assert abs(m["message"].duration_ms - m["source_ms"]) < 2, (m["message"].duration_ms,
                                                                    m["source_ms"])
    tone = next(m for m in measured if m["item"].manipulation == "tone")
    mix = tone["message"].mix
    ear = 1 if tone["item"].attended_ear == "left" else 0
    start = tone["start"] + int((mix.change_onset_ms + 100) * RECORD_RATE / 1000)
    n = int((mix.change_duration_ms - 200) * RECORD_RATE / 1000)
    heard = session["recorded"][start:start + n, ear]
    assert abs(peak_hz(heard, RECORD_RATE) - 400) < 1  # Cherry's 400 Hz, not 435 or 200


def test_headphone_check_sounds_came_one_ear_at_a_time_in_the_recorded_order(session,
                                                                             measured):
    recorded = session["recorded"]
    first_message = min(m["start"] for m in measured)
    before = recorded[:first_message]
    frame = RECORD_RATE // 100
    energy = (before[:len(before) // frame * frame] ** 2).reshape(-1, frame, 2).mean(axis=1)
    loud = energy.max(axis=1) > 1e-4
    runs, i = [], 0  # [first frame, end frame, summed energy per ear]
    while i < len(loud):
        if loud[i]:
            j = i
            while j < len(loud) and loud[j]:
                j += 1
            e = energy[i:j].sum(axis=0)
            # A recording dropout on a busy machine splits one sound in two: pieces
            # of the same ear less than 200 ms apart are one sound (the checks'
            # sounds are seconds apart: an answer and the pause come between).
            same_ear = runs and (runs[-1][2][0] > runs[-1][2][1]) == (e[0] > e[1])
            if same_ear and i - runs[-1][1] < 20:
                runs[-1][1], runs[-1][2] = j, runs[-1][2] + e
            else:
                runs.append([i, j, e])
            i = j
        else:
            i += 1
    bursts = [("left" if e[0] > e[1] else "right",
               10 * np.log10(max(e.min(), 1e-20) / e.max())) for _, _, e in runs]
    answers = session["sidecar"]["headphone_check"]["answers"]
    assert [b[0] for b in bursts] == [a["ear"] for a in answers]
    assert all(level < -60 for _, level in bursts), bursts


def test_the_name_is_never_written_anywhere(session):
    root = session["root"]
    for path in (root / "data").rglob("*"):
        if path.is_file():
            assert b"alex" not in path.read_bytes().lower(), path
    assert "alex" not in json.dumps(session["sidecar"]).lower()
    screens = sorted(p.name for p in (root / "screens").glob("*.png"))
    assert sum("name_entry" in s for s in screens) == 1  # the empty prompt only


def test_screens_follow_the_procedure(session):
    names = [p.stem.split("_", 1)[1] for p in sorted((session["root"] / "screens").glob("*.png"))]
    assert names[0] == "name_entry" and names[-1] == "thanks"
    assert names.index("headphone_intro") < names.index("cue")
    assert names.count("cue") == 4
    assert names.count("test_detection") == 3 and names.count("test_recognition") == 9
    for ear in ("left", "right"):
        assert any(n == f"test_message_{ear}" for n in names)


def test_failed_headphone_check_ends_the_session_with_a_message(pulse, cache, x_display,
                                                                  tmp_path):
    pulse.display = x_display
    result, csv_path, sidecar_path = _run(pulse, cache, tmp_path, "--skip-intro",
                                          "--set", "headphones_swapped=true", record=False)
    assert result.returncode == 1
    assert "headphone check failed" in result.stderr
    side = json.loads(sidecar_path.read_text())
    assert side["completed"] is False and side["trials_done"] == 0
    assert "check that the headphones" in side["abort_reason"]
    assert side["headphone_check"]["wrong"] == 2 and side["headphone_check"]["passed"] is False
    assert len(pd.read_csv(csv_path)) == 0
    screens = [p.stem for p in (tmp_path / "screens").glob("*.png")]
    assert any(s.endswith("headphone_failed") for s in screens)
    assert not any("message" in s for s in screens)


def test_items_are_the_plan_and_columns_are_filled_like_the_simulation(session):
    assert_same_plan(session["csv"])
    rows, _, _ = session_parts(session["csv"])
    sim = simulated_twin(session["csv"])
    assert list(sim.columns) == list(rows.columns)
    filled_real = {c for c in rows.columns if (rows[c] != "").any()}
    filled_sim = {c for c in sim.columns if (sim[c] != "").any()}
    # A data-only simulation plays no sound: only what playback measures differs.
    playback = set(dichotic.PLAYBACK_COLUMNS)
    assert filled_sim == filled_real - playback
    assert filled_real & playback == playback - {"recording_file", "recording_offset_ms"}


def test_the_photodiode_square_is_on_the_message_and_the_word_only(session):
    from PIL import Image

    shots = sorted((session["root"] / "screens").glob("*.png"))
    corner = lambda path: np.asarray(Image.open(path).convert("L"))[-30:, :30]
    by_name = lambda name: [p for p in shots if p.stem.split("_", 1)[1] == name]
    for name in ("test_message_left", "test_message_right", "test_recognition"):
        assert by_name(name) and all(corner(p).min() > 200 for p in by_name(name)), name
    for name in ("cue", "shadow_lead", "test_detection"):
        assert by_name(name) and all(corner(p).max() < 50 for p in by_name(name)), name
