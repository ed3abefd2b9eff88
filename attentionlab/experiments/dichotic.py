"""Dichotic-listening presentation: cue, two messages (one per ear), the
question about the other ear, the recognition test.

Flow of a message (each screen is one row of the data file): the cue names
the ear to shadow (space starts); the two messages play with the ear shown on
screen; "anything unusual in the other ear?" is answered by clicking one of
six answers; then each test word gets a yes/no key press. The first name
(for the name manipulation) is typed before the data file is opened, and the
headphone check runs before the first message (``dichotic_checks``).

Sound goes through :class:`~attentionlab.experiments.audio.StereoPlayer`
(two channels at the device's rate), scheduled ``AUDIO_LEAD_MS`` after the
onset flip; the driver's report of when the first sample reached the output
is stored as ``audio_onset_s``.

The microphone (``microphone.Recorder``) records each message from just
before its onset to ``record_tail_ms`` after its end; the WAV goes next to
the data file (``..._rec-<trial_index>.wav``, never overwritten) and the
message's position in it (``recording_offset_ms``) into the outcome. A
microphone check (``microphone.microphone_check``) runs before the first
message, after the headphone check.

``run_trial`` returns an :class:`~attentionlab.core.outcome.Outcome`: the
answer clicked or the key pressed, and for a message what playback and the
microphone measured (``details``); ``stimuli.dichotic.score`` says what an
answer means. With ``--photodiode`` the session's white square is drawn from
a message's onset flip to the end of its recording, and on a recognition
word until the key press.
"""

import functools

from attentionlab.core.outcome import Outcome
from attentionlab.experiments import dichotic_checks
from attentionlab.stimuli import dichotic as dichotic_stimuli
from attentionlab.stimuli.dichotic import REPORTS, DichoticItem, DichoticParams

CUE_LEAD_MS = 600  # the ear marker alone before the onset flip
# The sound is scheduled this long after the onset flip, to the sample: more
# than the output buffer (100 ms) plus a callback period, so it is never late.
AUDIO_LEAD_MS = 200
ARROW = {"left": "\u25c0  LEFT ear", "right": "RIGHT ear  \u25b6"}

REPORT_LABELS = {
    "voice": "The voice changed (man / woman)",
    "language": "It changed to another language",
    "reversed": "The speech was played backwards",
    "tone": "A tone (a steady beep)",
    "name": "I heard my own name",
    "nothing": "Nothing unusual",
}

TEXT = {
    "welcome": (
        "Dichotic listening\n\n"
        "You will hear two spoken messages at the same time through headphones, one in "
        "each ear. Before each message the screen tells you which ear to follow.\n\n"
        "Repeat aloud what the voice in that ear says, word for word, as you hear it: "
        "this is called shadowing. Keep going even if you miss a few words. Ignore the "
        "other ear.\n\n"
        "After each message you answer a few short questions.\n\n"
        "Press space to continue."),
    "practice": "First, one short practice message.\n\nPress space to continue.",
    "test": ("Now the real messages. Each lasts about a minute.\n\n"
             "Press space to continue."),
    "break": ("Message {block} of {n_blocks} done. Rest a moment if you like.\n\n"
              "Press space when you are ready for the next message."),
    "thanks": "That is all. Thank you!\n\nPress space to finish.",
    "cue": ("Next message: shadow your {ear_upper} ear.\n\nRepeat aloud what you hear in "
            "your {ear} ear, and ignore the other ear.\n\nPress space to start."),
    "shadow": "Shadow the {ear} ear",
    "question": ("Was there anything unusual in the OTHER ear\n"
                 "(the one you were NOT shadowing)?\n\nClick one answer."),
    "recognition": "Did you hear this word in the last message, in either ear?",
    "keys": "{yes} = yes, I heard it          {no} = no",
}


