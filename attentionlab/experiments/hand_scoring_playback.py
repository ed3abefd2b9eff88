"""Playing a shadowing recording for hand scoring: play, pause, seek, position.

Built on the session's :class:`~attentionlab.experiments.audio.StereoPlayer`
(one stereo ``sounddevice`` stream at the device's rate): the mono WAV is
resampled to that rate once and sent to both ears. Playing from second
``t`` queues the buffer from that sample; the position is worked out from
when the first sample really reached the output (``player.onset``), so the
progress bar follows what the scorer hears, not what was queued.

On a computer with no sound output the player cannot open: then
``available`` is False, ``reason`` says why, and scoring goes on without
sound (the screen says so).

>>> playback = Playback(clock=time.perf_counter)  # doctest: +SKIP
>>> playback.load("sub-R1_ses-1_task-dichotic_run-1_rec-1.wav"); playback.toggle()  # doctest: +SKIP
"""

import time

import numpy as np


class Playback:
    """One recording at a time; times in seconds from the start of the WAV."""

    def __init__(self, clock=time.perf_counter, device: str = "", player=None):
        self._clock = clock
        self.player = player  # given: tests (anything with StereoPlayer's play/stop/busy/onset)
        self.reason = ""
        try:
            if player is None:
                from attentionlab.experiments.audio import StereoPlayer

                self.player = StereoPlayer(device, clock=clock)
        except Exception as exc:  # no PortAudio, no device, a refused stream: score anyway
            self.reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self._stereo = np.zeros((0, 2), np.float32)
        self.rate = self.player.rate if self.player else 1
        self._start = 0  # sample the current (or last) play started from
        self._playing = False
        self._paused_at = 0

    @property
    def available(self) -> bool:
        return self.player is not None

    @property
    def duration_s(self) -> float:
        return len(self._stereo) / self.rate

    def load(self, wav_path) -> None:
        """Stop, and load ``wav_path`` (any rate, mono or stereo) at position 0."""
        import soundfile

        self.stop()
        self._paused_at = 0
        if not self.available:  # no sound: the length is still shown
            info = soundfile.info(str(wav_path))
            self.rate, self._stereo = info.samplerate, np.zeros((info.frames, 2), np.float32)
            return
        from attentionlab.stimuli.dichotic_mix import resample

        samples, rate = soundfile.read(str(wav_path), dtype="float32", always_2d=True)
        mono = samples.mean(axis=1, keepdims=True)
        mono = resample(mono, rate, self.rate)
        self._stereo = np.ascontiguousarray(np.repeat(mono, 2, axis=1), dtype=np.float32)

    @property
    def playing(self) -> bool:
        if self._playing and not self.player.busy:
            self._playing = False  # reached the end
            self._paused_at = len(self._stereo)
        return self._playing

    def position_s(self) -> float:
        """Where playback is now (while playing: the sample reaching the output)."""
        if not self.playing:
            return self._paused_at / self.rate
        onset = self.player.onset
        done = 0 if onset is None else max(0.0, self._clock() - onset) * self.rate
        return min(self._start + done, len(self._stereo)) / self.rate

    def toggle(self) -> None:
        """Play from the current position (from the start once at the end), or pause."""
        if not self.available:
            return
        if self.playing:
            self.stop()
            return
        start = self._paused_at if self._paused_at < len(self._stereo) else 0
        self._play_from(start)

    def seek(self, delta_s: float = 0.0, to_s: float | None = None) -> None:
        """Move by ``delta_s`` seconds, or to ``to_s``; keeps playing if playing."""
        target = self.position_s() + delta_s if to_s is None else to_s
        sample = int(round(min(max(target, 0.0), self.duration_s) * self.rate))
        if self.playing:
            self._play_from(sample)
        else:
            self._paused_at = sample

    def stop(self) -> None:
        """Pause where playback is now."""
        if self.playing:
            self._paused_at = int(round(self.position_s() * self.rate))
            self.player.stop()
        self._playing = False

    def close(self) -> None:
        if self.player is not None:
            self.player.close()

    def _play_from(self, sample: int) -> None:
        if sample >= len(self._stereo):
            self._paused_at = len(self._stereo)
            return
        self._start = sample
        self.player.play(self._stereo[sample:])
        self._playing = True
