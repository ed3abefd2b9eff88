"""Posner cueing presentation: two boxes, a cue, a dot; one key on seeing it.

Each trial: the cross between two empty boxes (``foreperiod_ms`` of the
plan), the cue for ``cue_ms`` (a central arrow, or one box brightening; both
for neutral), the cross and boxes until the SOA has passed, then the dot in
one box until a press or the deadline (catch trials: the same screen without
the dot, for as long). The RT clock starts on the dot's onset flip (catch
trials: the flip on which it would have come); durations are whole frames.
Presses before that flip are not counted (the analysis removes RTs under
200 ms as anticipations).
"""

from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import posner, posner_text
from attentionlab.stimuli.posner import PosnerParams, PosnerTrial
# The words live in stimuli/posner_text.py (one copy for the desktop and the browser).
from attentionlab.stimuli.posner_text import CUE_WORDS, TEXT  # noqa: F401 (re-exported)

BOX_GREY = (0.0, 0.0, 0.0)        # PsychoPy rgb (-1..1): mid grey on black
BOX_LINE_PX = 3
CUED_LINE_PX = 8                  # the brightened box: white and thicker
ARROW_WIDTH = 0.007 / 0.09        # half thickness of the arrow's shaft, per arrow length
ARROW_HEAD = 0.02 / 0.09          # length (and half width) of an arrow head, per arrow length
FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70),
                   "too_slow": (240, 200, 40)}


