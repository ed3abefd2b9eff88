"""Hand scoring of shadowing: the file format, its reading rule, and the real
``attentionlab score shadowing`` window on Xvfb, driven through XTest clicks
on the word boxes (``--autopilot PLAN``), after a real dichotic session with
recordings (2 short messages, as in test_shadowing_recording.py).
"""

import shutil

import numpy as np
import pandas as pd
import pytest
import soundfile
from audio_chunks import chunks_of, locate, median_rho
from cli_runner import run_cli

import pulse_server
from attentionlab.speech.hand_scores import HEADER, hand_scores_path, read_hand_scores
from attentionlab.core.errors import UsageError
from attentionlab.experiments.hand_scoring import (Message, display_words, find_messages,
                                                   parse_plan, save_scores)
from attentionlab.experiments.hand_scoring_screen import layout_words
from attentionlab.stimuli import dichotic_set

DATA_NAME = "sub-R1_ses-1_task-dichotic_run-1_beh.csv"
SESSION_SETTINGS = [
    "--set", "passage_set=short", "--set", "trials=2", "--set", "practice_trials=0",
    "--set", "manipulations=voice,tone", "--set", "change_ms=1500", "--set", "repeated_words=0",
    "--set", "attended_test_words=0", "--set", "new_test_words=1", "--set", "headphone_checks=0",
    "--set", "iti_ms=100", "--set", "mic_check_ms=0", "--set", "record_tail_ms=300",
    "--set", "report_rt_ms=300", "--set", "recognition_rt_ms=300"]


# -- the file and its reading rule (no display) -----------------------------------------------
def _message(tmp_path, trial_index, words, wav="x.wav"):
    return Message(tmp_path / DATA_NAME, trial_index, 1, "A1", "left", tmp_path / wav, 200.0,
                   tuple(words), tuple(words))


def test_path_is_next_to_the_data_file(tmp_path):
    assert hand_scores_path(tmp_path / DATA_NAME) == \
        tmp_path / "sub-R1_ses-1_task-dichotic_run-1_shadowing-hand.csv"
    assert read_hand_scores(tmp_path / DATA_NAME) is None


def test_rescoring_appends_and_the_latest_save_wins(tmp_path):
    first = _message(tmp_path, 1, ["the", "baker", "shaped"])
    other = _message(tmp_path, 4, ["a", "train"])
    save_scores(first, [1, 0, 1], "ann", "2026-05-04T10:00:00+02:00")
    save_scores(other, [1, 1], "ann", "2026-05-04T10:01:00+02:00")
    before = hand_scores_path(first.data_csv).read_bytes()
    save_scores(first, [0, 1, 0], "bob", "2026-05-04T09:00:00+02:00")  # earlier clock, later in file
    after = hand_scores_path(first.data_csv).read_bytes()
    assert after.startswith(before)  # appended, nothing rewritten
    assert after.count(b"trial_index") == 1  # header once
    scores = read_hand_scores(first.data_csv)
    assert list(scores.columns) == HEADER
    one = scores[scores["trial_index"] == 1]
    assert one["said"].tolist() == [0, 1, 0] and set(one["scorer"]) == {"bob"}
    assert scores[scores["trial_index"] == 4]["said"].tolist() == [1, 1]
    # two saves in the same second by the same scorer are still told apart
    save_scores(other, [0, 0], "bob", "2026-05-04T09:00:00+02:00")
    save_scores(other, [0, 1], "bob", "2026-05-04T09:00:00+02:00")
    assert read_hand_scores(first.data_csv).query("trial_index == 4")["said"].tolist() == [0, 1]


def test_a_foreign_file_is_never_appended_to(tmp_path):
    path = hand_scores_path(tmp_path / DATA_NAME)
    path.write_text("something,else\n1,2\n")
    with pytest.raises(UsageError, match="not a hand-score file"):
        save_scores(_message(tmp_path, 1, ["a"]), [1], "")
    assert path.read_text() == "something,else\n1,2\n"


GOOD = "1,0,the,1,,2026-05-04T10:00:00+02:00"


