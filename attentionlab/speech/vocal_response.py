"""A spoken response in a trial's recording: when it started and which word it was.

Any task with one spoken word per trial (Stroop's vocal mode) scores its
recording here: the voice key (:func:`attentionlab.speech.voicekey.detect_onset`)
finds the onset after the stimulus, and PocketSphinx, constrained to the
task's vocabulary (a closed grammar: exactly one of the words, or nothing),
says which word was spoken. The RT is the onset minus the stimulus' place in
the recording. Runs after the trial's response window, never during it.

>>> import numpy as np
>>> rate = 16000
>>> silence = 0.0005 * np.random.default_rng(0).standard_normal(rate)
>>> r = score_recording(silence, rate, stimulus_ms=200.0, vocabulary=("red", "blue"))
>>> r.rt_ms is None, r.word
(True, '')
"""

from dataclasses import dataclass

import numpy as np

from attentionlab.speech import recogniser
from attentionlab.speech.voicekey import VoiceOnset, detect_onset

DITHER = 1e-4  # RMS noise added before decoding (about 3 LSB of 16-bit PCM)
LEAD_S = 0.15  # decode from this long before the onset: the word's first phone is soft


@dataclass(frozen=True)
class VocalResponse:
    """``rt_ms``: voice onset minus stimulus onset (None: no voice after the
    stimulus); ``word``: the vocabulary word recognised ('' none);
    ``voice_key``: the voice key's result, times from the recording's start."""

    rt_ms: float | None
    word: str
    voice_key: VoiceOnset


def grammar(vocabulary) -> str:
    """JSGF rule body: one of the words, or none (the brackets make it optional,
    so noise or a cough can decode to nothing instead of the nearest word).

    >>> grammar(["red", "green"])
    '[ red | green ]'
    """
    return "[ " + " | ".join(vocabulary) + " ]"


def score_recording(samples: np.ndarray, rate: int, *, stimulus_ms: float, vocabulary,
                    threshold_db: float = 15.0, decoder=None) -> VocalResponse:
    """Voice onset after ``stimulus_ms`` (the stimulus onset, ms from the
    recording's first sample) and the word spoken, from ``vocabulary``.

    ``threshold_db``: the voice key's threshold above the noise floor. An
    empty ``vocabulary`` skips the recognition (``word`` is then '').
    ``decoder``: a :func:`recogniser.decoder` to reuse (making one takes a
    moment); only consulted when a voice onset is found.
    """
    start_s = max(0.0, stimulus_ms / 1000)
    key = detect_onset(samples, rate, threshold_db=threshold_db, start_s=start_s)
    if not key.found:
        return VocalResponse(None, "", key)
    rt_ms = round((key.onset_s - start_s) * 1000, 3)
    if not vocabulary:  # the voice key only
        return VocalResponse(rt_ms, "", key)
    first = int(max(0.0, key.onset_s - LEAD_S) * rate)
    last = int((speech_end_s(key) + LEAD_S) * rate)
    x = recogniser.prepare(np.asarray(samples)[first:last], rate)
    # Dither: on digital silence (a virtual microphone) PocketSphinx's log
    # energies and mean normalisation go wrong and "red"/"blue" decode to
    # nothing (measured); a real microphone's own noise does the same job.
    x = x + DITHER * np.random.default_rng(0).standard_normal(x.size).astype(np.float32)
    dec = decoder if decoder is not None else recogniser.decoder()
    words = [w for w, _, _ in recogniser.decode(dec, x, grammar(vocabulary), name="vocal")
             if w in vocabulary]
    return VocalResponse(rt_ms, words[0] if words else "", key)


def speech_end_s(key: VoiceOnset) -> float:
    """Where the sound that started at the voice onset last was above the
    threshold (s): decoding stops shortly after it, because long silence
    around a word skews PocketSphinx's per-utterance normalisation."""
    above = np.flatnonzero((key.envelope_db > key.threshold_db) & (key.times_s >= key.onset_s))
    return float(key.times_s[above[-1]]) if above.size else float(key.onset_s)
