"""Microphone recording, aligned with the session clock, and the microphone check.

Why not PsychoPy's ``Microphone``: on PulseAudio (measured, see
/work/shared/ENVIRONMENT.md) it opened the device with 32 channels at
44.1 kHz instead of what was asked, returned clips shorter than the
recording and all zeros. So, as for playback (``audio.py``), one
``sounddevice`` input stream, mono, is opened for the whole session and a
callback keeps the blocks while a recording is on. The first kept block's
``inputBufferAdcTime`` (when its first sample entered the converter),
converted to the session clock, is the recording's start: a message's
first sample is at ``audio_onset - start`` in the recording.

>>> rec = Recorder(clock=time.perf_counter)  # doctest: +SKIP
>>> rec.start(); time.sleep(1); samples, start = rec.stop()  # doctest: +SKIP
"""

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attentionlab.core.errors import UsageError

LATENCY = 0.1  # s of input buffer; the start time is measured, not assumed
TOO_QUIET_DBFS = -35.0  # loudest 50 ms of the check sentence below this: too quiet
CLIP_LEVEL = 0.99  # |sample| at or above this counts as clipped
CLIP_SHARE = 0.001  # more than 0.1 % clipped samples: clipping
OFF_HINT = "turn recording off with --set record_voice=false"


def input_device_info(device: str = "", without: str = OFF_HINT) -> dict:
    """sounddevice's description of the microphone ``device`` (name or number;
    empty: the default input). No such input: a one-line :class:`UsageError`
    ending with ``without`` (how to run without a microphone). Cheap, so tasks
    call it before the window opens."""
    import sounddevice as sd

    try:
        return sd.query_devices(_device_arg(device), "input")
    except (ValueError, sd.PortAudioError) as exc:
        raise UsageError(f"no microphone (input device) {device or '(default)'!r}: "
                         f"{exc}. List the devices with 'python -m sounddevice', or "
                         f"{without}") from None


