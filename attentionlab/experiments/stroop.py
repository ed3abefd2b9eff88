"""Stroop presentation: fixation, the coloured word until a key or the
deadline, practice feedback, the key legend, the instructions. In vocal mode
(``response=voice``) the word is named aloud instead: see ``stroop_voice``.

Timing (docs/architecture.md): durations become whole frames; the RT clock is reset in
``win.callOnFlip`` on the word's onset flip; nothing touches the disk
between that flip and the response (the session writes the row afterwards).

``run_trial`` returns what happened (an :class:`Outcome`: the key, or in
vocal mode the recording and what was heard); the definition's
``stroop.score`` says what it means, for a person and a simulation alike.
"""

from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import stroop as stroop_stimuli
from attentionlab.stimuli.stroop import StroopParams, StroopTrial, colour_to_key
from attentionlab.stimuli.stroop_words import INK_RGB255, TEXT, VOICE_TEXT

FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70), "too_slow": (240, 200, 40)}


class StroopPresenter:
    """Presents Stroop trials in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session):
        from psychopy import visual

        self.session = session
        self.params: StroopParams = session.params
        self.mapping = colour_to_key(self.params, session.options.participant)
        self.text_table = TEXT[self.params.lang]
        win, font = session.win, session.font
        self.fixation = visual.TextStim(win, "+", height=0.06, color="white", font=font)
        # word_height_deg in 'deg' with a calibrated monitor, else word_height (docs/study.md).
        height, units = session.stim_size("word_height_deg")
        self.word = visual.TextStim(win, "", height=height, units=units, font=font,
                                    colorSpace="rgb255", bold=True)
        self.feedback = visual.TextStim(win, "", height=0.045, font=font, colorSpace="rgb255",
                                        wrapWidth=1.2)
        self._legend = self._make_legend(win)
        self.iti_ms = self.params.iti_ms
        self.voice = None
        if self.params.response == "voice":
            from attentionlab.experiments.stroop_voice import VOICE_TAIL_MS, VoiceResponses

            self.text_table = {**self.text_table, **VOICE_TEXT[self.params.lang]}
            self.voice = VoiceResponses(session, self.params, speak=session.autopilot is not None)
            # The recording's tail after the deadline is the start of the blank interval.
            self.iti_ms = max(0, self.params.iti_ms - VOICE_TAIL_MS)
            self.voice.microphone_check()

    # -- texts -------------------------------------------------------------
    def text(self, name: str, **fields) -> str:
        return self.text_table[name].format(**fields)

    def legend_text(self) -> str:
        names = self.text_table["colour_names"]
        return "\n".join(f"{key.upper()} = {names[colour]}"
                         for key, colour in self._keys_left_to_right())

    def intro_pages(self) -> list[str]:
        if self.voice is not None:
            return [self.text("welcome")]
        return [self.text("welcome", legend=self.legend_text())]

    def describe(self) -> dict:
        """Sidecar facts: the colour-to-key mapping and how it was chosen
        (vocal mode: the microphone, voice key and recogniser)."""
        if self.voice is not None:
            return {"response_mode": "voice", **self.voice.describe()}
        rule = ("explicit (key_mapping parameter)" if self.params.key_mapping != "auto" else
                "auto: digits of the participant label (CRC-32 if none) modulo 4 rotate "
                "red,green,blue,yellow across the keys")
        return {"response_mode": "keys",
                "key_mapping": {"colour_to_key": self.mapping, "rule": rule}}

    # -- trials ------------------------------------------------------------
    def run_trial(self, trial: StroopTrial) -> Outcome:
        """Fixation, word until response or deadline (vocal mode: until the
        deadline, recorded); return what happened, unscored."""
        s, p = self.session, self.params
        show_legend = (trial.phase == "practice" or p.show_legend_in_test) and not self.voice
        legend = self._legend if show_legend else []
        self.word.text = trial.word
        self.word.color = INK_RGB255[trial.ink]
        stims = [self.word, *legend] + ([s.photodiode] if s.photodiode else [])
        plan = (lambda t: self._autopilot_respond(trial, t)) if s.autopilot is not None else None
        screen = f"{trial.phase}_{trial.congruency}"
        if self.voice is not None:
            onset, recording, planned = self.voice.present([self.fixation], stims, screen, plan)
            outcome = self.voice.hear(onset, recording)  # after the response window
            if s.autopilot is not None:
                s.autopilot.cancel_pending()
                outcome.autopilot = self.voice.speaker.outcome(planned, onset)
            return outcome
        s.show_frames([self.fixation, *legend], s.pacer.frames(p.fixation_ms), "fixation")
        onset, response, planned = s.present_until_response(stims, p.keys, p.deadline_ms,
                                                            screen, plan)
        outcome = Outcome(onset_s=s.onset_s(onset))
        if response is not None:
            name, rt = response
            outcome.response, outcome.rt_ms = name, rt * 1000.0
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
            outcome.autopilot = s.autopilot.outcome(planned, onset)
        return outcome

    def _autopilot_respond(self, trial, onset):
        """Plan the simulated participant's press (vocal mode: the spoken colour
        name); return its clock time (or None)."""
        s = self.session
        colours, rts = s.participant_model.respond([trial.congruency], [trial.ink],
                                                   s.rng_autopilot)
        colour, rt_ms = colours[0], float(rts[0])
        if not colour:
            return None
        when = onset + rt_ms / 1000.0
        if self.voice is not None:
            self.voice.speaker.say_at(colour, when)
        else:
            s.autopilot.press_at(self.mapping[colour], when)
        return when

    # -- feedback and legend -------------------------------------------------
    def show_feedback(self, row: dict) -> None:
        """Practice feedback from the trial's data row (scored by the definition)."""
        s = self.session
        legend = [] if self.voice is not None else self._legend
        if row["response"] == "" and row["rt_ms"] is not None:
            kind, msg = "wrong", self.text("not_understood")  # vocal mode: voice, no colour
        elif row["response"] == "":
            kind, msg = "too_slow", self.text("too_slow")
        elif row["correct"]:
            kind, msg = "correct", self.text("correct")
        else:
            ink_name = self.text_table["colour_names"][row["ink"]]
            kind, msg = "wrong", self.text("wrong", ink=ink_name.upper())
        self.feedback.text = msg
        self.feedback.color = FEEDBACK_RGB255[kind]
        s.show_frames([self.feedback, *legend], s.pacer.frames(self.params.feedback_ms),
                      f"feedback_{kind}")

    def _keys_left_to_right(self):
        key_to_colour = {k: c for c, k in self.mapping.items()}
        return [(k, key_to_colour[k]) for k in self.params.keys]

    def _make_legend(self, win):
        from psychopy import visual

        names = self.text_table["colour_names"]
        stims = []
        pairs = self._keys_left_to_right()
        spacing = 0.3
        for i, (key, colour) in enumerate(pairs):
            x = (i - (len(pairs) - 1) / 2) * spacing
            stims.append(visual.TextStim(
                win, f"{key.upper()}: {names[colour]}", pos=(x, -0.4), height=0.04,
                font=self.session.font, colorSpace="rgb255", color=INK_RGB255[colour]))
        return stims


def prepare(params: StroopParams, participant: str, seed: int, group: int | None = None):
    """The definition's plan and sidecar facts (``stroop.make_plan``,
    ``stroop.plan_facts``) and the presenter; vocal mode first checks the
    microphone and the recogniser."""
    from attentionlab.experiments.tasks import Prepared

    if params.response == "voice":
        from attentionlab.experiments.stroop_voice import check_ready

        check_ready(params)  # no microphone: a one-line error before the window opens
    return Prepared(stroop_stimuli.make_plan(params, participant, seed, group), StroopPresenter,
                    stroop_stimuli.plan_facts(params, participant, group))
