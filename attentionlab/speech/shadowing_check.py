"""A "human shadower" made from a recording with known word times, to check the scorer.

A recording of read speech whose words are timed (a ``*.words.json`` as
PocketSphinx's aligner writes it: ``w`` lists each word ``t`` with its start
``b`` and duration ``d`` in s, ``<sil>`` for pauses, ``(2)`` for
pronunciation variants) serves twice: as the attended *message*, and, played
``lag_s`` later with chosen words silenced, as a *perfect shadower* who said
exactly the words kept. Words cut out of another recording can be mixed into
the silenced slots as real intrusions. The truth (share said, lag, intrusions)
is then known exactly, so the scorer's figures can be compared with it
(``benchmarks/shadowing_accuracy.py`` and ``tests/shadowing`` do).

>>> timed = [TimedWord("he", 0.2, 0.1), TimedWord("was", 0.3, 0.2)]
>>> kept = keep_share(len(timed), 0.5, seed=1)
>>> int(kept.sum())
1
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FADE_S = 0.005  # silenced words fade out/in over this long: no clicks


@dataclass(frozen=True)
class TimedWord:
    word: str  # lower case, pronunciation variant removed
    start_s: float
    duration_s: float


@dataclass(frozen=True)
class TimedRecording:
    samples: np.ndarray  # mono float32
    rate: int
    words: tuple[TimedWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.word for w in self.words)


@dataclass(frozen=True)
class Shadower:
    """A synthetic shadowing recording and its truth."""

    samples: np.ndarray
    rate: int
    offset_ms: float  # where the message starts in ``samples``
    said: np.ndarray  # bool per attended word
    intrusions: tuple[str, ...]  # unattended words mixed in

    @property
    def share(self) -> float:
        return float(self.said.mean())


def read_timed(wav: Path) -> TimedRecording:
    """A WAV and its ``.words.json`` (same name) as a :class:`TimedRecording`."""
    import soundfile

    x, rate = soundfile.read(wav, dtype="float32", always_2d=True)
    facts = json.loads(Path(wav).with_suffix(".words.json").read_text(encoding="utf-8"))
    words = tuple(TimedWord(re.sub(r"\(\d+\)$", "", w["t"]).lower(), float(w["b"]), float(w["d"]))
                  for w in facts["w"] if not w["t"].startswith("<"))
    return TimedRecording(x.mean(axis=1), rate, words)


def keep_share(n: int, share: float, seed: int) -> np.ndarray:
    """Which of ``n`` words a shadower says: ``round(share * n)`` of them at random."""
    rng = np.random.default_rng(seed)
    keep = np.zeros(n, bool)
    keep[rng.permutation(n)[:int(round(share * n))]] = True
    return keep


def silence_words(x: np.ndarray, rate: int, words, keep) -> np.ndarray:
    """``x`` with every word whose ``keep`` is False faded to silence."""
    y = x.copy()
    fade = max(1, int(FADE_S * rate))
    for w, k in zip(words, keep):
        if k:
            continue
        a, b = int(w.start_s * rate), min(int((w.start_s + w.duration_s) * rate), len(y))
        y[a:b] = 0.0
        y[max(a - fade, 0):a] *= np.linspace(1, 0, a - max(a - fade, 0))
        y[b:b + fade] *= np.linspace(0, 1, len(y[b:b + fade]))
    return y


def make_shadower(message: TimedRecording, keep, lag_s: float, lead_s: float = 0.5,
                  intruder: TimedRecording | None = None, n_intrusions: int = 0,
                  tail_s: float = 1.0) -> Shadower:
    """The message said ``lag_s`` late with the words not in ``keep`` silenced;
    the recording starts ``lead_s`` before the message. With ``intruder``,
    ``n_intrusions`` of its words (those not in the message, longest first)
    are put into silenced slots wide enough for them, at the slot's time."""
    rate = message.rate
    said = silence_words(message.samples, rate, message.words, keep)
    out = np.zeros(int((lead_s + lag_s + len(said) / rate + tail_s) * rate), np.float32)
    start = int((lead_s + lag_s) * rate)
    out[start:start + len(said)] += said
    intrusions = []
    if intruder is not None and n_intrusions:
        own = {w.word for w in message.words}
        # words of three letters or more: shorter ones are not reported as
        # intrusions (shadowing.MIN_INTRUSION_LETTERS)
        candidates = sorted({w.word: w for w in intruder.words
                             if w.word not in own and len(w.word) >= 3}.values(),
                            key=lambda w: -w.duration_s)
        slots = [w for w, k in zip(message.words, keep) if not k]
        for cand in candidates:
            if len(intrusions) == n_intrusions:
                break
            for slot in slots:
                if slot.duration_s + 0.05 >= cand.duration_s:
                    slots.remove(slot)
                    a = int(cand.start_s * intruder.rate)
                    piece = intruder.samples[a:a + int(cand.duration_s * intruder.rate)]
                    i = start + int(slot.start_s * rate)
                    out[i:i + len(piece)] += piece[:len(out) - i]
                    intrusions.append(cand.word)
                    break
    return Shadower(out, rate, lead_s * 1000, np.asarray(keep, bool), tuple(intrusions))


def speech_folder() -> Path | None:
    """``../shared/data/speech`` beside the repository (the shared human
    recordings), or None if it is not there."""
    folder = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "speech"
    return folder if folder.is_dir() else None
