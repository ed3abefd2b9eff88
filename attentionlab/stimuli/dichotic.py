"""Dichotic listening: parameters, data columns and the trial list (pure).

Two spoken messages at once, one per ear (Cherry, 1953). The participant
repeats aloud (shadows) the message in the cued ear; partway through, the
message in the other ear changes (its voice, its language, played backwards,
a tone, or the participant's own name, Moray 1959), and words are repeated in
it many times (Moray, 1959). After each message: was there anything unusual
in the other ear, then a yes/no recognition test of words.

Each message gives several rows (``item``): the ``message`` itself, the
``detection`` question, and one ``recognition`` row per test word. A message
is one block, so the session's break screen comes between messages.

:func:`make_plan` is the one trial plan (session, autopilot and data-only
simulation); :func:`score` says what an answer means. What playback and the
microphone measured (:data:`PLAYBACK_COLUMNS`) are raw facts that
:func:`score` passes on; only a real session has them.

>>> import random
>>> items = make_trials(DichoticParams(passage_set="short"), random.Random(1), participant="P1")
>>> sorted({i.manipulation for i in items}) == sorted(MANIPULATIONS)
True
>>> [i.item for i in items[:3]]
['message', 'detection', 'recognition']
"""

import random
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param
from attentionlab.stimuli.dichotic_mix import MANIPULATIONS
from attentionlab.stimuli.dichotic_set import BUILTIN_SETS, SetInfo, set_info
from attentionlab.stimuli.speech import GENDERS
from attentionlab.stimuli.stroop import counterbalance_index

TASK = "dichotic"
ITEMS = ("message", "detection", "recognition")
WORD_TYPES = ("unattended_repeated", "attended", "new")
# What the participant may report after each message; "nothing" answers "none".
REPORTS = ("voice", "language", "reversed", "tone", "name", "nothing")
EAR_RULES = ("alternate", "fixed", "left", "right")
PRACTICE_REPETITIONS = 3
# Message rows' facts that only playback (and the microphone) measure: a real
# session's Outcome.details carries them; a data-only simulation plays no
# sound, so its rows leave them empty (docs/simulation.md).
PLAYBACK_COLUMNS = ("message_duration_ms", "change_onset_ms", "change_duration_ms",
                    "repetitions_played", "audio_onset_s", "recording_file",
                    "recording_offset_ms")

COLUMNS: tuple[Column, ...] = (
    Column("message", "int", "message number within the phase, from 1"),
    Column("item", "str", "message (the sound), detection (the question after it) or "
           "recognition (one test word)"),
    Column("attended_ear", "str", "left or right: the ear the participant shadowed"),
    Column("attended_passage", "str", "id of the passage in the attended ear"),
    Column("unattended_passage", "str", "id of the passage in the unattended ear"),
    Column("german_passage", "str", "id of the German passage of a language change; "
           "else empty"),
    Column("manipulation", "str",
           "what changed in the unattended ear: none|voice|language|reversed|tone|name"),
    Column("voice", "str", "male or female: the voice of both messages (a voice change "
           "switches the unattended one to the other)"),
    Column("repeated_words", "str", "the words repeated in the unattended ear, "
           "separated by ';'"),
    Column("repetitions", "int", "planned repetitions of each repeated word"),
    Column("word", "str", "recognition rows: the word shown; else empty"),
    Column("word_type", "str", "recognition rows: unattended_repeated (repeated in the "
           "unattended ear), attended (occurs in the attended passage) or new"),
    Column("message_duration_ms", "float", "message rows: length of the message"),
    Column("change_onset_ms", "float", "message rows: start of the manipulation, ms from "
           "the message onset; empty for none"),
    Column("change_duration_ms", "float", "message rows: length of the manipulated "
           "stretch; empty for none"),
    Column("repetitions_played", "int", "message rows: complete repetitions of each "
           "repeated word actually played"),
    Column("audio_onset_s", "float", "message rows: when the first sample reached the "
           "sound card's output, seconds since the session clock started, as reported by "
           "the audio driver"),
    Column("recording_file", "str", "message rows: the WAV recorded from the microphone "
           "during the message (the shadowing), in the data file's folder; empty if not "
           "recorded"),
    Column("recording_offset_ms", "float", "message rows: where the message's first sample "
           "is in the recording, ms from the recording's first sample (audio onset minus "
           "recording start, both on the session clock)"),
    Column("detected", "bool01", "detection rows: 1 if anything unusual was reported "
           "(any answer but nothing), else 0"),
    Column("said_old", "bool01", "recognition rows: 1 if the participant said the word "
           "was in the message, else 0"),
)


