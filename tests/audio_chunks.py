"""Find a played sound in a recording piece by piece, so a busy machine cannot fail a test.

On a loaded machine the output stream can underflow and the recorder can
drop or repeat a block: a few ms of silence or a repeat somewhere in the
recording. Correlating a whole 4 s message then fails from that point on
(everything after the glitch is off by its length), although the sound our
code produced was right. So the reference is cut into chunks (0.5 s), each
found on its own near where it should be. What a test checks then holds
whatever the machine did: that most chunks are the reference (a median),
and the playback rate from the spacing of consecutive chunks (a glitch moves
one spacing; a wrong rate moves them all). Hand-written: no library finds a
sound piecewise like this.

>>> import numpy as np
>>> x = np.random.default_rng(0).standard_normal(48000).astype(np.float32)
>>> [round(c.rho, 3) for c in chunks_of(np.r_[np.zeros(100, np.float32), x], x, 48000)][:2]
[1.0, 1.0]
>>> long = np.tile(x, 3)  # 3 s; the recording stops (silence) after 1 s:
>>> cut = np.r_[long[:48000], np.zeros(96000, np.float32)]
>>> [round(c.rho, 3) for c in chunks_of(cut, long, 48000, start=0)][-3:]
[0.0, 0.0, 0.0]
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class Chunk:
    expected: float  # sample of the chunk's start in the reference
    found: float  # sample where it was found in the recording (sub-sample)
    rho: float  # correlation of the chunk with the recording there


def locate(recorded, reference):
    """Sub-sample lag (in recorded samples) of ``reference`` in ``recorded``."""
    from scipy.signal import correlate

    c = correlate(recorded, reference, mode="valid", method="fft")
    k = int(np.argmax(c))
    if 0 < k < len(c) - 1:  # parabolic interpolation around the peak
        a, b, d = c[k - 1], c[k], c[k + 1]
        return k + 0.5 * (a - d) / (a - 2 * b + d)
    return float(k)


def chunks_of(recorded, reference, rate, start=None, chunk_s=0.5, search_s=0.5):
    """Each audible ``chunk_s`` piece of mono ``reference`` found in mono ``recorded``.

    ``start``: where the whole reference begins in ``recorded`` (samples);
    None: found by correlating the whole reference. Each chunk is searched
    ``search_s`` either side of ``start`` + its offset. Silent chunks
    (espeak's pauses) are skipped: a pause has nothing to find.
    """
    if start is None:
        start = locate(recorded, reference)
    n, pad = int(chunk_s * rate), int(search_s * rate)
    out = []
    for e in range(0, len(reference) - n + 1, n):
        piece = reference[e:e + n]
        if np.sqrt(np.mean(piece.astype(np.float64) ** 2)) < 1e-3:
            continue
        lo = max(int(start) + e - pad, 0)
        window = recorded[lo:lo + n + 2 * pad]
        if len(window) < n:
            continue
        lag = locate(window, piece)
        k = int(round(lag))
        found = window[k:k + n]
        # A recording that dropped out there is silent (constant): nothing of
        # the piece was found, rho 0, not the NaN that would make the median NaN.
        rho = float(np.corrcoef(found, piece)[0, 1]) \
            if k + n <= len(window) and np.ptp(found) > 0 else 0.0
        out.append(Chunk(expected=float(e), found=lo + lag, rho=rho))
    return out


def median_rho(chunks):
    return float(np.median([c.rho for c in chunks])) if chunks else 0.0


def rate_ratio(chunks, min_rho=0.9):
    """Recorded / reference spacing of consecutive well-found chunks (median).

    1.0 when the sound played at its own rate; 48 kHz material on a 44.1 kHz
    stream gives 0.919. A glitch changes one spacing only.
    """
    good = [c for c in chunks if c.rho > min_rho]
    ratios = [(b.found - a.found) / (b.expected - a.expected) for a, b in zip(good, good[1:])]
    return float(np.median(ratios)) if ratios else float("nan")
