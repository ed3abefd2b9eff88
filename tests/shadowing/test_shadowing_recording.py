"""Recording during dichotic messages, with real sound through a private PulseAudio.

The virtual microphone is the monitor of the null sink the task plays into:
the recording then holds the task's own messages, so finding the (mono mix
of the) message in each WAV by cross-correlation shows where it really is,
to compare with ``recording_offset_ms`` from the row.
"""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
import soundfile
from audio_chunks import chunks_of, median_rho
from cli_runner import run_cli

import pulse_server
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import dichotic, dichotic_mix, dichotic_set
from attentionlab.stimuli.dichotic_sound import MessageSounds

pytestmark = [pytest.mark.display, pytest.mark.audio,
              pytest.mark.skipif(not pulse_server.available() or not shutil.which("espeak-ng"),
                                 reason="needs pulseaudio, pulseaudio-utils and espeak-ng")]

SETTINGS = ["--set", "passage_set=short", "--set", "trials=2", "--set", "practice_trials=0",
            "--set", "manipulations=voice,tone", "--set", "change_ms=1500",
            "--set", "repeated_words=0",
            "--set", "attended_test_words=0", "--set", "new_test_words=1",
            "--set", "headphone_checks=0", "--set", "iti_ms=100", "--set", "mic_check_ms=1000",
            "--set", "record_tail_ms=500", "--set", "report_rt_ms=300",
            "--set", "recognition_rt_ms=300"]