@dataclass(frozen=True)
class DichoticParams:
    """Every dichotic-listening parameter, with its default. Durations in ms."""

    trials: int = param(6, "number of test messages (each needs its own attended and "
                        "unattended passage)", min=1, max=50)
    practice_trials: int = param(1, "practice messages before the test (no manipulation)",
                                 min=0, max=1)
    manipulations: tuple[str, ...] = param(
        MANIPULATIONS, "manipulations of the unattended message, used equally often in "
        "random order", choices=MANIPULATIONS)
    passage_set: str = param(
        "standard", "passages: 'standard' (about 50 s per message), 'short' (about 5 s, "
        "for demonstrations and tests) or the folder of your own recordings (see "
        "docs/tasks/dichotic.md)")
    voice: str = param("male", "voice of both messages; a voice change switches the "
                       "unattended message to the other", choices=GENDERS)
    attended_ear: str = param(
        "alternate", "which ear to shadow: alternate (from message to message, the first "
        "ear counterbalanced by participant label), fixed (one ear per participant, "
        "counterbalanced), left, right", choices=EAR_RULES)
    change_at: float = param(0.5, "start of the manipulation, as a fraction of the "
                             "message", min=0.1, max=0.9)
    change_ms: int = param(10000, "length of a voice, language, reversed-speech or tone "
                           "change (a name is said once)", unit="ms", min=500, max=60000)
    tone_hz: float = param(400.0, "frequency of the pure tone (Cherry used 400 Hz)",
                           unit="Hz", min=100, max=4000)
    repeated_words: int = param(2, "different words repeated in each unattended message",
                                min=0, max=5)
    repetitions: int = param(10, "times each repeated word is said in its message "
                             "(Moray, 1959, used 35 over a longer message)", min=1, max=100)
    attended_test_words: int = param(2, "recognition test: words from the attended "
                                     "passage, per message", min=0, max=6)
    new_test_words: int = param(2, "recognition test: new words (heard nowhere), per "
                                "message", min=1, max=10)
    yes_no_keys: tuple[str, ...] = param(("y", "n"), "recognition keys: yes (heard it), no")
    headphone_checks: int = param(6, "sounds in the headphone check before the task, "
                                  "half left, half right (0 skips the check)", min=0, max=20)
    headphone_max_errors: int = param(0, "wrong answers allowed in the headphone check",
                                      min=0, max=10)
    audio_device: str = param("", "sound output device: name or number as listed by "
                              "'python -m sounddevice' (empty: the system default)")
    record_voice: bool = param(True, "record the microphone during each message (the "
                               "shadowing) into a WAV per message")
    input_device: str = param("", "microphone: name or number as listed by 'python -m "
                              "sounddevice' (empty: the system default)")
    mic_check_ms: int = param(5000, "recording time of the microphone check before the "
                              "task (0 skips it; only with record_voice)", unit="ms", min=0,
                              max=20000)
    record_tail_ms: int = param(2000, "recording goes on this long after the message ends "
                                "(shadowers lag behind)", unit="ms", min=0, max=10000)
    iti_ms: int = param(500, "blank between the screens of a message", unit="ms", min=0,
                        max=5000)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        if len(set(self.manipulations)) != len(self.manipulations) or not self.manipulations:
            raise UsageError("manipulations must list each manipulation at most once")
        if len(self.yes_no_keys) != 2 or self.yes_no_keys[0] == self.yes_no_keys[1]:
            raise UsageError(f"yes_no_keys must be two different keys, got "
                             f"{','.join(self.yes_no_keys)}")
        if self.headphone_max_errors >= max(1, self.headphone_checks):
            raise UsageError("headphone_max_errors must be smaller than headphone_checks")
        if self.passage_set not in BUILTIN_SETS:
            from pathlib import Path

            if not Path(self.passage_set).is_dir():
                raise UsageError(f"passage_set must be {' or '.join(BUILTIN_SETS)} or an "
                                 f"existing folder, got {self.passage_set!r}")


@dataclass(frozen=True)
class DichoticItem:
    """One row's worth of a message: the message, its question, or a test word."""

    block: int
    phase: str
    message: int
    item: str
    attended_ear: str
    attended_passage: str
    unattended_passage: str
    german_passage: str
    manipulation: str
    voice: str
    repeated_words: tuple[str, ...]
    repetitions: int
    word: str = ""
    word_type: str = ""
    # What the recognition keys mean (for score; not a data column).
    yes_no_keys: tuple = ("y", "n")

    def row(self) -> dict:
        """The trial's own data columns."""
        return {"block": self.block, "phase": self.phase, "message": self.message,
                "item": self.item, "attended_ear": self.attended_ear,
                "attended_passage": self.attended_passage,
                "unattended_passage": self.unattended_passage,
                "german_passage": self.german_passage, "manipulation": self.manipulation,
                "voice": self.voice, "repeated_words": ";".join(self.repeated_words),
                "repetitions": self.repetitions, "word": self.word,
                "word_type": self.word_type}


