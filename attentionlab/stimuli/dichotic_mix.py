"""Sound of one dichotic message: the attended and the unattended channel (numpy only).

The unattended message is assembled from its prose recording:

* ``repetitions`` tokens of each repeated word (a short silence, the word, a
  short silence) are spliced into the prose at evenly spaced points outside
  the manipulated stretch (Moray, 1959);
* at ``change_at`` (a fraction of the message) a stretch of ``change_ms``
  replaces the prose: the same passage in the other voice (``voice``), a
  German passage (``language``), the prose played backwards (``reversed``),
  a pure tone (``tone``); or the participant's name is inserted (``name``).
  During the stretch the prose runs on underneath, so the message resumes
  later in the passage, as if it had never stopped.

Every cut is moved to the quietest 10 ms within 150 ms (a pause between words
where there is one) and faded over 5 ms, so there are no clicks. Both
channels are scaled to the same speech level, and the unattended channel is
cut or padded to the attended message's length, so the two start on the same
sample and end together.

>>> fs = 1000
>>> prose = np.sin(np.arange(20 * fs) / 3.0).astype(np.float32)
>>> mix = unattended_message(prose, fs, 20 * fs, manipulation="tone", change_at=0.5,
...                          change_ms=2000, tone_hz=100)
>>> len(mix.samples), round(mix.change_onset_ms / 1000)
(20000, 10)
"""

import math
from dataclasses import dataclass, field

import numpy as np

SPEECH_RMS = 0.05        # -26 dBFS over the voiced parts: loud enough, far from clipping
SPLICE_FADE_MS = 5.0     # raised-cosine fade at every cut
SNAP_RADIUS_MS = 150.0   # look this far for a quiet point to cut at
TOKEN_GAP_MS = 100.0     # silence around each repeated word
NAME_GAP_MS = 200.0      # silence around the name
MIN_PROSE_SHARE = 0.25   # below this the unattended "prose" is just a list of words
MANIPULATIONS = ("none", "voice", "language", "reversed", "tone", "name")


