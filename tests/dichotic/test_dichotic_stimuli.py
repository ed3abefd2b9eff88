"""Dichotic stimuli without sound: texts, trial lists, parameters, stimulus sets."""

import argparse
import csv
import dataclasses
import hashlib
import random
import re

import numpy as np
import pytest

from attentionlab.core.columns import column_names
from attentionlab.core.errors import UsageError
from attentionlab.core.params import apply_overrides
from attentionlab.stimuli import dichotic, dichotic_set, dichotic_texts
from attentionlab.stimuli.dichotic import DichoticParams, make_session
from attentionlab.stimuli.dichotic_sound import clean_name


def words(text):
    return re.findall(r"[a-zäöüß']+", text.lower())


# -- texts -------------------------------------------------------------------------------
@pytest.mark.parametrize("set_name", dichotic_texts.PASSAGES)
def test_test_words_occur_in_their_passage_only(set_name):
    passages = dichotic_texts.PASSAGES[set_name]
    for pid, passage in passages.items():
        for word in passage.test_words:
            assert word in words(passage.text), (pid, word)
            others = [o for o, p in passages.items() if o != pid and word in words(p.text)]
            assert not others, f"{word!r} of {pid} also in {others}"
    attended = [pid for pid, p in passages.items() if p.role == "attended"]
    assert attended and all(len(passages[pid].test_words) >= 3 for pid in attended)


@pytest.mark.parametrize("set_name", dichotic_texts.PASSAGES)
def test_pool_words_occur_in_no_passage_and_are_distinct(set_name):
    pool = dichotic_texts.WORD_POOL
    assert len(set(pool)) == len(pool) >= 40
    for pid, passage in dichotic_texts.PASSAGES[set_name].items():
        assert not set(pool) & set(words(passage.text)), pid
        assert not set(pool) & set(passage.test_words)


@pytest.mark.parametrize("set_name,role", [("standard", "attended"),
                                           ("standard", "unattended"),
                                           ("standard", "german"), ("short", "attended"),
                                           ("short", "unattended")])
def test_passages_of_a_role_have_matched_lengths(set_name, role):
    counts = [len(words(p.text)) for p in dichotic_texts.PASSAGES[set_name].values()
              if p.role == role]
    assert len(counts) >= 6
    assert max(counts) <= 1.25 * min(counts), counts
    if set_name == "standard" and role != "german":
        assert max(counts) <= 1.10 * min(counts), counts


# -- trial lists -----------------------------------------------------------------------------
def test_default_session_uses_each_manipulation_once_with_distinct_passages_and_words():
    params = DichoticParams()
    phases = make_session(params, random.Random(4), "P7")
    test = phases["test"]
    messages = [i for i in test if i.item == "message"]
    assert sorted(i.manipulation for i in messages) == sorted(dichotic.MANIPULATIONS)
    assert len({i.attended_passage for i in messages}) == 6
    assert len({i.unattended_passage for i in messages}) == 6
    assert [i.message for i in messages] == [1, 2, 3, 4, 5, 6]
    assert all(i.block == i.message for i in test)
    language = [i for i in messages if i.manipulation == "language"]
    assert language[0].german_passage.startswith("G")
    assert all(i.german_passage == "" for i in messages if i.manipulation != "language")
    shown = [i.word for i in phases["practice"] + test if i.item == "recognition"]
    assert len(shown) == len(set(shown)), "a word appears in two recognition tests"
    practice = [i for i in phases["practice"] if i.item == "message"]
    assert [i.manipulation for i in practice] == ["none"]
    assert practice[0].repetitions == dichotic.PRACTICE_REPETITIONS