@pytest.mark.parametrize("lines, line_no, what", [
    (["trial,word", GOOD], 1, "header"),
    ([",".join(HEADER), GOOD, "1,1,baker,2,,2026-05-04T10:00:00+02:00"], 3, "said"),
    ([",".join(HEADER), "1,x,the,1,,2026-05-04T10:00:00+02:00"], 2, "word_index"),
    ([",".join(HEADER), GOOD, GOOD, "1,1,baker,1,,2026-05-04 10:00"], 4, "scored_at"),
    ([",".join(HEADER), "1,0,the,1,2026-05-04T10:00:00+02:00"], 2, "cells"),
    ([",".join(HEADER), "-1,0,the,1,,2026-05-04T10:00:00+02:00"], 2, "negative"),
])
def test_a_malformed_file_names_file_and_line(tmp_path, lines, line_no, what):
    path = hand_scores_path(tmp_path / DATA_NAME)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(UsageError, match=what) as err:
        read_hand_scores(tmp_path / DATA_NAME)
    assert f"{path}:{line_no}:" in str(err.value)


def test_words_are_shown_as_written_and_scored_as_words_of():
    words, shown = display_words("The keeper's lamp, at dusk. Well-known 1950s.")
    assert words == ["the", "keeper's", "lamp", "at", "dusk", "well", "known", "s"]
    assert shown == ["The", "keeper's", "lamp,", "at", "dusk.", "Well-", "known", "s."]


def test_layout_keeps_reading_order_inside_the_area_and_pages_when_full():
    widths = [0.05 + 0.01 * (i % 7) for i in range(300)]
    pages = layout_words(widths, width=1.2, top=0.37, bottom=-0.2, text_height=0.025)
    boxes = [b for page in pages for b in page]
    assert [b.index for b in boxes] == list(range(300))
    assert len(pages) > 1
    for page in pages:
        for b in page:
            assert -0.6 <= b.x - b.w / 2 and b.x + b.w / 2 <= 0.6
            assert b.y + b.h / 2 <= 0.37 and b.y - b.h / 2 >= -0.2
        # reading order: down the lines, left to right within a line
        keys = [(-round(b.y, 6), b.x) for b in page]
        assert keys == sorted(keys)
        for a, b in zip(page, page[1:]):  # no overlaps
            assert round(a.y, 6) != round(b.y, 6) or a.x + a.w / 2 < b.x - b.w / 2


def test_plan_is_checked():
    assert parse_plan("0,2/a,space,wait/escape") == [["0", "2"], ["a", "space", "wait"],
                                                     ["escape"]]
    with pytest.raises(UsageError, match="'jump'"):
        parse_plan("0,jump")


def test_bad_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a folder"):
        find_messages(tmp_path / "nope")
    result = run_cli(["score", "shadowing", str(tmp_path / "nope")])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not a folder" in result.stderr


# -- the real window after a real session ----------------------------------------------------
needs_sound = pytest.mark.skipif(not pulse_server.available() or not shutil.which("espeak-ng"),
                                 reason="needs pulseaudio, pulseaudio-utils and espeak-ng")


@pytest.fixture(scope="module")
def recorded(x_display, tmp_path_factory):
    """A dichotic session with two recorded messages; the private PulseAudio
    stays up for the playback test."""
    if not pulse_server.available() or not shutil.which("espeak-ng"):
        pytest.skip("needs pulseaudio, pulseaudio-utils and espeak-ng")
    root = tmp_path_factory.mktemp("hand")
    cache = root / "cache"
    dichotic_set.build("short", cache)
    with pulse_server.private_pulse() as pulse:
        pulse._run("pactl", "set-default-source", f"{pulse.sink}.monitor")
        env = {**pulse.env, "ATTENTIONLAB_CACHE": str(cache)}
        result = run_cli(["run", "dichotic", "--participant", "R1", "--windowed", "--autopilot",
                          "--skip-intro", "--seed", "3", "--data-dir", str(root / "data"),
                          *SESSION_SETTINGS], display=x_display, env_extra=env)
        assert result.returncode == 0, result.stderr[-3000:]
        data = pd.read_csv(root / "data" / "sub-R1" / DATA_NAME, dtype=str,
                           keep_default_na=False)
        messages = data[data["item"] == "message"]
        assert len(messages) == 2 and (messages["recording_file"] != "").all()
        yield {"root": root, "pulse": pulse, "env": env, "messages": messages}


