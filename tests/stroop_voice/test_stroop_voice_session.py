"""Vocal Stroop end to end with real sound: the autopilot speaks, the task hears.

A private PulseAudio's null sink is the sound output and its monitor the
default input, so the colour names the autopilot says (espeak-ng, scheduled
at word onset + the model's RT on the output's DAC time) are what the task
records. For every trial the recognised colour must be the one spoken, and a
voice onset is found exactly when something was said, inside the response
window. How close the voice onset is to the planned speech onset depends on
the machine's load (the audio path): benchmarks/autopilot_timing.py prints it.
"""

import json
import shutil

import pandas as pd
import pytest
from cli_runner import run_cli
from contract_checks import assert_same_plan, simulated_twin

import pulse_server
from attentionlab.core.columns import column_names
from attentionlab.experiments.stroop_voice import VOICE_TAIL_MS
from attentionlab.stimuli import stroop

pytestmark = [pytest.mark.display, pytest.mark.audio,
              pytest.mark.skipif(not pulse_server.available() or not shutil.which("espeak-ng"),
                                 reason="needs pulseaudio, pulseaudio-utils and espeak-ng")]

SETTINGS = ["--set", "response=voice", "--set", "trials=12", "--set", "blocks=1",
            "--set", "practice_trials=2", "--set", "deadline_ms=1500",
            "--set", "mic_check_ms=3000"]
DEADLINE_MS = 1500


@pytest.fixture(scope="module")
def session(x_display, tmp_path_factory):
    root = tmp_path_factory.mktemp("voice")
    with pulse_server.private_pulse() as pulse:
        pulse._run("pactl", "set-default-source", f"{pulse.sink}.monitor")
        env = {**pulse.env, "ATTENTIONLAB_CAPTURE_DIR": str(root / "screens")}
        args = ["run", "stroop", "--participant", "V1", "--windowed", "--autopilot",
                "--seed", "5", "--data-dir", str(root / "data"), *SETTINGS]
        result = run_cli(args, display=x_display, env_extra=env)
    assert result.returncode == 0, result.stderr[-3000:]
    folder = root / "data" / "sub-V1"
    csv_path = folder / "sub-V1_ses-1_task-stroop_run-1_beh.csv"
    data = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    sidecar = json.loads(csv_path.with_suffix(".json").read_text())
    return {"root": root, "folder": folder, "csv": csv_path, "data": data,
            "sidecar": sidecar,
            "planned": {t["trial_index"]: t for t in sidecar["autopilot"]["trials"]}}


def test_rows_and_recordings(session):
    data = session["data"]
    assert list(data.columns) == column_names(stroop.COLUMNS)
    assert len(data) == 14 and (data["response_mode"] == "voice").all()
    assert (data["correct_key"] == "").all()
    for row in data.itertuples():
        assert row.recording_file == f"sub-V1_ses-1_task-stroop_run-1_rec-{row.trial_index}.wav"
        assert (session["folder"] / row.recording_file).is_file()
        # the recording starts with the fixation cross, before the word
        assert float(row.recording_offset_ms) >= 400
    sidecar = session["sidecar"]
    assert sidecar["response_mode"] == "voice" and "key_mapping" not in sidecar
    assert sidecar["microphone_check"]["passed"]  # the autopilot read the sentence aloud


def test_trials_are_the_plan_and_columns_are_filled_like_the_simulation(session):
    """One plan and one scoring for voice too: the data-only simulation of a
    vocal session fills the same columns (the colour named as the response,
    the voice onset, response_mode=voice, no key), except the recording's
    two columns: a simulated participant records nothing."""
    assert_same_plan(session["csv"])
    real, sim = session["data"], simulated_twin(session["csv"])
    filled = lambda d: {c for c in d.columns if (d[c] != "").any()}  # noqa: E731
    recording = {"recording_file", "recording_offset_ms"}
    assert filled(real) - recording == filled(sim)
    assert recording <= filled(real) and not recording & filled(sim)
    assert (sim["response_mode"] == "voice").all() and (sim["correct_key"] == "").all()


def test_each_spoken_word_is_heard_with_a_voice_onset_in_the_response_window(session):
    rows = []
    for row in session["data"].itertuples():
        plan = session["planned"][int(row.trial_index)]
        rt = float(row.rt_ms) if row.rt_ms else None
        rows.append((int(row.trial_index), plan["spoken"], row.response,
                     plan["planned_rt_ms"], rt))
    print("\ntrial spoken heard planned_rt_ms rt_ms")
    for r in rows:
        print(*r)
    spoken = [r for r in rows if r[1]]
    assert len(spoken) >= 10
    for index, said, heard, planned, rt in rows:
        assert heard == said, (index, said, heard)
        if said:
            assert planned is not None and 0 < planned < DEADLINE_MS
            assert rt is not None and 0 < rt < DEADLINE_MS + VOICE_TAIL_MS, (index, rt)
        else:  # the model missed the deadline: silence, no RT
            assert rt is None


def test_correct_is_scored_against_the_ink(session):
    for row in session["data"].itertuples():
        assert row.correct == str(int(row.response == row.ink))


def test_screens_show_the_voice_instructions_and_feedback(session):
    screens = sorted(p.name for p in (session["root"] / "screens").iterdir())
    assert any("mic_level" in s for s in screens)
    assert any("instructions" in s for s in screens)
    assert any("feedback_" in s for s in screens)
    # the microphone check comes before the instructions
    first_instructions = next(s for s in screens if "instructions" in s)
    assert next(s for s in screens if "mic_intro" in s) < first_instructions


def test_the_analysis_runs_on_the_vocal_session(session):
    out = session["root"] / "analysis"
    result = run_cli(["analyze", str(session["folder"]), "--out", str(out)])
    assert result.returncode == 0, result.stderr[-2000:]
    report = (out / "report.html").read_text()
    assert "named the ink colour aloud" in report
    participants = pd.read_csv(out / "participants.csv")
    assert participants["n_trials"].iloc[0] == 12


def test_no_microphone_is_a_one_line_error_before_the_window(tmp_path):
    # No DISPLAY either: the microphone is looked up before the display is needed.
    result = run_cli(["run", "stroop", "--participant", "V2", "--data-dir", str(tmp_path),
                      "--set", "response=voice", "--set", "input_device=no_such_mic"])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no microphone" in lines[0] and "response=keys" in lines[0]
    assert not any(tmp_path.iterdir())


def test_voice_needs_english(tmp_path):
    result = run_cli(["run", "stroop", "--participant", "V2", "--data-dir", str(tmp_path),
                      "--set", "response=voice", "--lang", "de"])
    assert result.returncode == 2 and "lang=en" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