def test_each_message_is_message_then_question_then_the_balanced_recognition_test():
    params = DichoticParams(repeated_words=2, attended_test_words=3, new_test_words=4)
    test = make_session(params, random.Random(2), "P1")["test"]
    texts = dichotic_texts.STANDARD
    for number in range(1, params.trials + 1):
        items = [i for i in test if i.message == number]
        assert [i.item for i in items[:2]] == ["message", "detection"]
        recognition = items[2:]
        kinds = [i.word_type for i in recognition]
        assert kinds.count("unattended_repeated") == 2
        assert kinds.count("attended") == 3 and kinds.count("new") == 4
        message = items[0]
        for item in recognition:
            if item.word_type == "unattended_repeated":
                assert item.word in message.repeated_words
            elif item.word_type == "attended":
                assert item.word in words(texts[message.attended_passage].text)
            else:
                assert item.word in dichotic_texts.WORD_POOL
                assert item.word not in message.repeated_words


def test_attended_ear_alternates_and_the_first_ear_is_counterbalanced_by_label():
    def ears(params, label):
        return [i.attended_ear for i in make_session(params, random.Random(1), label)["test"]
                if i.item == "message"]
    params = DichoticParams()
    assert ears(params, "P2") == ["left", "right"] * 3
    assert ears(params, "P3") == ["right", "left"] * 3
    assert set(ears(dataclasses.replace(params, attended_ear="fixed"), "P3")) == {"right"}
    assert set(ears(dataclasses.replace(params, attended_ear="left"), "P3")) == {"left"}


def test_same_seed_same_session_other_seed_other_order():
    params = DichoticParams()
    a = make_session(params, random.Random(9), "P1")
    assert a == make_session(params, random.Random(9), "P1")
    b = make_session(params, random.Random(10), "P1")
    assert [i.manipulation for i in a["test"]] != [i.manipulation for i in b["test"]] or \
        [i.word for i in a["test"]] != [i.word for i in b["test"]]


def test_rows_fill_declared_columns_only():
    item = make_session(DichoticParams(), random.Random(1), "P1")["test"][0]
    header = column_names(dichotic.COLUMNS)
    assert set(item.row()) <= set(header)
    assert item.row()["repeated_words"] == ";".join(item.repeated_words)


@pytest.mark.parametrize("overrides,message", [
    ({"trials": "7"}, "attended passage"),
    ({"manipulations": "voice,voice"}, "at most once"),
    ({"yes_no_keys": "y,y"}, "two different keys"),
    ({"passage_set": "/no/such/folder"}, "existing folder"),
    ({"headphone_checks": "2", "headphone_max_errors": "2"}, "smaller than"),
    ({"repeated_words": "5", "new_test_words": "10"}, "word pool"),
])
def test_impossible_settings_are_refused_with_what_is_allowed(overrides, message):
    with pytest.raises(UsageError, match=message):
        params = apply_overrides(DichoticParams(), overrides)
        make_session(params, random.Random(1), "P1")


def test_clean_name_keeps_letters_and_refuses_nothing():
    assert clean_name("  zoë ") == "Zoë"
    assert clean_name("mary-ann") == "Mary-Ann"
    assert clean_name("<b>al;ex</b>") == "Balexb"
    with pytest.raises(UsageError):
        clean_name(" 123 ")


# -- a lab's own recordings -------------------------------------------------------------------
def _tone_file(path, hz, seconds=3.0, rate=16000):
    import soundfile

    t = np.arange(int(seconds * rate)) / rate
    soundfile.write(path, (0.2 * np.sin(2 * np.pi * hz * t)).astype(np.float32), rate)