def counterbalance_groups(params: DichoticParams) -> int:
    """2 (which ear is attended first) with ``attended_ear`` alternate or
    fixed, else 1 (the ear is given)."""
    return 2 if params.attended_ear in ("alternate", "fixed") else 1


def label_group(params: DichoticParams, participant: str) -> int:
    """The group the label rule gives (0: left first, 1: right first)."""
    return counterbalance_index(participant, counterbalance_groups(params))


def first_ear(participant: str, group: int | None = None) -> str:
    """The counterbalanced first attended ear: even label numbers left, odd right
    (digits of the label; CRC-32 of the label if it has none); an allocated
    ``group`` 0 is left, 1 right.

    >>> first_ear("P2"), first_ear("P3")
    ('left', 'right')
    """
    return ("left", "right")[counterbalance_index(participant, 2) if group is None else group]


def ears(params: DichoticParams, participant: str, n: int,
         group: int | None = None) -> list[str]:
    """The attended ear of each of ``n`` messages."""
    if params.attended_ear in ("left", "right"):
        return [params.attended_ear] * n
    first = first_ear(participant, group)
    if params.attended_ear == "fixed":
        return [first] * n
    other = "right" if first == "left" else "left"
    return [first if i % 2 == 0 else other for i in range(n)]


def balanced(values, n: int, rng: random.Random) -> list:
    """``n`` values, each used equally often as far as ``n`` allows, shuffled."""
    full, rest = divmod(n, len(values))
    out = list(values) * full + rng.sample(list(values), rest)
    rng.shuffle(out)
    return out


def make_session(params: DichoticParams, rng: random.Random, participant: str = "",
                 info: SetInfo | None = None, group: int | None = None) -> dict:
    """Practice and test items of one session: ``{'practice': [...], 'test': [...]}``.

    The word pool is shuffled once, so the two phases never share a word.
    """
    info = info or set_info(params.passage_set)
    order = list(info.word_pool)
    rng.shuffle(order)
    return {phase: make_trials(params, rng, phase, participant, info, order, group)
            for phase in ("practice", "test")}


