"""PocketSphinx, set up once for every task that recognises speech.

PocketSphinx's US English model ships inside the ``pocketsphinx`` wheel, so
nothing is fetched at run time. It decodes 16 kHz mono 16-bit audio; every
caller goes through :func:`prepare` (mono, resampled, normalised) and
:func:`pcm16` so a quiet microphone decodes like a loud one.

>>> import numpy as np
>>> x = prepare(np.zeros((441, 2), np.float32), 44100)
>>> x.shape
(160,)
"""

import re

import numpy as np

DECODE_RATE = 16000  # Hz: the model's rate
FRAME_S = 0.01  # PocketSphinx's frame step


def decoder(**options):
    """A PocketSphinx decoder with the shipped model, quiet; ``options`` are
    PocketSphinx settings (e.g. ``lw=1.0``)."""
    from attentionlab.core.extras import require_speech

    require_speech("speech recognition")
    from pocketsphinx import Decoder
    return Decoder(samprate=DECODE_RATE, loglevel="FATAL", **options)


def known_words(dec, words) -> list[str]:
    """The words the recogniser's dictionary knows (``keeper's`` may fall back
    to ``keeper``); unknown words are left out."""
    return [f for f in (dictionary_form(dec, w) for w in words) if f is not None]


def dictionary_form(dec, word: str) -> str | None:
    """``word`` as the dictionary has it (``keeper's`` may become ``keeper``),
    or None if it has no entry."""
    if dec.lookup_word(word):
        return word
    if word.endswith("'s") and dec.lookup_word(word[:-2]):
        return word[:-2]
    return None


def prepare(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 at DECODE_RATE, peak-normalised to 0.5."""
    from attentionlab.stimuli.dichotic_mix import resample

    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != DECODE_RATE:
        x = resample(x[:, None], rate, DECODE_RATE)[:, 0]
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    return x * (0.5 / peak) if peak > 0 else x


def pcm16(x: np.ndarray) -> bytes:
    """Float samples in [-1, 1] as the raw 16-bit PCM PocketSphinx reads."""
    return (np.clip(x, -1, 1) * 32767).astype(np.int16).tobytes()


def base_word(name: str) -> str:
    """A dictionary entry without its pronunciation variant: ``the(2)`` -> ``the``."""
    return re.sub(r"\(\d+\)$", "", name)


def decode(dec, x: np.ndarray, grammar: str, name: str = "g") -> list[tuple[str, float, float]]:
    """Decode prepared samples ``x`` with a JSGF ``grammar`` (its rule body,
    e.g. ``"( red | green )"``): (word, start s, end s) of the words found,
    fillers and silences left out."""
    dec.add_jsgf_string(name, f"#JSGF V1.0;\ngrammar {name};\npublic <s> = {grammar} ;\n")
    dec.activate_search(name)
    return decode_active(dec, x)


def decode_active(dec, x: np.ndarray) -> list[tuple[str, float, float]]:
    """Like :func:`decode` with the search already active (a grammar used for
    many pieces is compiled once)."""
    dec.start_utt()
    dec.process_raw(pcm16(x), full_utt=True)
    dec.end_utt()
    return [(base_word(seg.word), seg.start_frame * FRAME_S, (seg.end_frame + 1) * FRAME_S)
            for seg in dec.seg() or ()
            if not seg.word.startswith("<") and not seg.word.startswith("[")]