class DichoticPresenter:
    """Presents dichotic messages in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session, stimset=None, needs_name=False):
        from psychopy import visual

        from attentionlab.experiments.audio import StereoPlayer
        from attentionlab.stimuli.dichotic_sound import MessageSounds

        self.session = session
        self.params: DichoticParams = session.params
        self.stimset = stimset
        self.iti_ms = self.params.iti_ms
        self.model = session.participant_model  # the autopilot's participant, or None
        self.player = StereoPlayer(self.params.audio_device, clock=session.get_time)
        self.sounds = MessageSounds(stimset, self.player.rate)
        win, font = session.win, session.font
        self.ear_label = visual.TextStim(win, "", height=0.09, color="white", font=font,
                                         bold=True)
        self.ear_hint = visual.TextStim(win, "", pos=(0, -0.15), height=0.035,
                                        color=(0.7, 0.7, 0.7), font=font)
        self.fixation = visual.TextStim(win, "+", height=0.06, color="white", font=font)
        self.question = visual.TextStim(win, TEXT["question"], pos=(0, 0.3), height=0.038,
                                        wrapWidth=1.2, color="white", font=font)
        self.buttons = self._make_buttons(win)
        self.word = visual.TextStim(win, "", height=0.1, color="white", font=font, bold=True)
        self.recognition_prompt = visual.TextStim(win, TEXT["recognition"], pos=(0, 0.25),
                                                  height=0.038, wrapWidth=1.2, color="white",
                                                  font=font)
        yes, no = self.params.yes_no_keys
        self.keys_hint = visual.TextStim(win, TEXT["keys"].format(yes=yes.upper(),
                                                                  no=no.upper()),
                                         pos=(0, -0.25), height=0.038, color="white",
                                         font=font)
        self.diode = [session.photodiode] if session.photodiode is not None else []
        self._checked = False
        self._index = 0  # the session's trial_index of the current trial
        self.recorder = None
        if self.params.record_voice:
            from attentionlab.experiments.microphone import Recorder

            self.recorder = Recorder(self.params.input_device, clock=session.get_time)
        # Typed before the data file exists; kept only as sound, in memory.
        self.name_sound = (dichotic_checks.ask_name(session, self.params.voice,
                                                    self.player.rate)
                           if needs_name else None)

    # -- texts -------------------------------------------------------------
    def text(self, name: str, **fields) -> str:
        return TEXT[name].format(**fields)

    def intro_pages(self) -> list[str]:
        return [self.text("welcome")]

    def describe(self) -> dict:
        """Sidecar facts: the audio output, the stimulus set, the ear rule."""
        audio = self.player.describe()
        audio["stimulus_files_rate_hz"] = sorted({
            _file_rate(r.file) for r in self.stimset.recordings if r.file is not None})
        return {
            "audio": audio,
            "stimulus_set": {"passage_set": self.params.passage_set,
                             "folder": str(self.stimset.folder),
                             "manifest_sha256": self.stimset.manifest_sha256()},
            "attended_ear_rule": {
                "rule": self.params.attended_ear,
                "first_ear": dichotic_stimuli.first_ear(self.session.options.participant),
                "counterbalancing": "digits of the participant label (CRC-32 if none) "
                                    "modulo 2: even -> left first, odd -> right first"},
            "name_entered": self.name_sound is not None,
            "microphone": (self.recorder.describe() if self.recorder is not None
                           else {"used": False}),
        }

    # -- trials ------------------------------------------------------------
    def run_trial(self, item: DichoticItem) -> Outcome:
        self._index += 1
        if not self._checked:
            self._headphone_check()
            self._microphone_check()
        if item.item == "message":
            return self._message(item)
        if item.item == "detection":
            return self._detection(item)
        return self._recognition(item)

    def show_feedback(self, row: dict) -> None:
        """No feedback: practice only makes the procedure familiar."""

    def _headphone_check(self):
        s, p = self.session, self.params
        self._checked = True
        if p.headphone_checks == 0:
            return
        result = dichotic_checks.headphone_check(s, self.player, p.headphone_checks,
                                                 p.headphone_max_errors, self.model)
        s.note_sidecar("headphone_check", {k: v for k, v in result.items() if k != "message"})
        if not result["passed"]:
            print(f"Headphone check failed: {result['wrong']} of {result['sounds']} wrong.",
                  flush=True)
            s.abort_reason = result["message"]
            s.check_abort()

    def _microphone_check(self):
        from attentionlab.experiments.microphone import microphone_check

        if self.recorder is None or self.params.mic_check_ms == 0:
            return
        self.session.note_sidecar("microphone_check", microphone_check(
            self.session, self.recorder, self.params.mic_check_ms))

    def _message(self, item):
        s, p = self.session, self.params
        message = self.sounds.message(item, p, self.name_sound)
        ear = item.attended_ear
        s.show_text(self.text("cue", ear=ear, ear_upper=ear.upper()), screen="cue")
        self.ear_label.text = ARROW[ear]
        self.ear_hint.text = self.text("shadow", ear=ear)
        stims = [self.ear_label, self.ear_hint]
        s.show_frames(stims, s.pacer.frames(CUE_LEAD_MS), "shadow_lead")
        stims = stims + self.diode  # from the onset flip on
        s.keys.clear()
        recording = None
        try:
            if self.recorder is not None:
                self.recorder.start()  # the sound starts AUDIO_LEAD_MS later: all of it is in
            onset = s.flip(stims, screen=f"{item.phase}_message_{ear}")
            self.player.play(message.stereo, when=onset + AUDIO_LEAD_MS / 1000)
            while self.player.busy:
                s.flip(stims)
                s.poll_keys()  # Escape still ends the session
            if self.recorder is not None:
                s.show_frames(stims, s.pacer.frames(p.record_tail_ms))
        finally:
            self.player.stop()
            if self.recorder is not None:
                recording = self.recorder.stop()
        s.flip([])
        self._note_underflows()
        audio_onset = self.player.onset
        mix = message.mix
        rec_file, rec_offset = self._save_recording(recording, audio_onset)
        return Outcome(s.onset_s(onset), details={
            "recording_file": rec_file, "recording_offset_ms": rec_offset,
            "message_duration_ms": message.duration_ms,
            "change_onset_ms": mix.change_onset_ms,
            "change_duration_ms": mix.change_duration_ms,
            "repetitions_played": mix.repetitions_played() if item.repeated_words else 0,
            "audio_onset_s": None if audio_onset is None else s.onset_s(audio_onset)})

    def _detection(self, item):
        s = self.session
        stims = [self.question] + [st for b in self.buttons.values() for st in b[1:]]
        onset = s.flip(stims, screen=f"{item.phase}_detection")
        planned = None
        if self.model is not None:
            answer, rt_ms = self.model.report(item.manipulation, s.rng_autopilot)
            planned = onset + rt_ms / 1000
            x, y = s.screen_point(self.buttons[answer][0])
            s.autopilot.click_at(x, y, planned)
        chosen = None
        while chosen is None:
            pos = s.wait_click(stims)
            chosen = next((name for name, (centre, rect, _) in self.buttons.items()
                           if rect.contains(pos)), None)
        rt_ms = (s.get_time() - onset) * 1000
        s.flip([])
        out = Outcome(s.onset_s(onset), chosen, rt_ms)
        if self.model is not None:
            s.autopilot.cancel_pending()
            out.autopilot = s.autopilot.outcome(planned, onset)
        return out

    def _recognition(self, item):
        s = self.session
        yes, no = self.params.yes_no_keys
        self.word.text = item.word
        stims = [self.recognition_prompt, self.word, self.keys_hint, *self.diode]
        s.keys.clear()
        s.win.callOnFlip(s.keys.reset_clock)
        onset = s.flip(stims, screen=f"{item.phase}_recognition")
        planned = None
        if self.model is not None:
            said_old, rt_ms = self.model.recognise(item.word_type, s.rng_autopilot)
            planned = onset + rt_ms / 1000
            s.autopilot.press_at(yes if said_old else no, planned)
        answer = None
        while answer is None:
            answer = next(((k, rt) for k, rt in s.poll_keys() if k in (yes, no) and rt >= 0),
                          None)
            if answer is None:
                s.flip(stims)
        s.flip([])
        key, rt = answer
        out = Outcome(s.onset_s(onset), key, rt * 1000)
        if self.model is not None:
            s.autopilot.cancel_pending()
            out.autopilot = s.autopilot.outcome(planned, onset)
        return out

    # -- helpers -------------------------------------------------------------
    def _make_buttons(self, win):
        """name -> (centre, rect, label): two columns of three answers."""
        from psychopy import visual

        buttons = {}
        for i, name in enumerate(REPORTS):
            col, row = i % 2, i // 2
            centre = (-0.31 + col * 0.62, 0.05 - row * 0.14)
            rect = visual.Rect(win, width=0.58, height=0.11, pos=centre, lineColor="white",
                               fillColor=(-0.6, -0.6, -0.6), lineWidth=2)
            label = visual.TextStim(win, REPORT_LABELS[name], pos=centre, height=0.032,
                                    wrapWidth=0.54, color="white", font=self.session.font)
            buttons[name] = (centre, rect, label)
        return buttons

    def _save_recording(self, recording, audio_onset):
        """WAV next to the data file; (its name, the message's offset in it, ms)."""
        from attentionlab.experiments.microphone import save_trial_recording

        rate = self.recorder.rate if self.recorder is not None else 0
        return save_trial_recording(self.session.files.csv_path, self._index, recording,
                                    rate, audio_onset)

    def _note_underflows(self):
        self.session.note_sidecar("audio", {
            "output_underflows": self.player.underflows,
            "output_underflow_times_s": [round(self.session.onset_s(t), 3)
                                         for t in self.player.underflow_times]})


def _file_rate(path):
    import soundfile

    return int(soundfile.info(str(path)).samplerate)


def prepare(params: DichoticParams, participant: str, seed: int, group: int | None = None):
    """Trial lists (seeded), the stimulus set (built on first use), the presenter."""
    import sys

    from attentionlab.experiments.tasks import Prepared
    from attentionlab.stimuli import dichotic_set
    from attentionlab.stimuli.dichotic_sound import check_messages

    if params.passage_set in dichotic_set.BUILTIN_SETS and not (
            dichotic_set.builtin_folder(params.passage_set) / dichotic_set.MANIFEST).exists():
        print(f"Building the {params.passage_set!r} dichotic stimuli once (espeak-ng) into "
              f"{dichotic_set.builtin_folder(params.passage_set)} ...", file=sys.stderr,
              flush=True)
        dichotic_set.build(params.passage_set)
    stimset = dichotic_set.read_set(params.passage_set)
    trials = dichotic_stimuli.make_plan(params, participant, seed, group)
    check_messages(stimset, trials["practice"] + trials["test"], params)
    needs_name = any(i.manipulation == "name" for i in trials["practice"] + trials["test"])
    factory = functools.partial(DichoticPresenter, stimset=stimset, needs_name=needs_name)
    return Prepared(trials, factory, dichotic_stimuli.plan_facts(params, participant, group))
