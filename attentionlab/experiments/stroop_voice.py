"""Stroop's vocal mode (``response=voice``): the participant names the ink aloud.

Each trial is recorded from the start of the fixation cross (so the word's
onset flip is always inside the recording) until ``VOICE_TAIL_MS`` after the
deadline (so a word begun just before the deadline is whole). The word stays
on screen until the deadline: nothing listens during the trial, because the
timing rule (docs/architecture.md) forbids processing between the onset flip and the end
of the recording. Afterwards the recording is saved next to the data file
and heard (:func:`attentionlab.speech.vocal_response.score_recording`):
rt_ms = voice onset on the session clock - word onset flip time, and the
recognised colour name is the response. What that means (correct, the
response colour) is decided by the definition, ``stroop.score``, as for keys.

The autopilot speaks instead of pressing keys
(:class:`~attentionlab.experiments.autopilot_voice.AutopilotVoice`).
"""

from attentionlab.core.outcome import Outcome
from attentionlab.speech import recogniser
from attentionlab.speech.vocal_response import score_recording
from attentionlab.stimuli.stroop_words import VOICE_TEXT

VOICE_TAIL_MS = 600  # recording goes on this long after the deadline (a word lasts ~500 ms)
WITHOUT_MICROPHONE = "answer with keys (--set response=keys)"


def check_ready(params) -> None:
    """Before the window opens: a microphone is there and PocketSphinx loads
    (each failure is a one-line UsageError)."""
    from attentionlab.experiments.microphone import input_device_info

    input_device_info(params.input_device, WITHOUT_MICROPHONE)
    recogniser.decoder()


class VoiceResponses:
    """The microphone, the recogniser and (with the autopilot) the voice of
    one Stroop session in vocal mode."""

    def __init__(self, session, params, speak: bool):
        from attentionlab.experiments.microphone import Recorder

        self.session, self.params = session, params
        self.text = VOICE_TEXT[params.lang]
        self.vocabulary = self.text["vocabulary"]  # colour -> spoken word
        self._colour_of = {word: colour for colour, word in self.vocabulary.items()}
        self.recorder = Recorder(params.input_device, clock=session.get_time,
                                 without=WITHOUT_MICROPHONE)
        self.decoder = recogniser.decoder()
        self.speaker = None
        if speak:
            from attentionlab.experiments.autopilot_voice import AutopilotVoice

            voice = ("female", "male")[int(session.rng_autopilot.integers(2))]
            self.speaker = AutopilotVoice(self.vocabulary, clock=session.get_time,
                                          lang=params.lang, voice=voice)
        self.index = 0  # the session's trial_index of the current trial

    def microphone_check(self) -> None:
        """The level check, before the instructions (the autopilot reads the sentence)."""
        from attentionlab.experiments.microphone import microphone_check

        if self.params.mic_check_ms == 0:
            return
        say = (lambda sentence, _t: self.speaker.say_now(sentence)) if self.speaker else None
        self.session.note_sidecar("microphone_check", microphone_check(
            self.session, self.recorder, self.params.mic_check_ms,
            intro=self.text["mic_check"], on_start=say))

    def present(self, fixation, stims, screen, plan=None):
        """Fixation, the word until the deadline, the recording's tail (blank).

        ``plan(onset)`` runs right after the onset flip (the autopilot's
        answer). Returns ``(onset, recording, plan's result)``; nothing is
        processed here.
        """
        s, p = self.session, self.params
        self.index += 1
        s.keys.clear()
        self.recorder.start()
        try:
            s.show_frames(fixation, s.pacer.frames(p.fixation_ms), "fixation")
            onset = s.flip(stims, screen)
            planned = plan(onset) if plan is not None else None
            for _ in range(s.pacer.frames(p.deadline_ms) - 1):
                s.flip(stims)
                s.poll_keys()  # Escape still ends the session
            s.show_frames([], s.pacer.frames(VOICE_TAIL_MS))
        finally:
            recording = self.recorder.stop()
        return onset, recording, planned

    def hear(self, onset, recording) -> Outcome:
        """Save the recording, find the voice onset and the word: what was
        said, unscored. ``details``: ``recording_file``,
        ``recording_offset_ms``, ``voice_onset_ms`` (also past the deadline)
        and ``heard_colour`` (the colour recognised, '' for none). A voice
        onset within the word's deadline (whole frames, as shown) is the
        response: ``rt_ms`` and ``response`` (the colour) are set only then."""
        from attentionlab.experiments.microphone import save_trial_recording

        s, p = self.session, self.params
        name, offset_ms = save_trial_recording(s.files.csv_path, self.index, recording,
                                               self.recorder.rate, onset)
        details = {"recording_file": name, "recording_offset_ms": offset_ms,
                   "voice_onset_ms": None, "heard_colour": ""}
        outcome = Outcome(onset_s=s.onset_s(onset), details=details)
        samples, _ = recording
        if offset_ms is None or samples.size == 0:
            return outcome
        result = score_recording(samples, self.recorder.rate, stimulus_ms=offset_ms,
                                 vocabulary=list(self.vocabulary.values()),
                                 threshold_db=p.voice_threshold_db, decoder=self.decoder)
        colour = self._colour_of.get(result.word, "")
        details.update(voice_onset_ms=result.rt_ms, heard_colour=colour)
        deadline_ms = s.pacer.frames(p.deadline_ms) * s.pacer.period_s * 1000
        if result.rt_ms is not None and result.rt_ms <= deadline_ms:
            outcome.response, outcome.rt_ms = colour, result.rt_ms
        return outcome  # else no answer within the deadline: a miss

    def describe(self) -> dict:
        """Sidecar facts: the microphone, voice key and recogniser settings."""
        from importlib.metadata import version

        from attentionlab.speech.vocal_response import grammar

        facts = {"microphone": self.recorder.describe(),
                 "voice_key": {"threshold_db": self.params.voice_threshold_db,
                               "min_duration_ms": 40, "searched_from": "the word's onset",
                               "recording": f"fixation onset to deadline + {VOICE_TAIL_MS} ms"},
                 "recogniser": {"engine": f"pocketsphinx {version('pocketsphinx')}",
                                "model": "en-us (shipped with pocketsphinx)",
                                "grammar": grammar(list(self.vocabulary.values()))}}
        if self.speaker is not None:
            facts["autopilot_voice"] = self.speaker.describe()
        return facts