def _copy(recorded, tmp_path):
    """A fresh copy of the session's folder (each test scores its own)."""
    target = tmp_path / "data"
    shutil.copytree(recorded["root"] / "data", target)
    return target


def _score(data_dir, display, *extra, env=None):
    # --blank: boxes start as "not said", messages in file order (the plans count on it)
    return run_cli(["score", "shadowing", str(data_dir), "--windowed", "--blank", *extra],
                   display=display, env_extra=env)


def _said(scores, trial):
    rows = scores[scores["trial_index"] == trial]
    return [int(i) for i in rows.loc[rows["said"] == 1, "word_index"]]


@pytest.mark.display
@needs_sound
def test_clicked_words_are_saved_and_scored_messages_skipped(recorded, x_display, tmp_path):
    data_dir = _copy(recorded, tmp_path)
    trials = [int(t) for t in recorded["messages"]["trial_index"]]
    # no such sound output: scoring must work without playback
    result = _score(data_dir, x_display, "--scorer", "Anna K", "--autopilot", "0,2,5,2/a,3",
                    "--audio-device", "no-such-device-here",
                    env={"ATTENTIONLAB_CAPTURE_DIR": str(tmp_path / "screens")})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no sound output" in result.stderr
    data_csv = data_dir / "sub-R1" / DATA_NAME
    scores = read_hand_scores(data_csv)
    texts = {r.id: r.text for r in dichotic_set.read_set(
        str(next((recorded["root"] / "cache" / "dichotic").iterdir()))).recordings}
    for trial, passage in zip(trials, recorded["messages"]["attended_passage"]):
        rows = scores[scores["trial_index"] == trial]
        assert rows["word"].tolist() == display_words(texts[passage])[0]
        assert rows["word_index"].tolist() == list(range(len(rows)))
    assert _said(scores, trials[0]) == [0, 5]  # word 2 clicked twice: back to not said
    n_second = int((scores["trial_index"] == trials[1]).sum())
    assert _said(scores, trials[1]) == [i for i in range(n_second) if i != 3]
    assert set(scores["scorer"]) == {"Anna K"}
    screens = sorted(p.name for p in (tmp_path / "screens").iterdir())
    assert screens == ["0001_message01_page1.png", "0002_message01_saved.png",
                       "0003_message02_page1.png", "0004_message02_saved.png"]

    # scored messages are skipped: nothing to do, file untouched
    before = hand_scores_path(data_csv).read_bytes()
    again = _score(data_dir, x_display, "--autopilot", "1/1")
    assert again.returncode == 0 and "already hand-scored" in again.stdout
    assert hand_scores_path(data_csv).read_bytes() == before

    # --rescore: the first message again, then Escape on the second
    third = _score(data_dir, x_display, "--rescore", "--autopilot", "1,4/escape")
    assert third.returncode == 1, third.stderr[-2000:]
    after = hand_scores_path(data_csv).read_bytes()
    assert after.startswith(before)
    assert after.count(b"\n") - before.count(b"\n") == int((scores["trial_index"]
                                                            == trials[0]).sum())
    latest = read_hand_scores(data_csv)
    assert _said(latest, trials[0]) == [1, 4]
    assert _said(latest, trials[1]) == _said(scores, trials[1])  # Escape saved nothing


@pytest.mark.display
@pytest.mark.audio
@needs_sound
def test_space_plays_the_recording(recorded, x_display, tmp_path):
    data_dir = _copy(recorded, tmp_path)
    pulse = recorded["pulse"]
    first = recorded["messages"].iloc[0]
    capture = pulse.record(tmp_path / "played.wav", rate=44100, channels=2)
    result = _score(data_dir, x_display, "--autopilot", "space,wait,wait/escape",
                    env=pulse.env)
    played_path = capture.stop()
    assert result.returncode == 1, result.stderr[-3000:]
    assert "no sound output" not in result.stderr
    played, rate = soundfile.read(played_path, dtype="float32")
    original, original_rate = soundfile.read(data_dir / "sub-R1" / first["recording_file"],
                                             dtype="float32")
    assert rate == original_rate
    # the first 2 s of the recording came out of the output, in both ears; found
    # piece by piece (tests/audio_chunks.py): a dropout on a busy machine moves one
    head = original[:2 * rate]
    assert len(played) > len(head)
    start = locate(played[:, 0], head)
    for channel in (0, 1):
        chunks = chunks_of(played[:, channel], head, rate, start=start)
        assert median_rho(chunks) > 0.9, (channel, [round(c.rho, 3) for c in chunks])


