"""The sound of each dichotic message, from a stimulus set (numpy + soundfile, no PsychoPy).

:class:`MessageSounds` loads the recordings a message needs (mono, resampled
to the output rate, silence trimmed, scaled to one speech level), assembles
the unattended channel (:mod:`~attentionlab.stimuli.dichotic_mix`) and
returns the stereo buffer. Assembly is deterministic: the same item, set and
rate give the same samples, so a test can rebuild exactly what was played.

>>> from attentionlab.stimuli import dichotic, dichotic_set
>>> sounds = MessageSounds(dichotic_set.read_set("short"), 44100)  # doctest: +SKIP
>>> message = sounds.message(item, dichotic.DichoticParams())  # doctest: +SKIP
>>> message.stereo.shape[1]  # doctest: +SKIP
2
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.core.errors import UsageError
from attentionlab.stimuli import dichotic_mix as mix
from attentionlab.stimuli import speech
from attentionlab.stimuli.dichotic_set import StimulusSet

NAME_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzäöüßàáâãåæçèéêëìíîïñòóôõøùúûýÿ -'")


@dataclass
class Message:
    """A message ready to play: ``stereo`` (n, 2) float32 at ``fs``, and the
    assembled unattended channel's facts (``mix``)."""

    stereo: np.ndarray
    fs: int
    mix: mix.Mix

    @property
    def duration_ms(self) -> float:
        return len(self.stereo) / self.fs * 1000


class MessageSounds:
    """Recordings of one stimulus set at output rate ``fs`` (Hz), loaded once each."""

    def __init__(self, stimset: StimulusSet, fs: int):
        self.stimset = stimset
        self.fs = int(fs)
        self._cache = {}

    def recording(self, role: str, pid: str, voice: str) -> np.ndarray:
        """A passage or word: mono, at ``fs``, trimmed and at the speech level."""
        key = (role, pid, voice)
        if key not in self._cache:
            self._cache[key] = prepare_clip(*load_mono(self.stimset.find(role, pid, voice).file),
                                            self.fs)
        return self._cache[key]

    def message(self, item, params, name: np.ndarray | None = None) -> Message:
        """The stereo sound of ``item`` (a DichoticItem) under ``params``.

        ``name``: the spoken name (see :func:`spoken_name`) for the name manipulation.
        """
        practice = item.phase == "practice"
        a_role = "practice_attended" if practice else "attended"
        u_role = "practice_unattended" if practice else "unattended"
        attended = self.recording(a_role, item.attended_passage, item.voice)
        prose = self.recording(u_role, item.unattended_passage, item.voice)
        alternative = None
        if item.manipulation == "voice":
            other = "female" if item.voice == "male" else "male"
            alternative = self.recording(u_role, item.unattended_passage, other)
        elif item.manipulation == "language":
            alternative = self.recording("german", item.german_passage, item.voice)
        words = {w: self.recording("word", w, item.voice) for w in item.repeated_words}
        repetitions = item.repetitions if words else 0
        if practice and words:
            repetitions = min(repetitions, fitting_repetitions(
                len(attended) / self.fs * 1000, mix.token_ms(words, self.fs)))
        try:
            unattended = mix.unattended_message(
                prose, self.fs, len(attended), manipulation=item.manipulation,
                change_at=params.change_at, change_ms=params.change_ms,
                alternative=alternative, name=name, tone_hz=params.tone_hz,
                word_clips=words, repetitions=repetitions)
        except ValueError as exc:
            raise UsageError(f"message {item.message} ({item.phase}): {exc}") from None
        return Message(mix.stereo(attended, unattended.samples, item.attended_ear), self.fs,
                       unattended)


def fitting_repetitions(total_ms: float, round_ms: float) -> int:
    """The most repetitions of a round of words that fit a message without a change."""
    n = 0
    while n < 100 and not mix.check_fits(total_ms, 0.0, round_ms, n + 1):
        n += 1
    return n


def load_mono(path) -> tuple[np.ndarray, int]:
    """A sound file as mono float32 (channels averaged) and its rate."""
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return data.mean(axis=1), int(rate)


def prepare_clip(x: np.ndarray, fs_in: int, fs_out: int) -> np.ndarray:
    """Resample to ``fs_out``, trim silence, scale to the speech level."""
    y = mix.trim_silence(mix.resample(x, fs_in, fs_out), fs_out)
    return mix.normalise(y, fs_out)


def clean_name(text: str) -> str:
    """The name as it will be spoken: letters, spaces, hyphens and apostrophes,
    capitalised; :class:`UsageError` if nothing is left.

    >>> clean_name("  anna-lena ")
    'Anna-Lena'
    """
    kept = "".join(ch for ch in text.strip().lower() if ch in NAME_CHARACTERS).strip(" -'")
    if not kept:
        raise UsageError("the name must contain letters")
    return "-".join(part[:1].upper() + part[1:] for part in kept.split("-"))


def spoken_name(name: str, voice: str, fs: int) -> np.ndarray:
    """The participant's first name spoken by ``voice``, in memory only."""
    samples, rate = speech.synthesize(clean_name(name), lang="en", voice=voice)
    return prepare_clip(samples, rate, fs)


def check_messages(stimset: StimulusSet, items, params) -> None:
    """Before the window opens: every message's repeated words and change fit
    into it (lengths of the trimmed recordings, as they will be played).
    :class:`UsageError` if not."""
    lengths = {}

    def seconds(role, pid, voice):
        key = (role, pid, voice)
        if key not in lengths:
            x, rate = load_mono(stimset.find(role, pid, voice).file)
            lengths[key] = len(mix.trim_silence(x, rate)) / rate
        return lengths[key]

    for item in items:
        if item.item != "message" or item.phase == "practice":
            continue  # practice messages take as many repetitions as fit
        practice = item.phase == "practice"
        total_ms = seconds("practice_attended" if practice else "attended",
                           item.attended_passage, item.voice) * 1000
        change_ms = params.change_ms if item.manipulation not in ("none", "name") else 0
        where = f"message {item.message} ({item.phase}, passage {item.attended_passage})"
        if change_ms and total_ms * params.change_at + change_ms > total_ms:
            raise UsageError(f"{where} lasts {total_ms / 1000:.1f} s: a change of "
                             f"{params.change_ms} ms from {params.change_at:g} of it runs past "
                             f"the end; lower change_ms or change_at")
        round_ms = sum(seconds("word", w, item.voice) * 1000 + 2 * mix.TOKEN_GAP_MS
                       for w in item.repeated_words)
        problem = mix.check_fits(total_ms, change_ms, round_ms, item.repetitions)
        if item.repeated_words and problem:
            raise UsageError(f"{where}: {problem}; lower repetitions or repeated_words")
