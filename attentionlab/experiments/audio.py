"""Stereo playback: two output channels, exactly, at the device's own rate.

Why not PsychoPy's sound module: its Psychtoolbox backend sees a PulseAudio
device as 32 output channels and refuses a 2-column buffer, and a buffer
played at another rate than the stream's comes out at the wrong pitch and
length (48 kHz on a 44.1 kHz stream: 8.8 % sharp). So we open one
``sounddevice`` (PortAudio) stream with ``channels=2`` at the device's
default rate for the whole session, resample every sound to that rate
beforehand (:func:`attentionlab.stimuli.dichotic_mix.resample`), and feed it
from a callback. Column 0 is the left channel and column 1 the right one,
in the same interleaved frames, so the two ears start on the same sample.

The stream runs from the start of the session and plays silence between
sounds, so starting a sound costs no device opening. A sound can be
scheduled for a time on the session clock: the callback knows (from the
driver's ``outputBufferDacTime``) when each block will reach the output and
starts the sound on the sample due at that time, mid-block. The onset
actually achieved is reported either way (:attr:`StereoPlayer.onset`).
benchmarks/audio_latency.py measures both against a recording.

>>> player = StereoPlayer(clock=time.perf_counter)  # doctest: +SKIP
>>> player.play(numpy.zeros((player.rate, 2), numpy.float32))  # doctest: +SKIP
"""

import threading
import time

import numpy as np

from attentionlab.core.errors import UsageError

CHANNELS = 2
LATENCY = 0.1  # s of buffer: rides out a busy main thread (GIL); onsets are measured anyway


class StereoPlayer:
    """One open stereo output stream; :meth:`play` queues a (n, 2) buffer.

    ``device``: a PortAudio device number or (part of) its name, as listed by
    ``python -m sounddevice``; empty for the default output. ``clock``: the
    session clock (seconds), for :attr:`onset`.
    """

    def __init__(self, device: str = "", clock=time.perf_counter):
        import sounddevice as sd

        self._sd = sd
        self._clock = clock
        self._lock = threading.Lock()
        self._buffer = None
        self._pos = 0
        self._onset = None
        self._when = None
        self._pending_onset = False
        self.underflows = 0
        self.underflow_times = []  # session clock (s) of each underflow seen
        target = _device_arg(device)
        try:
            info = sd.query_devices(target, "output")
        except (ValueError, sd.PortAudioError) as exc:
            raise UsageError(f"no sound output device {device or '(default)'!r}: {exc}. "
                             f"List the devices with 'python -m sounddevice'") from None
        if info["max_output_channels"] < CHANNELS:
            raise UsageError(f"sound device {info['name']!r} has "
                             f"{info['max_output_channels']} output channel(s); dichotic "
                             f"listening needs 2 (stereo headphones)")
        self.device_name = info["name"]
        self.host_api = sd.query_hostapis(info["hostapi"])["name"]
        self.rate = int(round(info["default_samplerate"]))
        self._stream = sd.OutputStream(device=target, samplerate=self.rate, channels=CHANNELS,
                                       dtype="float32", latency=LATENCY,
                                       callback=self._callback)
        self._stream.start()

    # -- the audio thread -----------------------------------------------------
    def _callback(self, outdata, frames, time_info, status):
        if status.output_underflow:
            self.underflows += 1
            self.underflow_times.append(self._clock())
        outdata.fill(0.0)
        with self._lock:
            buf = self._buffer
            if buf is None:
                return
            start = 0
            if self._pending_onset:
                # When this block's first sample reaches the output, on the session
                # clock (stream time -> session clock, both read now).
                dac, now_stream = time_info.outputBufferDacTime, time_info.currentTime
                delay = (dac - now_stream) if dac and now_stream else self._stream.latency
                block_time = self._clock() + delay
                if self._when is not None:
                    # Start mid-block on the sample due at the requested time.
                    start = int(round((self._when - block_time) * self.rate))
                    if start >= frames:
                        return  # not yet: a later block
                    start = max(start, 0)  # too late for that: as soon as possible
                self._onset = block_time + start / self.rate
                self._pending_onset = False
            chunk = buf[self._pos:self._pos + frames - start]
            outdata[start:start + len(chunk)] = chunk
            self._pos += len(chunk)
            if self._pos >= len(buf):
                self._buffer = None

    # -- the session's side ------------------------------------------------------
    def play(self, stereo: np.ndarray, when: float | None = None) -> None:
        """Play ``stereo`` ((n, 2) float32 at :attr:`rate`).

        ``when``: session-clock time for the first sample to reach the output,
        to the sample (if the buffer allows: at least :attr:`latency_s` ahead);
        None: as soon as possible (the next audio block).
        """
        stereo = np.ascontiguousarray(stereo, dtype=np.float32)
        if stereo.ndim != 2 or stereo.shape[1] != CHANNELS:
            raise ValueError(f"expected an (n, 2) buffer, got shape {stereo.shape}")
        with self._lock:
            self._buffer, self._pos, self._when = stereo, 0, when
            self._onset, self._pending_onset = None, True

    @property
    def busy(self) -> bool:
        """True while a sound is playing (or queued)."""
        with self._lock:
            return self._buffer is not None

    @property
    def onset(self) -> float | None:
        """Session-clock time the current (or last) sound's first sample
        reached the output, once the driver has taken it; else None."""
        with self._lock:
            return self._onset

    @property
    def latency_s(self) -> float:
        return float(self._stream.latency)

    def stop(self) -> None:
        """Silence at the next block."""
        with self._lock:
            self._buffer = None

    def close(self) -> None:
        self.stop()
        try:
            self._stream.stop()
            self._stream.close()
        except self._sd.PortAudioError:
            pass

    def describe(self) -> dict:
        """The sidecar's ``audio`` entry."""
        return {
            "used": True,
            "library": f"sounddevice {self._sd.__version__}",
            "portaudio": self._sd.get_portaudio_version()[1],
            "host_api": self.host_api,
            "device": self.device_name,
            "sample_rate_hz": self.rate,
            "channels": CHANNELS,
            "channel_order": ["left", "right"],
            "latency_ms": round(self.latency_s * 1000, 3),
            "resampled_to_device_rate": True,
        }


def _device_arg(device: str):
    device = (device or "").strip()
    if not device:
        return None
    return int(device) if device.isdigit() else device