class Recorder:
    """One open mono input stream; :meth:`start` / :meth:`stop` cut recordings."""

    def __init__(self, device: str = "", clock=time.perf_counter,
                 without: str = OFF_HINT):
        import sounddevice as sd

        self._sd = sd
        self._clock = clock
        self._lock = threading.Lock()
        self._blocks = []
        self._active = False
        self._start = None
        self.overflows = 0
        target = _device_arg(device)
        info = input_device_info(device, without)
        self.device_name = info["name"]
        self.rate = int(round(info["default_samplerate"]))
        self._stream = sd.InputStream(device=target, samplerate=self.rate, channels=1,
                                      dtype="float32", latency=LATENCY,
                                      callback=self._callback)
        self._stream.start()

    def _callback(self, indata, frames, time_info, status):
        if status.input_overflow:
            self.overflows += 1
        with self._lock:
            if not self._active:
                return
            if self._start is None:
                adc, now_stream = time_info.inputBufferAdcTime, time_info.currentTime
                age = (now_stream - adc) if adc and now_stream else frames / self.rate
                self._start = self._clock() - age
            self._blocks.append(indata[:, 0].copy())

    def start(self) -> None:
        """Keep everything from the next block on."""
        with self._lock:
            self._blocks, self._start, self._active = [], None, True

    def level(self, last_s: float = 0.05) -> float:
        """RMS level (dBFS) of the last ``last_s`` recorded (for a level meter)."""
        with self._lock:
            blocks = list(self._blocks[-8:])
        if not blocks:
            return -120.0
        x = np.concatenate(blocks)[-int(last_s * self.rate):]
        return float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2)) + 1e-10))

    def stop(self) -> tuple[np.ndarray, float | None]:
        """End the recording: (mono float32 samples, session-clock time of the
        first sample or None if nothing arrived)."""
        with self._lock:
            self._active = False
            blocks, start = self._blocks, self._start
            self._blocks = []
        samples = np.concatenate(blocks) if blocks else np.zeros(0, np.float32)
        return samples, start

    def close(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        except self._sd.PortAudioError:
            pass

    def describe(self) -> dict:
        """The sidecar's ``microphone`` entry."""
        return {"library": f"sounddevice {self._sd.__version__}",
                "device": self.device_name, "sample_rate_hz": self.rate, "channels": 1,
                "latency_ms": round(float(self._stream.latency) * 1000, 3),
                "input_overflows": self.overflows,
                "alignment": "start = session clock at the callback minus (currentTime - "
                             "inputBufferAdcTime) of the first block"}


def save_trial_recording(csv_path: Path, trial_index: int, recording, rate: int,
                         event_time: float | None) -> tuple[str, float | None]:
    """Save a trial's ``recording`` (``Recorder.stop()``'s result, or None)
    next to the data file as ``..._rec-<trial_index>.wav`` (never overwritten).

    Returns ``(file name, offset ms)`` for the ``recording_file`` and
    ``recording_offset_ms`` columns: where ``event_time`` (session clock,
    e.g. the stimulus onset) falls in the WAV. ``("", None)`` without a
    recording; offset None when a time is unknown.
    """
    from attentionlab.stimuli.recording import recording_path

    if recording is None:
        return "", None
    samples, start = recording
    path = save_wav(recording_path(csv_path, trial_index), samples, rate)
    offset = (None if start is None or event_time is None
              else round((event_time - start) * 1000, 3))
    return path.name, offset


def save_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write a 16-bit mono WAV; never overwrites (exclusive create)."""
    import soundfile

    path = Path(path)
    with open(path, "xb") as fh:  # FileExistsError rather than losing a recording
        soundfile.write(fh, np.clip(samples, -1, 1), rate, subtype="PCM_16", format="WAV")
    return path


@dataclass(frozen=True)
class LevelCheck:
    """Outcome of the microphone check."""

    peak_dbfs: float  # loudest 50 ms RMS
    clipped_share: float
    verdict: str  # ok, too_quiet, clipping

    @property
    def message(self) -> str:
        return {"ok": "The level is fine.",
                "too_quiet": "Too quiet: speak up or bring the microphone closer, and "
                             "check that the right microphone is selected and not muted.",
                "clipping": "Too loud (the sound clips): move the microphone a little "
                            "away or turn its gain down."}[self.verdict]


def judge_level(samples: np.ndarray, rate: int) -> LevelCheck:
    """Judge a recorded check sentence.

    >>> rate = 16000
    >>> judge_level(np.zeros(rate), rate).verdict
    'too_quiet'
    >>> t = np.arange(rate) / rate
    >>> judge_level(0.3 * np.sin(2 * np.pi * 200 * t), rate).verdict
    'ok'
    >>> judge_level(np.clip(3 * np.sin(2 * np.pi * 200 * t), -1, 1), rate).verdict
    'clipping'
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return LevelCheck(-120.0, 0.0, "too_quiet")
    win = max(1, int(0.05 * rate))
    power = np.convolve(x ** 2, np.ones(win) / win, mode="valid") if x.size >= win else [
        np.mean(x ** 2)]
    peak = float(10 * np.log10(np.max(power) + 1e-12))
    clipped = float(np.mean(np.abs(x) >= CLIP_LEVEL))
    verdict = ("clipping" if clipped > CLIP_SHARE else
               "too_quiet" if peak < TOO_QUIET_DBFS else "ok")
    return LevelCheck(round(peak, 1), clipped, verdict)


def _device_arg(device: str):
    device = (device or "").strip()
    if not device:
        return None
    return int(device) if device.isdigit() else device


CHECK_SENTENCE = "The quick brown fox jumps over the lazy dog."
CHECK_INTRO = ("Microphone check\n\nWhen you press space, read this sentence aloud in your "
               "normal shadowing voice:\n\n\u201c{sentence}\u201d\n\nPress space to start.")
CHECK_RECORDING = "Read aloud now:\n\n\u201c{sentence}\u201d"
CHECK_RESULT = ("Microphone level: {peak:.0f} dBFS (loudest moment).\n\n{message}\n\n"
                "{next}")
CHECK_AGAIN = "Press R to try again, or space to continue anyway."
CHECK_OK = "Press space to continue."
MAX_ATTEMPTS = 3
METER_FLOOR_DB = -60.0


def microphone_check(session, recorder: Recorder, duration_ms: int,
                     intro: str = CHECK_INTRO, on_start=None) -> dict:
    """Record a spoken sentence with a live level meter; show the verdict.

    Up to :data:`MAX_ATTEMPTS` tries (R repeats, space continues). ``intro``:
    the first screen's text (``{sentence}`` is the sentence to read).
    ``on_start(sentence, time)``: called when recording starts (the autopilot
    reads the sentence aloud). Returns the sidecar entry (every attempt's peak
    level and verdict); never ends the session: the experimenter decides.
    """
    from psychopy import visual

    win = session.win
    prompt = visual.TextStim(win, "", pos=(0, 0.2), height=0.04, wrapWidth=1.2,
                             color="white", font=session.font)
    frame = visual.Rect(win, width=0.8, height=0.06, pos=(0, -0.15), lineColor="white",
                        fillColor=None)
    bar = visual.Rect(win, width=0.0, height=0.05, pos=(-0.4, -0.15), anchor="left",
                      fillColor=(-0.2, 0.8, -0.2), lineColor=None)
    # markers: too quiet below the left one, clipping at the right end
    quiet_x = -0.4 + 0.8 * (TOO_QUIET_DBFS - METER_FLOOR_DB) / -METER_FLOOR_DB
    marker = visual.Line(win, start=(quiet_x, -0.19), end=(quiet_x, -0.11),
                         lineColor=(1, 0.6, 0))
    attempts = []
    for attempt in range(MAX_ATTEMPTS):
        session.show_text(intro.format(sentence=CHECK_SENTENCE), screen="mic_intro")
        prompt.text = CHECK_RECORDING.format(sentence=CHECK_SENTENCE)
        recorder.start()
        if on_start is not None:
            on_start(CHECK_SENTENCE, session.get_time())
        end = session.get_time() + duration_ms / 1000
        first = True
        while session.get_time() < end:
            level = recorder.level()
            share = min(max((level - METER_FLOOR_DB) / -METER_FLOOR_DB, 0.0), 1.0)
            bar.width = 0.8 * share
            session.flip([prompt, frame, bar, marker], screen="mic_level" if first else None)
            first = False
            session.poll_keys()  # Escape still ends the session
        samples, _ = recorder.stop()
        result = judge_level(samples, recorder.rate)
        attempts.append({"peak_dbfs": result.peak_dbfs,
                         "clipped_share": round(result.clipped_share, 5),
                         "verdict": result.verdict})
        retry = result.verdict != "ok" and attempt + 1 < MAX_ATTEMPTS
        text = CHECK_RESULT.format(peak=result.peak_dbfs, message=result.message,
                                   next=CHECK_AGAIN if retry else CHECK_OK)
        if not _result_screen(session, text, allow_retry=retry):
            break
    return {"sentence": CHECK_SENTENCE, "duration_ms": duration_ms, "attempts": attempts,
            "passed": attempts[-1]["verdict"] == "ok"}


def _result_screen(session, text: str, allow_retry: bool) -> bool:
    """Show the verdict; True if the participant asked to try again (R)."""
    from psychopy import visual

    stim = visual.TextStim(session.win, text, height=0.035, wrapWidth=1.2, color="white",
                           font=session.font)
    shown = session.flip([stim], screen="mic_result")
    if session.autopilot is not None:
        session.autopilot.press_at("space", shown + 0.3)
    session.keys.clear()
    while True:
        for key, _ in session.poll_keys():
            if key == "space":
                session.flip([])
                return False
            if key == "r" and allow_retry:
                session.flip([])
                return True
        session.flip([stim])