@pytest.fixture(scope="module")
def session(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("rec")
    cache = root / "cache"
    dichotic_set.build("short", cache)
    with pulse_server.private_pulse() as pulse:
        pulse._run("pactl", "set-default-source", f"{pulse.sink}.monitor")
        env = {**pulse.env, "ATTENTIONLAB_CACHE": str(cache),
               "ATTENTIONLAB_CAPTURE_DIR": str(root / "screens")}
        args = ["run", "dichotic", "--participant", "R1", "--windowed", "--autopilot",
                "--skip-intro", "--seed", "3", "--data-dir", str(root / "data"), *SETTINGS]
        first = run_cli(args, display=x_display, env_extra=env)
    assert first.returncode == 0, first.stderr[-3000:]
    folder = root / "data" / "sub-R1"
    csv_path = folder / "sub-R1_ses-1_task-dichotic_run-1_beh.csv"
    return {"result": first, "root": root, "folder": folder,
            "data": pd.read_csv(csv_path, dtype=str, keep_default_na=False),
            "sidecar": json.loads(csv_path.with_suffix(".json").read_text())}


def test_session_completed_and_files_named(session):
    assert session["result"].returncode == 0, session["result"].stderr
    messages = session["data"][session["data"]["item"] == "message"]
    assert len(messages) == 2
    for row in messages.itertuples():
        assert row.recording_file == f"sub-R1_ses-1_task-dichotic_run-1_rec-{row.trial_index}.wav"
        assert (session["folder"] / row.recording_file).is_file()
    others = session["data"][session["data"]["item"] != "message"]
    assert (others["recording_file"] == "").all()


def test_recording_covers_the_message_and_is_aligned(session):
    data, sidecar = session["data"], session["sidecar"]
    values = {k: (",".join(v) if isinstance(v, list) else v)
              for k, v in sidecar["params"].items()}
    params = apply_overrides(dichotic.DichoticParams(), values)
    device_rate = sidecar["audio"]["sample_rate_hz"]
    sounds = MessageSounds(dichotic_set.read_set(sidecar["stimulus_set"]["folder"]),
                           device_rate)
    for row in data[data["item"] == "message"].itertuples():
        recorded, rate = soundfile.read(session["folder"] / row.recording_file,
                                        dtype="float32")
        assert rate == sidecar["microphone"]["sample_rate_hz"]
        item = dichotic.DichoticItem(
            block=int(row.block), phase=row.phase, message=int(row.message), item="message",
            attended_ear=row.attended_ear, attended_passage=row.attended_passage,
            unattended_passage=row.unattended_passage, german_passage=row.german_passage,
            manipulation=row.manipulation, voice=row.voice, repeated_words=(),
            repetitions=int(row.repetitions))
        mono = sounds.message(item, params, None).stereo.mean(axis=1)
        mono = dichotic_mix.resample(mono[:, None], device_rate, rate)[:, 0]
        # the whole message is in the recording, with the tail after it
        offset_ms = float(row.recording_offset_ms)
        assert offset_ms > 0
        assert len(recorded) / rate * 1000 >= offset_ms + float(row.message_duration_ms) + 300
        # Found piece by piece (tests/audio_chunks.py): on a busy machine an output
        # underflow or a dropped input block shifts one 0.5 s chunk, not the rest.
        chunks = chunks_of(recorded, mono, rate)
        assert median_rho(chunks) > 0.9, [round(c.rho, 3) for c in chunks]  # the message
        first = next(c for c in chunks if c.rho > 0.9)
        found_ms = (first.found - first.expected) / rate * 1000
        # the monitor path adds a little latency; the offset must be right within 20 ms
        assert abs(found_ms - offset_ms) < 20, (found_ms, offset_ms)


def test_microphone_check_ran_and_judged_silence_too_quiet(session):
    check = session["sidecar"]["microphone_check"]
    # only the (silent) output was "heard" during the check: too quiet
    assert check["attempts"][0]["verdict"] == "too_quiet"
    assert check["passed"] is False
    assert session["sidecar"]["microphone"]["channels"] == 1
    screens = sorted(p.name for p in (session["root"] / "screens").iterdir())
    assert any("mic_level" in s for s in screens) and any("mic_result" in s for s in screens)


def test_recordings_are_never_overwritten(session, x_display):
    from attentionlab.experiments.microphone import save_wav

    existing = next(session["folder"].glob("*_rec-*.wav"))
    before = existing.read_bytes()
    with pytest.raises(FileExistsError):
        save_wav(existing, np.zeros(10, np.float32), 16000)
    assert existing.read_bytes() == before


def test_analysis_scores_the_recordings_and_prefers_hand_scores(session, tmp_path,
                                                                monkeypatch):
    import shutil as sh_util

    from attentionlab.speech.hand_scores import HEADER, SUFFIX
    from attentionlab.speech.shadowing import words_of

    folder = tmp_path / "sub-R1"
    sh_util.copytree(session["folder"], folder)
    data = session["data"]
    messages = data[(data["item"] == "message") & (data["phase"] == "test")]
    first = messages.iloc[0]
    stimset = dichotic_set.read_set(session["sidecar"]["stimulus_set"]["folder"])
    text = stimset.find("attended", first["attended_passage"], first["voice"]).text
    words = words_of(text)
    said = [1 if i % 3 == 0 else 0 for i in range(len(words))]
    hand = folder / f"sub-R1_ses-1_task-dichotic_run-1{SUFFIX}"
    rows = [",".join(HEADER)] + [f"{first['trial_index']},{i},{w},{s},T,2026-11-27T10:00:00+00:00"
                                 for i, (w, s) in enumerate(zip(words, said))]
    hand.write_text("\n".join(rows) + "\n")
    env = {"ATTENTIONLAB_CACHE": str(session["root"] / "cache")}
    out = tmp_path / "out"
    result = run_cli(["analyze", str(folder), "--out", str(out)], env_extra=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    people = pd.read_csv(out / "participants.csv")
    assert people["shadow_messages"].tolist() == [len(messages)]
    assert people["shadow_hand_scored"].tolist() == [1]
    group = pd.read_csv(out / "group.csv")
    shadow = group[group["test"] == "shadowing"]
    assert {"share shadowed: all messages", "lag s: all messages"} <= set(shadow["measure"])
    assert any(m.endswith(" ear") for m in shadow["measure"])
    # the hand-scored message counts with its hand share; the other with the recogniser's
    report = (out / "report.html").read_text()
    assert "Shadowing" in report
    # the scores are cached: a second analysis decodes nothing
    again = run_cli(["analyze", str(folder), "--out", str(tmp_path / "out2")], env_extra=env,
                    timeout=600)
    assert again.returncode == 0 and "scoring shadowing" not in again.stderr
    # per message: the hand-scored one has the hand share, the other the recogniser's
    from attentionlab.analysis.pipeline import run_analysis

    monkeypatch.setenv("ATTENTIONLAB_CACHE", env["ATTENTIONLAB_CACHE"])
    scored = run_analysis([folder]).test
    scored = scored[scored["item"] == "message"].set_index("trial_index")
    mine = scored.loc[float(first["trial_index"])]
    assert mine["shadow_scored_by"] == "hand"
    assert mine["shadow_proportion"] == pytest.approx(sum(said) / len(said), abs=1e-4)
    assert mine["shadow_words"] == len(words)
    others = scored.drop(index=float(first["trial_index"]))
    assert (others["shadow_scored_by"] == "auto").all()
    assert others["shadow_proportion"].between(0, 1).all()


def test_data_shared_without_audio_or_from_another_computer(session, tmp_path, monkeypatch):
    import shutil as sh_util

    from attentionlab.speech.hand_scores import HEADER, SUFFIX
    from attentionlab.analysis.pipeline import run_analysis

    folder = tmp_path / "sub-R1"
    sh_util.copytree(session["folder"], folder)
    data = session["data"]
    messages = data[(data["item"] == "message") & (data["phase"] == "test")]
    first, second = messages.iloc[0], messages.iloc[1]
    # the first message is scored by hand, then both recordings are removed
    hand = folder / f"sub-R1_ses-1_task-dichotic_run-1{SUFFIX}"
    hand.write_text(",".join(HEADER) + "\n"
                    + f"{first['trial_index']},0,w,1,T,2026-11-27T10:00:00+00:00\n"
                    + f"{first['trial_index']},1,w,0,T,2026-11-27T10:00:00+00:00\n")
    for row in (first, second):
        (folder / row["recording_file"]).unlink()
    # ... and the stimulus folder named in the sidecar does not exist here
    sidecar_path = folder / "sub-R1_ses-1_task-dichotic_run-1_beh.json"
    sidecar = json.loads(sidecar_path.read_text())
    sidecar["stimulus_set"]["folder"] = "/nonexistent/elsewhere/short"
    sidecar_path.write_text(json.dumps(sidecar))
    monkeypatch.setenv("ATTENTIONLAB_CACHE", str(session["root"] / "cache"))
    scored = run_analysis([folder]).test
    scored = scored[scored["item"] == "message"].set_index("trial_index")
    by_hand = scored.loc[float(first["trial_index"])]
    assert by_hand["shadow_scored_by"] == "hand" and by_hand["shadow_proportion"] == 0.5
    assert np.isnan(by_hand["shadow_median_lag_s"])  # lags need the recording
    assert scored.loc[float(second["trial_index"]), "shadow_scored_by"] == ""
    result = run_cli(["analyze", str(folder), "--out", str(tmp_path / "out")],
                     env_extra={"ATTENTIONLAB_CACHE": str(session["root"] / "cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "is missing and not scored by hand" in result.stderr
    people = pd.read_csv(tmp_path / "out" / "participants.csv")
    assert people["shadow_messages"].tolist() == [1]