class PosnerPresenter:
    """Presents Posner cueing trials in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session):
        from psychopy import visual

        self.session = session
        self.params: PosnerParams = session.params
        p, win = self.params, session.win
        self.block_types = posner.block_cue_types(p, session.options.participant)
        self.iti_ms = p.iti_ms
        self.model = session.participant_model  # None without --autopilot
        font = session.font
        self.fixation = visual.TextStim(win, "+", height=0.05, color="white", font=font)
        # The *_deg sizes in 'deg' with a calibrated monitor, else the screen-unit
        # ones in 'height' (all four switch together: docs/study.md).
        offset, units = session.stim_size("box_offset_deg")
        box_size = session.stim_size("box_size_deg")[0]
        target_size = session.stim_size("target_size_deg")[0]
        arrow_length = session.stim_size("arrow_length_deg")[0]
        self.boxes = {side: visual.Rect(win, width=box_size, height=box_size, units=units,
                                        pos=(x * offset, 0), lineColor=BOX_GREY,
                                        fillColor=None, lineWidth=BOX_LINE_PX)
                      for side, x in (("left", -1), ("right", 1))}
        self.cued_boxes = {side: visual.Rect(win, width=box_size, height=box_size,
                                             units=units, pos=box.pos, lineColor="white",
                                             fillColor=None, lineWidth=CUED_LINE_PX)
                           for side, box in self.boxes.items()}
        self.dots = {side: visual.Circle(win, radius=target_size / 2, pos=box.pos,
                                         units=units, fillColor="white", lineColor="white",
                                         edges=48)
                     for side, box in self.boxes.items()}
        self.arrows = {cue: visual.ShapeStim(win, vertices=_arrow(cue, arrow_length),
                                             units=units, fillColor="white",
                                             lineColor="white", closeShape=True)
                       for cue in ("left", "right", "neutral")}
        self.feedback = visual.TextStim(win, "", height=0.045, font=font, colorSpace="rgb255",
                                        wrapWidth=1.2, pos=(0, 0.15))

    # -- texts -------------------------------------------------------------
    def text(self, name: str, **fields) -> str:
        return posner_text.screen_text(self.params, self.block_types, name, **fields)

    def cue_words(self, cue_type: str) -> str:
        """What the cue of ``cue_type`` looks like, in the participant's words."""
        return posner_text.cue_words(self.params, cue_type)

    def intro_pages(self) -> list[str]:
        return [posner_text.welcome(self.params, self.block_types)]

    def describe(self) -> dict:
        """Sidecar facts: the response key and what each cue looks like."""
        return {"response_key": self.params.key,
                "cues": {"endogenous": "central arrow (double arrow: neutral) replacing "
                                       "the cross for cue_ms",
                         "exogenous": "box outline white and thicker for cue_ms (both "
                                      "boxes: neutral)"}}

    # -- trials ------------------------------------------------------------
    def run_trial(self, trial: PosnerTrial) -> Outcome:
        """Fixation, cue, cue-target interval, dot (or none) until a press or
        the deadline; the outcome, unscored."""
        s, p = self.session, self.params
        frames = s.pacer.frames
        boxes = list(self.boxes.values())
        s.show_frames([self.fixation, *boxes], frames(trial.foreperiod_ms), "fixation")
        n_cue = frames(p.cue_ms)
        s.show_frames(self._cue_stims(trial), n_cue, f"cue_{trial.cue_type}_{trial.cue}")
        s.show_frames([self.fixation, *boxes], max(0, frames(trial.soa_ms) - n_cue),
                      "cue_target_interval")
        stims = [self.fixation, *boxes]
        if not trial.catch:
            stims.append(self.dots[trial.target_side])
        if s.photodiode is not None:
            stims.append(s.photodiode)
        plan = (lambda t: self._autopilot_respond(trial, t)) if s.autopilot else None
        onset, response, planned = s.present_until_response(
            stims, [p.key], p.deadline_ms, f"{trial.phase}_{trial.validity}", plan)
        outcome = Outcome(onset_s=s.onset_s(onset))
        if response is not None:
            name, rt = response
            outcome.response, outcome.rt_ms = name, rt * 1000.0
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
            outcome.autopilot = s.autopilot.outcome(planned, onset)
        return outcome

    def _cue_stims(self, trial) -> list:
        boxes = dict(self.boxes)
        if trial.cue_type == "endogenous":
            return [self.arrows[trial.cue], *boxes.values()]
        for side in (("left", "right") if trial.cue == "neutral" else (trial.cue,)):
            boxes[side] = self.cued_boxes[side]
        return [self.fixation, *boxes.values()]

    def _autopilot_respond(self, trial, onset):
        """Plan the simulated participant's press; return its clock time (or None)."""
        s = self.session
        pressed, rts = self.model.respond([trial.cue_type], [trial.validity], [trial.soa_ms],
                                          s.rng_autopilot)
        if not pressed[0]:
            return None
        when = onset + float(rts[0]) / 1000.0
        s.autopilot.press_at(self.params.key, when)
        return when

    # -- feedback ------------------------------------------------------------
    def show_feedback(self, row: dict) -> None:
        s, key = self.session, self.params.key.upper()
        if row["validity"] == "catch":
            kind = "correct" if row["correct"] else "wrong"
            msg = TEXT["catch_ok" if row["correct"] else "catch_pressed"]
        elif row["correct"]:
            kind, msg = "correct", TEXT["correct"].format(rt=row["rt_ms"])
        else:
            kind, msg = "too_slow", TEXT["too_slow"].format(key=key)
        self.feedback.text = msg
        self.feedback.color = FEEDBACK_RGB255[kind]
        s.show_frames([self.feedback, self.fixation, *self.boxes.values()],
                      s.pacer.frames(self.params.feedback_ms), f"feedback_{kind}")


def _arrow(cue: str, length: float) -> list:
    """Vertices of the central arrow ``length`` long (in the stimulus's units):
    pointing left or right, or a double arrow for the neutral cue."""
    h, w, head = length / 2, length * ARROW_WIDTH, length * ARROW_HEAD
    if cue == "neutral":
        return [(-h, 0), (-h + head, head), (-h + head, w), (h - head, w), (h - head, head),
                (h, 0), (h - head, -head), (h - head, -w), (-h + head, -w),
                (-h + head, -head)]
    right = [(-h, w), (h - head, w), (h - head, head), (h, 0), (h - head, -head),
             (h - head, -w), (-h, -w)]
    return right if cue == "right" else [(-x, y) for x, y in right]


def prepare(params: PosnerParams, participant: str, seed: int, group: int | None = None):
    """The plan (seeded), the presenter, the counterbalancing facts."""
    from attentionlab.experiments.tasks import Prepared

    return Prepared(posner.make_plan(params, participant, seed, group), PosnerPresenter,
                    posner.plan_facts(params, participant, group))
