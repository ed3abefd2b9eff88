"""Stroop presentation: fixation, the coloured word until a key or the
deadline, practice feedback, the key legend, the instructions. In vocal mode
(``response=voice``) the word is named aloud instead: see ``stroop_voice``.

Timing (DESIGN.md): durations become whole frames; the RT clock is reset in
``win.callOnFlip`` on the word's onset flip; nothing touches the disk
between that flip and the response (the session writes the row afterwards).
"""

import dataclasses
import random

from attentionlab.simulation.stroop import StroopPopulation
from attentionlab.stimuli import stroop as stroop_stimuli
from attentionlab.stimuli.stroop import StroopParams, StroopTrial, colour_to_key
from attentionlab.stimuli.stroop_words import INK_COLOURS, INK_RGB255, TEXT, VOICE_TEXT

FONT = "Noto Sans"  # ships inside PsychoPy, so accents render the same everywhere
FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70), "too_slow": (240, 200, 40)}
PHOTODIODE_HEIGHT = 0.06  # side of the photodiode square, fraction of screen height


class StroopPresenter:
    """Presents Stroop trials in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session):
        from psychopy import visual

        self.session = session
        self.params: StroopParams = session.params
        self.mapping = colour_to_key(self.params, session.options.participant)
        self.text_table = TEXT[self.params.lang]
        win = session.win
        self.fixation = visual.TextStim(win, "+", height=0.06, color="white", font=FONT)
        self.word = visual.TextStim(win, "", height=self.params.word_height, font=FONT,
                                    colorSpace="rgb255", bold=True)
        self.feedback = visual.TextStim(win, "", height=0.045, font=FONT, colorSpace="rgb255",
                                        wrapWidth=1.2)
        self._legend = self._make_legend(win)
        self.photodiode = _make_photodiode(win) if session.options.photodiode else None
        if session.options.autopilot:
            # One simulated participant, drawn from the population (defaults or --set).
            population = session.options.population or StroopPopulation()
            self.model = population.draw(session.rng_autopilot, self.params)
            session.autopilot_model = {"population": dataclasses.asdict(population),
                                       "participant": dataclasses.asdict(self.model)}
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
    def run_trial(self, trial: StroopTrial) -> dict:
        """Fixation, word until response or deadline; return the trial's record."""
        s, p = self.session, self.params
        show_legend = (trial.phase == "practice" or p.show_legend_in_test) and not self.voice
        legend = self._legend if show_legend else []
        self.word.text = trial.word
        self.word.color = INK_RGB255[trial.ink]
        stims = [self.word, *legend] + ([self.photodiode] if self.photodiode else [])
        plan = (lambda t: self._autopilot_respond(trial, t)) if s.autopilot is not None else None
        screen = f"{trial.phase}_{trial.congruency}"
        if self.voice is not None:
            onset, recording, planned = self.voice.present([self.fixation], stims, screen, plan)
            record = self.voice.score(trial, onset, recording)  # after the response window
            if s.autopilot is not None:
                s.autopilot.cancel_pending()
                record["_autopilot"] = self.voice.speaker.outcome(planned, onset)
            return record
        s.show_frames([self.fixation, *legend], s.pacer.frames(p.fixation_ms), "fixation")
        onset, response, planned = s.present_until_response(stims, p.keys, p.deadline_ms,
                                                            screen, plan)
        record = self._record(trial, onset, response)
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
            record["_autopilot"] = s.autopilot.outcome(planned, onset)
        return record

    def _record(self, trial, onset, response) -> dict:
        key_to_colour = {k: c for c, k in self.mapping.items()}
        record = {"onset_s": self.session.onset_s(onset), "response": "", "rt_ms": None,
                  "correct": 0, "response_colour": "", "response_mode": "keys"}
        if response is not None:
            name, rt = response
            record.update(response=name, rt_ms=rt * 1000.0,
                          correct=int(name == trial.correct_key),
                          response_colour=key_to_colour.get(name, ""))
        return record

    def _autopilot_respond(self, trial, onset):
        """Plan the simulated participant's press (vocal mode: the spoken colour
        name); return its clock time (or None)."""
        s = self.session
        colours, rts = self.model.respond([trial.congruency], [trial.ink], s.rng_autopilot)
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
    def show_feedback(self, record: dict) -> None:
        s = self.session
        legend = [] if self.voice is not None else self._legend
        if record["response"] == "" and record["rt_ms"] is not None:
            kind, msg = "wrong", self.text("not_understood")  # vocal mode: voice, no colour
        elif record["response"] == "":
            kind, msg = "too_slow", self.text("too_slow")
        elif record["correct"]:
            kind, msg = "correct", self.text("correct")
        else:
            ink_name = self.text_table["colour_names"][record["ink"]]
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
                font=FONT, colorSpace="rgb255", color=INK_RGB255[colour]))
        return stims


def _make_photodiode(win):
    from psychopy import visual

    aspect = win.size[0] / win.size[1]
    side = PHOTODIODE_HEIGHT
    # units='height': x runs from -aspect/2 to +aspect/2, y from -0.5 to 0.5.
    return visual.Rect(win, width=side, height=side, units="height",
                       pos=(-aspect / 2 + side / 2, -0.5 + side / 2),
                       fillColor="white", lineColor="white")


def prepare(params: StroopParams, participant: str, seed: int):
    """Practice and test trials (seeded), the presenter, the counterbalancing group."""
    from attentionlab.experiments.tasks import Prepared

    rng = random.Random(seed)
    extra = {"counterbalance_group": stroop_stimuli.counterbalance_index(participant, 4)}
    mapping = colour_to_key(params, participant)
    if params.response == "voice":
        from attentionlab.experiments.stroop_voice import check_ready

        check_ready(params)  # no microphone: a one-line error before the window opens
        mapping, extra = dict.fromkeys(INK_COLOURS, ""), {}  # no keys to map
    trials = {
        "practice": stroop_stimuli.make_trials(params, rng, phase="practice", mapping=mapping),
        "test": stroop_stimuli.make_trials(params, rng, phase="test", mapping=mapping),
    }
    return Prepared(trials, StroopPresenter, extra)