def own_set(folder, n=2):
    """A tiny set in the documented format: passages, German, practice, words."""
    rows = []
    for role, prefix, count in (("attended", "A", n), ("unattended", "U", n),
                                ("german", "G", n), ("practice_attended", "PA", 1),
                                ("practice_unattended", "PU", 1)):
        for k in range(1, count + 1):
            pid = f"{prefix}{k}"
            for voice in ("male", "female"):
                name = f"{pid}_{voice}.wav"
                _tone_file(folder / name, 200 + 10 * k + (100 if voice == "female" else 0),
                           seconds=12.0)
                rows.append({"file": name, "id": pid, "role": role,
                             "lang": "de" if role == "german" else "en", "voice": voice,
                             "text": f"passage {pid}",
                             "test_words": "alpha;beta" if "attended" in role else ""})
    for w in ("kettle", "ladder", "lemon", "magnet", "onion", "pepper", "spoon", "tiger",
              "tulip", "zebra", "violin", "wallet"):
        _tone_file(folder / f"{w}.wav", 800, seconds=0.4)
        rows.append({"file": f"{w}.wav", "id": w, "role": "word", "lang": "en",
                     "voice": "male", "text": w, "test_words": ""})
    rows.append({"file": "", "id": "cabbage", "role": "word", "lang": "en", "voice": "male",
                 "text": "cabbage", "test_words": ""})
    with open(folder / "stimuli.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=dichotic_set.CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_own_recordings_folder_gives_a_session(tmp_path):
    folder = own_set(tmp_path)
    params = apply_overrides(DichoticParams(), {
        "passage_set": str(folder), "trials": "2", "manipulations": "voice,language",
        "repeated_words": "1", "repetitions": "3", "attended_test_words": "2",
        "new_test_words": "2", "change_ms": "3000"})
    phases = make_session(params, random.Random(1), "P1")
    messages = [i for i in phases["test"] if i.item == "message"]
    assert {i.attended_passage for i in messages} == {"A1", "A2"}
    assert all(w != "cabbage" for i in messages for w in i.repeated_words)  # no recording
    from attentionlab.stimuli.dichotic_sound import MessageSounds, check_messages

    stimset = dichotic_set.read_set(str(folder))
    check_messages(stimset, phases["practice"] + phases["test"], params)
    sounds = MessageSounds(stimset, 22050)
    for item in messages:
        message = sounds.message(item, params)
        assert message.stereo.shape[1] == 2
        assert message.mix.repetitions_played() == 3
        assert message.mix.change_onset_ms is not None


@pytest.mark.parametrize("edit,message", [
    (lambda rows: rows[0].update(role="shadow"), "line 2: role 'shadow'"),
    (lambda rows: rows[1].update(file="missing.wav"), "line 3: sound file 'missing.wav'"),
    (lambda rows: rows[2].update(voice="child"), "line 4: voice 'child'"),
    (lambda rows: [r.pop("lang") for r in rows], "missing column"),
])
def test_bad_stimuli_csv_names_the_file_and_line(tmp_path, edit, message):
    folder = own_set(tmp_path)
    with open(folder / "stimuli.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    edit(rows)
    with open(folder / "stimuli.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(UsageError, match=re.escape(message)):
        dichotic_set.read_set(str(folder))


# -- building the built-in sets ------------------------------------------------------------------
def _build(cache):
    from attentionlab.stimuli import commands

    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers())
    args = parser.parse_args(["stimuli", "build", "dichotic", "--sets", "short",
                              "--cache", str(cache)])
    assert args.func(args) == 0
    return dichotic_set.builtin_folder("short", cache)


def test_build_is_reproducible_and_lists_every_recording(tmp_path, capsys):
    first, second = _build(tmp_path / "a"), _build(tmp_path / "b")
    assert first.name == second.name  # the fingerprint names the folder
    assert "short: built in" in capsys.readouterr().out

    def digest(folder):
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert digest(first) == digest(second)
    with open(first / "stimuli.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = 2 * (len(dichotic_texts.SHORT) + len(dichotic_texts.WORD_POOL))
    assert len(rows) == expected
    assert all((first / r["file"]).is_file() for r in rows)
    size = sum(p.stat().st_size for p in first.rglob("*") if p.is_file())
    assert size < 10 * 2**20
    _build(tmp_path / "a")
    assert "already built" in capsys.readouterr().out


def test_running_without_a_built_set_says_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTENTIONLAB_CACHE", str(tmp_path))
    with pytest.raises(UsageError, match="attentionlab stimuli build dichotic"):
        dichotic_set.read_set("short")
