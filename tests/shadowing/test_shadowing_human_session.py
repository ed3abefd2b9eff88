"""End to end on human speech: a real dichotic session whose passages are the
shared human recordings (a stimulus set of "own recordings"), shadowed by a
human voice through a virtual microphone, then `attentionlab analyze`.

The task plays into a private PulseAudio's null sink; the microphone is the
monitor of a second null sink, ``mic``, into which the "participant" speaks:
the attended recording with a quarter of its words silenced and two words of
the unattended recording said in their place, started by paplay as soon as a
``parec`` of the task's output hears the message begin, plus a pause. Where
that speech really is in the session's WAV is found afterwards by
cross-correlation, so the true lag does not depend on how quickly paplay
started. The analysis finds the attended words' onsets by recognising the
passage's own sound, as for any lab's own recordings.
"""

import csv
import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile
from cli_runner import run_cli

import pulse_server
from attentionlab.speech.shadowing_check import keep_share, make_shadower, read_timed
from attentionlab.stimuli import dichotic_set

pytest.importorskip("pocketsphinx")
SPEECH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "speech"
pytestmark = [pytest.mark.display, pytest.mark.audio,
              pytest.mark.skipif(not SPEECH.is_dir(),
                                 reason=f"needs the shared human recordings in {SPEECH}"),
              pytest.mark.skipif(not pulse_server.available() or not shutil.which("paplay")
                                 or not shutil.which("parec"),
                                 reason="needs pulseaudio and pulseaudio-utils")]
ATTENDED, UNATTENDED = "librivox_sense_and_sensibility_0870", "librivox_sense_and_sensibility_0890"
DELAY_S = 1.0  # the participant starts this long after hearing the message start
SETTINGS = ["--set", "trials=1", "--set", "practice_trials=0", "--set", "manipulations=none",
            "--set", "repeated_words=0", "--set", "attended_test_words=0",
            "--set", "new_test_words=1", "--set", "headphone_checks=0", "--set", "iti_ms=100",
            "--set", "mic_check_ms=0", "--set", "record_tail_ms=2500"]