def speech_bounds(x: np.ndarray, fs: int, threshold_db: float = -40.0,
                  keep_ms: float = 20.0) -> tuple[int, int]:
    """Sample range of ``x`` without its leading and trailing silence (below
    ``threshold_db`` re the peak), ``keep_ms`` kept on each side."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak == 0.0:
        return 0, 0
    loud = np.flatnonzero(np.abs(x) >= peak * 10 ** (threshold_db / 20))
    keep = int(fs * keep_ms / 1000)
    return max(0, int(loud[0]) - keep), min(len(x), int(loud[-1]) + 1 + keep)


def trim_silence(x: np.ndarray, fs: int, threshold_db: float = -40.0,
                 keep_ms: float = 20.0) -> np.ndarray:
    """Cut leading and trailing silence (see :func:`speech_bounds`)."""
    start, end = speech_bounds(x, fs, threshold_db, keep_ms)
    return x[start:end]


def speech_rms(x: np.ndarray, fs: int) -> float:
    """RMS over the 20-ms frames within 30 dB of the loudest one (pauses left out)."""
    n = max(1, int(fs * 0.02))
    frames = x[:len(x) // n * n].reshape(-1, n) if len(x) >= n else x.reshape(1, -1)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    if rms.size == 0 or rms.max() == 0:
        return 0.0
    voiced = rms[rms >= rms.max() * 10 ** (-30 / 20)]
    return float(np.sqrt(np.mean(voiced ** 2)))


def normalise(x: np.ndarray, fs: int, rms: float = SPEECH_RMS) -> np.ndarray:
    """Scale ``x`` so its speech RMS is ``rms``."""
    level = speech_rms(x, fs)
    return (x * (rms / level)).astype(np.float32) if level > 0 else x.astype(np.float32)


def resample(x: np.ndarray, fs_from: int, fs_to: int) -> np.ndarray:
    """Polyphase resampling along the first axis (both channels of a stereo
    buffer get the same filter, so they stay aligned to the sample).

    >>> resample(np.zeros(22050), 22050, 44100).shape
    (44100,)
    """
    if fs_from == fs_to:
        return x.astype(np.float32)
    from scipy.signal import resample_poly

    g = math.gcd(int(fs_from), int(fs_to))
    return resample_poly(x, fs_to // g, fs_from // g, axis=0).astype(np.float32)


def tone(hz: float, ms: float, fs: int, rms: float = SPEECH_RMS, ramp_ms: float = 10.0):
    """A pure tone with raised-cosine on/off ramps."""
    n = int(round(fs * ms / 1000))
    t = np.arange(n) / fs
    y = np.sin(2 * np.pi * hz * t) * rms * math.sqrt(2)
    return _fade(y.astype(np.float32), fs, ramp_ms, ramp_ms)


def noise_burst(ms: float, fs: int, rng: np.random.Generator, rms: float = SPEECH_RMS):
    """Gaussian noise with 20-ms ramps: the headphone-check sound."""
    n = int(round(fs * ms / 1000))
    return _fade((rng.standard_normal(n) * rms).astype(np.float32), fs, 20.0, 20.0)


def _fade(x, fs, in_ms=SPLICE_FADE_MS, out_ms=SPLICE_FADE_MS):
    x = np.array(x, dtype=np.float32, copy=True)
    for ms, sl in ((in_ms, slice(None)), (out_ms, slice(None, None, -1))):
        n = min(len(x) // 2, int(fs * ms / 1000))
        if n > 0:
            ramp = (0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)).astype(np.float32)
            x[sl][:n] *= ramp
    return x


def quiet_point(x: np.ndarray, fs: int, at: int, radius_ms: float = SNAP_RADIUS_MS) -> int:
    """The sample nearest the quietest 10 ms of ``x`` within ``radius_ms`` of ``at``."""
    at = int(min(max(at, 0), len(x)))
    r, w = int(fs * radius_ms / 1000), max(1, int(fs * 0.01))
    lo, hi = max(0, at - r), min(len(x), at + r)
    if hi - lo <= w:
        return at
    energy = np.convolve(x[lo:hi].astype(np.float64) ** 2, np.ones(w), mode="valid")
    return lo + int(np.argmin(energy)) + w // 2


def _silence(ms, fs):
    return np.zeros(int(round(fs * ms / 1000)), dtype=np.float32)


@dataclass
class Mix:
    """An assembled unattended message and what was put where (ms from its start)."""

    samples: np.ndarray
    fs: int
    change_onset_ms: float | None = None
    change_duration_ms: float | None = None
    token_onsets_ms: dict = field(default_factory=dict)  # word -> [onset of each token]

    def repetitions_played(self) -> int:
        """Fewest complete repetitions of any repeated word (0 if none)."""
        return min((len(v) for v in self.token_onsets_ms.values()), default=0)


def token_ms(word_clips: dict, fs: int) -> float:
    """Duration of one round of the repeated words, gaps included (ms)."""
    return sum(len(c) / fs * 1000 + 2 * TOKEN_GAP_MS for c in word_clips.values())


def check_fits(total_ms: float, change_ms: float, round_ms: float, repetitions: int) -> str:
    """Empty if the repeated words fit the message, else what is wrong."""
    free = total_ms - change_ms
    prose = free - round_ms * repetitions
    if free <= 0 or prose < MIN_PROSE_SHARE * free:
        most = max(0, int((1 - MIN_PROSE_SHARE) * max(free, 0) // max(round_ms, 1)))
        return (f"{repetitions} repetitions of the repeated words take "
                f"{round_ms * repetitions / 1000:.1f} s of a {total_ms / 1000:.1f} s message "
                f"({max(free, 0) / 1000:.1f} s outside the change); at most {most} fit")
    return ""


def unattended_message(prose: np.ndarray, fs: int, total: int, *, manipulation: str = "none",
                       change_at: float = 0.5, change_ms: float = 0.0,
                       alternative: np.ndarray | None = None, name: np.ndarray | None = None,
                       tone_hz: float = 400.0, word_clips: dict | None = None,
                       repetitions: int = 0) -> Mix:
    """Assemble the unattended channel (``total`` samples at ``fs``).

    ``prose``: the unattended passage (normalised). ``alternative``: the same
    passage in the other voice (``voice``) or the German passage
    (``language``). ``name``: the spoken name (``name``). ``word_clips``:
    word -> clip, each inserted ``repetitions`` times, the words taking
    turns. Raises ValueError when the words do not fit (see :func:`check_fits`).
    """
    if manipulation not in MANIPULATIONS:
        raise ValueError(f"unknown manipulation {manipulation!r}")
    word_clips = word_clips or {}
    gap = _silence(TOKEN_GAP_MS, fs)
    tokens = [(w, np.concatenate([gap, _fade(c, fs), gap]))
              for _ in range(repetitions) for w, c in word_clips.items()]
    change_len = _change_length(manipulation, change_ms, fs, alternative, name)
    token_len = sum(len(t) for _, t in tokens)
    problem = check_fits(total / fs * 1000, change_len / fs * 1000,
                         token_ms(word_clips, fs), repetitions)
    if tokens and problem:
        raise ValueError(problem)
    prose_len = max(0, total - change_len - token_len)
    # Events on the prose timeline: tokens evenly spaced; the change where,
    # with the tokens before it, it starts at change_at of the message.
    events = [((j + 0.5) * prose_len / max(1, len(tokens)), "token", t)
              for j, t in enumerate(tokens)]
    if manipulation != "none":
        share = prose_len / max(1, total - change_len)
        events.append((change_at * total * share, "change", None))
    events.sort(key=lambda e: (e[0], e[1] != "change"))

    mix = Mix(np.zeros(0, np.float32), fs)
    pieces, out_len, src, prose_done = [], 0, 0, 0
    for at, kind, payload in events:
        want = int(at) - prose_done
        if want > 0:
            end = quiet_point(prose, fs, src + want) if src + want < len(prose) else src + want
            chunk = _take(prose, src, end - src)
            pieces.append(_fade(chunk, fs))
            out_len += len(chunk)
            prose_done += len(chunk)
            src = end
        if kind == "token":
            word, clip = payload
            mix.token_onsets_ms.setdefault(word, []).append((out_len + len(gap)) / fs * 1000)
            pieces.append(clip)
            out_len += len(clip)
        else:
            sound, src = _change_sound(manipulation, prose, src, fs, change_len, alternative,
                                       name, tone_hz)
            mix.change_onset_ms = out_len / fs * 1000
            mix.change_duration_ms = len(sound) / fs * 1000
            pieces.append(sound)
            out_len += len(sound)
    if out_len < total:
        pieces.append(_fade(_take(prose, src, total - out_len), fs))
    samples = _fit(np.concatenate(pieces) if pieces else np.zeros(0, np.float32), total, fs)
    total_ms = total / fs * 1000
    for word, onsets in mix.token_onsets_ms.items():
        clip_ms = len(word_clips[word]) / fs * 1000
        mix.token_onsets_ms[word] = [t for t in onsets if t + clip_ms <= total_ms]
    if mix.change_onset_ms is not None and mix.change_onset_ms >= total_ms:
        mix.change_onset_ms = mix.change_duration_ms = None
    mix.samples = samples
    return mix


def _change_length(manipulation, change_ms, fs, alternative, name):
    """Planned length of the manipulated stretch (samples)."""
    n = int(round(fs * change_ms / 1000))
    if manipulation == "none":
        return 0
    if manipulation == "name":
        if name is None:
            raise ValueError("the name manipulation needs the spoken name")
        return len(name) + 2 * len(_silence(NAME_GAP_MS, fs))
    if manipulation in ("voice", "language"):
        if alternative is None:
            raise ValueError(f"the {manipulation} manipulation needs its other recording")
        return min(n, len(alternative))
    return n


def _change_sound(manipulation, prose, src, fs, n, alternative, name, tone_hz):
    """The stretch that replaces the prose at prose sample ``src``, and where the
    prose resumes afterwards (it runs on underneath, except around a name)."""
    if manipulation == "name":
        gap = _silence(NAME_GAP_MS, fs)
        return np.concatenate([gap, _fade(name, fs), gap]), src
    if manipulation == "tone":
        sound = tone(tone_hz, n / fs * 1000, fs)
    elif manipulation == "reversed":
        # The prose that would have been heard, played backwards.
        end = quiet_point(prose, fs, src + n)
        sound = _fade(_take(prose, src, end - src)[::-1], fs)
    elif manipulation == "voice":
        # The same passage in the other voice, from the matching point.
        start = quiet_point(alternative, fs, int(src * len(alternative) / max(1, len(prose))))
        end = quiet_point(alternative, fs, start + n)
        sound = _fade(_take(alternative, start, end - start), fs)
    else:  # language: the German passage from its start
        end = quiet_point(alternative, fs, n) if n < len(alternative) else len(alternative)
        sound = _fade(alternative[:end], fs)
    resume = quiet_point(prose, fs, src + len(sound)) if src + len(sound) < len(prose) \
        else src + len(sound)
    return sound, resume


def _take(x, start, n):
    """``n`` samples of ``x`` from ``start``, wrapping to the beginning if it runs out."""
    if n <= 0 or len(x) == 0:
        return np.zeros(max(0, n), np.float32)
    start %= len(x)
    out = x[start:start + n]
    while len(out) < n:
        out = np.concatenate([out, x[:n - len(out)]])
    return out


def _fit(x, total, fs):
    if len(x) > total:
        return _fade(x[:total], fs, 0.0, 20.0)
    return np.concatenate([x, np.zeros(total - len(x), np.float32)])


def stereo(attended: np.ndarray, unattended: np.ndarray, attended_ear: str) -> np.ndarray:
    """(n, 2) buffer: column 0 left, column 1 right; the attended message in
    ``attended_ear``, the unattended one in the other, nothing else anywhere.

    >>> stereo(np.ones(3), np.zeros(3), "right")[:, 1].tolist()
    [1.0, 1.0, 1.0]
    """
    n = max(len(attended), len(unattended))
    out = np.zeros((n, 2), dtype=np.float32)
    a, u = (0, 1) if attended_ear == "left" else (1, 0)
    out[:len(attended), a] = attended
    out[:len(unattended), u] = unattended
    return out


def one_ear(x: np.ndarray, ear: str) -> np.ndarray:
    """(n, 2) buffer with ``x`` only in ``ear`` (the headphone check)."""
    return stereo(x, np.zeros_like(x), ear)
