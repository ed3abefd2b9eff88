"""The autopilot's voice: the simulated participant speaks its answers.

In a vocal task the autopilot cannot press keys: it says the word aloud.
Each word is synthesised once with espeak-ng
(:func:`attentionlab.stimuli.speech.synthesize`), its leading and trailing
digital silence cut off (so the first sample *is* the speech onset), and
played through a :class:`~attentionlab.experiments.audio.StereoPlayer`
scheduled for a time on the session clock: the driver's DAC time places the
first sample on the sample due at that time (measured for dichotic: SD
0.82 ms). With the default input set to the output's monitor (PulseAudio:
``pactl set-default-source SINK.monitor``), the task's own microphone
records the answer, and the whole path (voice key, recognition) is tested
with real sound.

>>> voice = AutopilotVoice({"red": "red"}, clock=time.perf_counter)  # doctest: +SKIP
>>> voice.say_at("red", time.perf_counter() + 0.5)  # doctest: +SKIP
"""

import time

import numpy as np

SILENCE = 1e-4  # |sample| below this at the ends of espeak-ng's output is digital silence


class AutopilotVoice:
    """Speaks the words of ``vocabulary`` (answer -> text) at planned times.

    ``voice``: espeak-ng voice, ``male`` or ``female``; ``device``: the
    output (empty: default). ``log`` keeps, per utterance, the planned time and
    the onset the driver reported (session clock).
    """

    def __init__(self, vocabulary: dict, clock=time.perf_counter, *, lang: str = "en",
                 voice: str = "female", device: str = ""):
        from attentionlab.experiments.audio import StereoPlayer

        self.lang, self.voice = lang, voice
        self.player = StereoPlayer(device, clock=clock)
        self.sounds = {answer: self._sound(text) for answer, text in vocabulary.items()}
        self.log: list[dict] = []

    def _sound(self, text: str) -> np.ndarray:
        """``text`` spoken, trimmed to the speech, as (n, 2) at the player's rate."""
        from attentionlab.stimuli.dichotic_mix import resample
        from attentionlab.stimuli.speech import synthesize

        samples, rate = synthesize(text, lang=self.lang, voice=self.voice)
        loud = np.flatnonzero(np.abs(samples) > SILENCE)
        samples = samples[loud[0]:loud[-1] + 1] if loud.size else samples
        mono = resample(samples[:, None], rate, self.player.rate)[:, 0]
        return np.column_stack([mono, mono]).astype(np.float32)

    def say_at(self, answer: str, when: float) -> None:
        """Start saying ``answer`` (a vocabulary key) at session-clock ``when``."""
        self.player.play(self.sounds[answer], when=when)
        self.log.append({"answer": answer, "planned": when})

    def say_now(self, text: str) -> None:
        """Say any ``text`` as soon as possible (e.g. the microphone check sentence)."""
        self.player.play(self._sound(text))

    def outcome(self, planned: float | None, onset: float) -> dict:
        """The planned speech onset and the one the audio driver reported, ms
        after ``onset`` (the stimulus flip), for the sidecar."""
        if planned is None:
            return {"planned_rt_ms": None, "spoken": "", "speech_onset_rt_ms": None}
        entry = next((e for e in reversed(self.log) if e["planned"] == planned), {})
        reported = self.player.onset
        return {"planned_rt_ms": round((planned - onset) * 1000, 3),
                "spoken": entry.get("answer", ""),
                "speech_onset_rt_ms": (None if reported is None
                                       else round((reported - onset) * 1000, 3))}

    def describe(self) -> dict:
        """The sidecar's ``autopilot_voice`` entry."""
        from attentionlab.stimuli.speech import espeak_version, voice_name

        return {"synthesiser": f"espeak-ng {espeak_version()}",
                "voice": voice_name(self.lang, self.voice),
                "output": self.player.describe()}