@pytest.mark.display
@needs_sound
def test_no_recordings_is_exit_2(recorded, x_display, tmp_path):
    folder = tmp_path / "data" / "sub-R1"
    folder.mkdir(parents=True)
    source = recorded["root"] / "data" / "sub-R1"
    data = pd.read_csv(source / DATA_NAME, dtype=str, keep_default_na=False)
    data["recording_file"] = ""
    data.to_csv(folder / DATA_NAME, index=False)
    shutil.copy(source / DATA_NAME.replace(".csv", ".json"), folder)
    result = _score(tmp_path / "data", x_display)
    assert result.returncode == 2
    assert "no recorded shadowing" in result.stderr and result.stderr.count("\n") == 1
    assert not hand_scores_path(folder / DATA_NAME).exists()


def test_columns_are_documented():
    import re
    from pathlib import Path

    from attentionlab.speech.hand_scores import HAND_SCORE_COLUMNS

    text = (Path(__file__).resolve().parents[2] / "docs" / "data-format.md").read_text()
    section = text.split("## Shadowing hand scores", 1)[1]
    assert {c.name for c in HAND_SCORE_COLUMNS} <= set(re.findall(r"^\| `([a-z_]+)` \|",
                                                                     section, re.M))


class _FakePlayer:
    """StereoPlayer's interface; the sound 'reaches the output' 0.1 s after play()."""

    def __init__(self, clock):
        self.clock, self.rate, self.buffers, self._until, self._onset = clock, 1000, [], None, None

    def play(self, stereo):
        self.buffers.append(len(stereo))
        self._onset = self.clock() + 0.1
        self._until = self._onset + len(stereo) / self.rate

    def stop(self):
        self._until = None

    @property
    def busy(self):
        return self._until is not None and self.clock() < self._until

    @property
    def onset(self):
        return self._onset if self.clock() >= self._onset else None

    def close(self):
        pass


def test_playback_position_pause_seek_and_end(tmp_path):
    from attentionlab.experiments.hand_scoring_playback import Playback

    now = [0.0]
    clock = lambda: now[0]  # noqa: E731
    player = _FakePlayer(clock)
    playback = Playback(clock=clock, player=player)
    wav = tmp_path / "rec.wav"
    soundfile.write(wav, np.zeros(8000, np.float32), 1000)  # 8 s at 1 kHz
    playback.load(wav)
    assert playback.available and playback.duration_s == 8.0
    playback.toggle()  # play from 0
    assert playback.playing and player.buffers == [8000]
    now[0] = 0.05
    assert playback.position_s() == 0.0  # nothing has reached the output yet
    now[0] = 2.1
    assert playback.position_s() == pytest.approx(2.0)
    playback.seek(3.0)  # ahead 3 s while playing: plays on from 5 s
    assert player.buffers[-1] == 3000 and playback.position_s() == pytest.approx(5.0)
    now[0] = 3.2
    playback.toggle()  # pause at 6 s
    assert not playback.playing and playback.position_s() == pytest.approx(6.0)
    playback.seek(-10.0)  # back, clamped at 0, still paused
    assert playback.position_s() == 0.0 and not playback.playing
    playback.seek(to_s=7.0)
    playback.toggle()
    assert player.buffers[-1] == 1000
    now[0] = 20.0  # past the end
    assert not playback.playing and playback.position_s() == 8.0
    playback.toggle()  # at the end, play starts again from the beginning
    assert player.buffers[-1] == 8000


@pytest.mark.display
@needs_sound
def test_unreachable_display_is_one_line(recorded, tmp_path):
    """A stale $DISPLAY (no X server there) is one line and exit 2, not a traceback."""
    data_dir = tmp_path / "data"
    shutil.copytree(recorded["root"] / "data", data_dir)
    result = _score(data_dir, ":97")
    assert result.returncode == 2, result.stderr
    assert "cannot open display :97" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert not list(data_dir.rglob("*_shadowing-hand.csv"))
