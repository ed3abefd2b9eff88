"""Voice key: when does speech start in a recording?

A software voice key on the recorded signal, reusable by any task with
spoken responses. The signal's short-time energy (RMS in a window of
``window_ms`` centred on each step) is compared with a threshold set
``threshold_db`` above the recording's own noise floor (a low percentile of
the envelope: the quiet part of any response recording). Speech starts where
the envelope first stays above the threshold for ``min_duration_ms`` (clicks
and breaths are shorter); that crossing is then moved back to where the
envelope last left the noise (``floor + refine_db``), because a threshold
well above the noise is crossed a little after the sound's true start.

The result carries everything a figure needs (envelope, noise floor,
threshold, onset): :func:`onset_figure` draws it.

>>> rate = 16000
>>> t = np.arange(rate) / rate
>>> x = np.where(t >= 0.25, 0.3 * np.sin(2 * np.pi * 200 * t), 0.0)
>>> x = x + 0.001 * np.random.default_rng(1).standard_normal(rate)
>>> abs(detect_onset(x, rate).onset_s - 0.25) < 0.005
True
"""

# Hand-written: no maintained Python library gives a voice key (speech onset
# of one response recording); librosa's onset detection finds note onsets.
from dataclasses import dataclass

import numpy as np

from attentionlab.core.errors import UsageError

EPS = 1e-10  # keeps log10 finite on digital silence


@dataclass(frozen=True)
class VoiceOnset:
    """A voice key's result. Times in s from the recording's first sample,
    levels in dB re full scale (dBFS RMS)."""

    onset_s: float | None  # None: no speech found
    times_s: np.ndarray  # envelope sample times
    envelope_db: np.ndarray
    noise_floor_db: float
    threshold_db: float
    peak_db: float

    @property
    def found(self) -> bool:
        return self.onset_s is not None


def envelope(signal: np.ndarray, rate: int, window_ms: float = 10.0,
             step_ms: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """RMS envelope in dBFS: (times_s, level_db), one value every ``step_ms``,
    each over a window of ``window_ms`` centred on its time.

    >>> t, db = envelope(np.full(1600, 0.5), 16000)
    >>> round(float(db[50]), 2)
    -6.02
    """
    x = _mono(signal)
    win = max(1, int(round(window_ms / 1000 * rate)))
    step = max(1, int(round(step_ms / 1000 * rate)))
    power = np.concatenate([[0.0], np.cumsum(x.astype(np.float64) ** 2)])
    centres = np.arange(0, len(x), step)
    lo = np.clip(centres - win // 2, 0, len(x))
    hi = np.clip(centres - win // 2 + win, 0, len(x))
    n = np.maximum(hi - lo, 1)
    rms = np.sqrt((power[hi] - power[lo]) / n)
    return centres / rate, 20 * np.log10(rms + EPS)


def detect_onset(signal: np.ndarray, rate: int, *, threshold_db: float = 15.0,
                 min_duration_ms: float = 40.0, window_ms: float = 10.0,
                 refine_db: float = 3.0, floor_percentile: float = 10.0,
                 max_below_peak_db: float = 30.0, start_s: float = 0.0) -> VoiceOnset:
    """Voice onset of ``signal`` (mono, or the mean of its channels) at ``rate`` Hz.

    ``threshold_db``: above the noise floor (the envelope's
    ``floor_percentile``-th percentile); never more than ``max_below_peak_db``
    below the loudest moment, so a quiet room does not make the key fire on
    breath noise, and never above it. ``min_duration_ms``: the envelope must
    stay above the threshold that long. ``start_s``: ignore what comes earlier
    (e.g. the stimulus' own sound).
    """
    if rate <= 0:
        raise UsageError(f"sample rate must be positive, got {rate}")
    if min_duration_ms < 0 or window_ms <= 0:
        raise UsageError("min_duration_ms must be >= 0 and window_ms > 0")
    times, db = envelope(signal, rate, window_ms)
    if len(db) == 0:
        raise UsageError("the recording is empty")
    usable = times >= start_s
    floor = float(np.percentile(db[usable], floor_percentile)) if usable.any() else float(db.min())
    peak = float(db[usable].max()) if usable.any() else float(db.max())
    threshold = min(floor + threshold_db, peak - max_below_peak_db)
    threshold = max(threshold, floor + refine_db + 1.0)  # always clearly above the noise
    step_s = times[1] - times[0] if len(times) > 1 else 1.0 / rate
    need = max(1, int(round(min_duration_ms / 1000 / step_s)))
    above = (db > threshold) & usable
    onset = None
    # first run of `need` consecutive frames above threshold
    run = np.convolve(above.astype(np.int32), np.ones(need, np.int32), mode="valid")
    hits = np.flatnonzero(run >= need)
    if hits.size:
        i = int(hits[0])
        # back to where the envelope last was at the noise (within the usable part)
        quiet = floor + refine_db
        j = i
        while j > 0 and db[j - 1] > quiet and usable[j - 1]:
            j -= 1
        # the centred window sees the sound half a window early: correct for that
        onset = float(max(times[j] + window_ms / 2000, start_s))
    return VoiceOnset(onset, times, db, floor, threshold, peak)


def onset_figure(result: VoiceOnset, title: str = "Voice key"):
    """Matplotlib Figure: the envelope, noise floor, threshold and the onset
    found (a 1.5-column figure, text of 8 pt: :mod:`attentionlab.core.figures`)."""
    from attentionlab.core import figures

    fig, ax = figures.new_axes((figures.WIDE_IN, 2.8))
    ax.plot(result.times_s, result.envelope_db, color="#444444", lw=0.8, label="RMS envelope")
    ax.axhline(result.noise_floor_db, color="#7570b3", ls=":", label="noise floor")
    ax.axhline(result.threshold_db, color="#d95f02", ls="--", label="threshold")
    if result.found:
        ax.axvline(result.onset_s, color="#1b9e77", lw=1.5,
                   label=f"onset {result.onset_s * 1000:.0f} ms")
    else:
        ax.text(0.5, 0.9, "no voice onset found", transform=ax.transAxes, ha="center")
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Level (dBFS)")
    ax.set_ylim(max(result.noise_floor_db - 15, -120), result.peak_db + 5)
    ax.legend(fontsize=figures.FONT_PT, loc="lower right")
    ax.set_title(title, fontsize=figures.FONT_PT + 1)
    return fig


def _mono(signal) -> np.ndarray:
    x = np.asarray(signal, dtype=np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if x.ndim != 1:
        raise UsageError(f"expected a mono or (n, channels) signal, got shape {x.shape}")
    return x