def _stimulus_set(folder: Path) -> Path:
    """The documented own-recordings format: the human sentences as passages."""
    folder.mkdir()
    rows = []
    for role, stem in (("attended", ATTENDED), ("unattended", UNATTENDED)):
        shutil.copy(SPEECH / f"{stem}.wav", folder / f"{stem}.wav")
        text = " ".join(w.word for w in read_timed(SPEECH / f"{stem}.wav").words)
        rows.append({"file": f"{stem}.wav", "id": role[0].upper() + "1", "role": role,
                     "lang": "en", "voice": "male", "text": text,
                     "test_words": "dashwood" if role == "attended" else ""})
    rows.append({"file": "", "id": "lantern", "role": "word", "lang": "en", "voice": "male",
                 "text": "lantern", "test_words": ""})  # the recognition test's new word
    with open(folder / "stimuli.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=dichotic_set.CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _participant_when_heard(pulse, wav: Path, done: threading.Event, folder: Path):
    """Wait until the task's output sounds, then speak ``wav`` into ``mic``.
    The output is recorded by the server's own ``parec`` into a WAV
    (pulse_server.record, as the other sound tests do) whose growing data are
    read here; a raw parec pipe read in this process stalled the session."""
    recording = pulse.record(folder / "output.wav", rate=16000, channels=1)
    path, seen = recording.path, 44  # past the WAV header
    try:
        while not done.is_set():
            time.sleep(0.01)
            size = path.stat().st_size if path.exists() else 0
            if size - seen < 2:
                continue
            with open(path, "rb") as fh:
                fh.seek(seen)
                block = np.frombuffer(fh.read((size - seen) // 2 * 2), np.int16)
            seen += block.size * 2
            if block.size and np.abs(block).max() > 300:
                break
    finally:
        recording.stop()
    if done.is_set():
        return
    time.sleep(DELAY_S)
    subprocess.run(["paplay", "--device=mic", str(wav)], env={**pulse.env}, timeout=60)


@pytest.fixture(scope="module")
def session(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("human")
    stimuli = _stimulus_set(root / "stimuli")
    message = read_timed(SPEECH / f"{ATTENDED}.wav")
    other = read_timed(SPEECH / f"{UNATTENDED}.wav")
    keep = keep_share(len(message.words), 0.75, seed=5)
    # the participant's speech alone: no lead, no lag (the session adds them)
    said = make_shadower(message, keep, 0.0, lead_s=0.0, intruder=other, n_intrusions=2,
                         tail_s=0.2)
    wav = root / "participant.wav"
    soundfile.write(wav, said.samples, said.rate, subtype="PCM_16")
    with pulse_server.private_pulse() as pulse:
        pulse._run("pactl", "load-module", "module-null-sink", "sink_name=mic", "rate=16000",
                   "channels=1")
        pulse._run("pactl", "set-default-source", "mic.monitor")
        done = threading.Event()
        speaker = threading.Thread(target=_participant_when_heard, args=(pulse, wav, done, root))
        speaker.start()
        env = {**pulse.env, "ATTENTIONLAB_CACHE": str(root / "cache")}
        try:
            result = run_cli(["run", "dichotic", "--participant", "H1", "--windowed",
                              "--autopilot", "--skip-intro", "--seed", "1", "--data-dir",
                              str(root / "data"), "--set", f"passage_set={stimuli}",
                              *SETTINGS], display=x_display, env_extra=env)
        finally:
            done.set()
            speaker.join(timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    folder = root / "data" / "sub-H1"
    data = pd.read_csv(next(folder.glob("*_beh.csv")), dtype=str, keep_default_na=False)
    row = data[data["item"] == "message"].iloc[0]
    recorded, rate = soundfile.read(folder / row["recording_file"], dtype="float32")
    from scipy.signal import correlate

    from attentionlab.stimuli.dichotic_mix import resample, speech_bounds

    mine = resample(said.samples[:, None], said.rate, rate)[:, 0]
    found_s = int(np.argmax(correlate(recorded, mine, mode="valid", method="fft"))) / rate
    # the message starts at the passage's first sound (its leading silence trimmed)
    trimmed_s = speech_bounds(message.samples, message.rate)[0] / message.rate
    true_lag = found_s - float(row["recording_offset_ms"]) / 1000 + trimmed_s
    out = root / "out"
    analysed = run_cli(["analyze", str(folder), "--out", str(out)],
                       env_extra={"ATTENTIONLAB_CACHE": str(root / "cache")}, timeout=600)
    assert analysed.returncode == 0, analysed.stderr[-3000:]
    from attentionlab.analysis.pipeline import run_analysis
    import os

    os.environ["ATTENTIONLAB_CACHE"] = str(root / "cache")  # the scores are cached: no decoding
    try:
        scored = run_analysis([folder]).test
    finally:
        os.environ.pop("ATTENTIONLAB_CACHE")
    scored = scored[scored["item"] == "message"].iloc[0]
    return {"said": said, "true_lag": true_lag, "scored": scored, "out": out}


def test_share_lag_and_intrusions_through_the_microphone(session):
    scored, said = session["scored"], session["said"]
    print(f"end to end: said {said.share:.3f} found {scored['shadow_proportion']:.3f}, lag "
          f"true {session['true_lag']:.3f} found {scored['shadow_median_lag_s']:.3f}, "
          f"intrusions {scored['shadow_intrusion_words']!r} (said {said.intrusions}), "
          f"confidence {scored['shadow_confidence']}")
    assert scored["shadow_scored_by"] == "auto"
    assert abs(float(scored["shadow_proportion"]) - said.share) <= 0.05
    assert abs(float(scored["shadow_median_lag_s"]) - session["true_lag"]) <= 0.05
    found = set(filter(None, str(scored["shadow_intrusion_words"]).split(";")))
    assert found == set(said.intrusions)


def test_confidence_and_flag_reach_participants_csv(session):
    people = pd.read_csv(session["out"] / "participants.csv")
    assert {"shadow_confidence", "shadow_flagged"} <= set(people.columns)
    assert 0 <= float(people["shadow_confidence"].iloc[0]) <= 1
    assert int(people["shadow_flagged"].iloc[0]) == int(session["scored"]["shadow_flagged"])
    assert json.loads(json.dumps(float(session["scored"]["shadow_confidence"]))) >= 0