def make_plan(params: DichoticParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The session's practice and test items (:func:`make_session` seeded with
    ``seed``).

    >>> plan = make_plan(DichoticParams(passage_set="short", trials=2), "P1", 3)
    >>> [i.item for i in plan["practice"]][:2], plan["test"][-1].item
    (['message', 'detection'], 'recognition')
    """
    check_group(group, counterbalance_groups(params))
    return make_session(params, random.Random(seed), participant, group=group)


def plan_facts(params: DichoticParams, participant: str, group: int | None = None) -> dict:
    """The sidecar's fact about the plan: the first attended ear (of the
    label rule, or of the allocated ``group``)."""
    check_group(group, counterbalance_groups(params))
    return {"counterbalance_group": first_ear(participant, group)}


def score(item: DichoticItem, outcome) -> dict:
    """The response columns of one row.

    Detection: ``outcome.response`` is the answer clicked (one of
    :data:`REPORTS`); ``correct`` if it names the manipulation ("nothing"
    when there was none), ``detected`` if it is anything but "nothing".
    Recognition: ``outcome.response`` is the key pressed; ``said_old`` for
    the yes key, ``correct`` if that matches the word (new words: no).
    Message rows: the playback facts in ``outcome.details`` are passed on.

    >>> from attentionlab.core.outcome import Outcome
    >>> item = make_plan(DichoticParams(passage_set="short"), "P1", 3)["test"][1]
    >>> item.item, score(item, Outcome(9.0, "nothing", 2500.0))["detected"]
    ('detection', 0)
    """
    out = {name: outcome.details.get(name) for name in PLAYBACK_COLUMNS}
    out.update(correct=None, detected=None, said_old=None)
    answer = outcome.response
    if item.item == "detection" and answer:
        expected = "nothing" if item.manipulation == "none" else item.manipulation
        out.update(correct=int(answer == expected), detected=int(answer != "nothing"))
    elif item.item == "recognition" and answer:
        said_old = answer == item.yes_no_keys[0]
        out.update(said_old=int(said_old), correct=int(said_old == (item.word_type != "new")))
    return out


def make_trials(params: DichoticParams, rng: random.Random, phase: str = "test",
                participant: str = "", info: SetInfo | None = None,
                word_order: list | None = None, group: int | None = None) -> list[DichoticItem]:
    """All rows of the test messages (or the practice messages), in order.

    Passages are drawn without replacement, manipulations balanced and
    shuffled, the words of the recognition test drawn from the set's word
    pool and shuffled within each message. ``word_order`` is the shuffled
    pool (default: shuffled with ``rng``); practice takes words from its end
    and the test from its start, so :func:`make_session` passes the same
    order to both and no word is seen twice in a session.
    """
    info = info or set_info(params.passage_set)
    if word_order is None:
        word_order = list(info.word_pool)
        rng.shuffle(word_order)
    if phase == "practice":
        n = params.practice_trials
        if n == 0:
            return []
        att_ids, un_ids = info.ids("practice_attended"), info.ids("practice_unattended")
        manipulations = ["none"] * n
    else:
        n = params.trials
        att_ids, un_ids = info.ids("attended"), info.ids("unattended")
        manipulations = balanced(params.manipulations, n, rng)
    role = "practice_attended" if phase == "practice" else "attended"
    _need(info, role, att_ids, n, params.voice)
    _need(info, role.replace("attended", "unattended"), un_ids, n, params.voice)
    attended = rng.sample(list(att_ids), n)
    unattended = rng.sample(list(un_ids), n)
    german = _german(params, info, manipulations, rng)
    pool = _word_pool(params, info, phase, n, word_order)
    items = []
    for i, ear in enumerate(ears(params, participant, n, group)):
        number = i + 1
        repeated, new = pool[i]
        tests = info.test_words.get(attended[i], ())
        if len(tests) < params.attended_test_words:
            raise UsageError(f"passage {attended[i]!r} lists {len(tests)} test words; "
                             f"attended_test_words={params.attended_test_words} needs more")
        shared = dict(block=number, phase=phase, message=number, attended_ear=ear,
                      attended_passage=attended[i], unattended_passage=unattended[i],
                      german_passage=german[i], manipulation=manipulations[i],
                      voice=params.voice, repeated_words=repeated,
                      repetitions=_repetitions(params, phase) if repeated else 0,
                      yes_no_keys=tuple(params.yes_no_keys))
        words = ([(w, "unattended_repeated") for w in repeated]
                 + [(w, "attended") for w in rng.sample(list(tests), params.attended_test_words)]
                 + [(w, "new") for w in new])
        rng.shuffle(words)
        items.append(DichoticItem(item="message", **shared))
        items.append(DichoticItem(item="detection", **shared))
        items += [DichoticItem(item="recognition", word=w, word_type=t, **shared)
                  for w, t in words]
    return items


def _repetitions(params, phase):
    """Practice messages are short: each repeated word at most
    PRACTICE_REPETITIONS times there."""
    return min(params.repetitions, PRACTICE_REPETITIONS) if phase == "practice" \
        else params.repetitions


def _need(info, role, ids, n, voice):
    usable = [pid for pid in ids if voice in info.voices(role, pid)]
    if len(usable) < n:
        raise UsageError(f"the stimulus set {info.name!r} has {len(usable)} {role} passage(s) "
                         f"in the {voice} voice; {n} message(s) need {n}")


def _german(params, info, manipulations, rng):
    n_lang = manipulations.count("language")
    ids = [pid for pid in info.ids("german") if params.voice in info.voices("german", pid)]
    if n_lang > len(ids):
        raise UsageError(f"{n_lang} language change(s) need as many German passages in the "
                         f"{params.voice} voice; the set {info.name!r} has {len(ids)}")
    chosen = iter(rng.sample(ids, n_lang))
    return [next(chosen) if m == "language" else "" for m in manipulations]


def _word_pool(params, info, phase, n, order):
    """Per message: (repeated words, new words), from ``order`` (the shuffled
    pool): the test takes words from its start, practice from its end."""
    per = params.repeated_words + params.new_test_words
    need = (params.trials + params.practice_trials) * per
    if len(order) < need:
        raise UsageError(f"the word pool of {info.name!r} has {len(order)} words; "
                         f"{params.trials + params.practice_trials} messages x {per} words "
                         f"need {need}")
    span = order[len(order) - n * per:] if phase == "practice" else order[:n * per]
    out = []
    for i in range(n):
        chunk = span[i * per:(i + 1) * per]
        repeated = tuple([w for w in chunk if params.voice in info.word_voices.get(w, ())]
                         [:params.repeated_words])
        if len(repeated) < params.repeated_words:
            raise UsageError(f"not enough recorded words in the {params.voice} voice in "
                             f"{info.name!r} to repeat {params.repeated_words} per message")
        new = tuple(w for w in chunk if w not in repeated)[:params.new_test_words]
        out.append((repeated, new))
    return out


# The contract's name for this task's parameters (core/contracts.py).
PARAMS = DichoticParams
