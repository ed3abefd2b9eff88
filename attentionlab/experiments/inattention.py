"""Inattention presentation: fixation, the cross flashed for whole frames
(with the unexpected object on the phase's last trial), a pattern mask,
then the questions (which arm was longer; did you see anything else; which
of these shapes), and the instructions between the phases.

Timing: the cross and the object appear on the same flip and stay for
``frames(cross_ms)`` frames (with ``--photodiode``, the session's white
square on those frames); the mask follows on the next frame. The RT clock of
each question is reset on the flip that shows the question.

``run_trial`` returns the raw answers (the keys pressed, the shape clicked)
in an :class:`~attentionlab.core.outcome.Outcome`; what they mean is
``stimuli.inattention.score``.
"""

import numpy as np

from attentionlab.core.outcome import Outcome
from attentionlab.simulation.inattention import raw_answers
from attentionlab.stimuli import inattention as inattention_stimuli
from attentionlab.stimuli.inattention import (ATTENTION, InattentionParams,
                                              InattentionTrial, shape_vertices)
# The words live in stimuli/inattention_text.py (one copy for the desktop and the browser).
from attentionlab.stimuli.inattention_text import TEXTS

TEXT_HEIGHT = 0.035
ROW_SPACING = 0.17  # distance between shapes of the recognition display


class InattentionPresenter:
    """Presents inattention trials in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session):
        from psychopy import visual

        self.session = session
        self.params: InattentionParams = session.params
        p, win = self.params, session.win
        self.fixation = visual.TextStim(win, "+", height=0.03, color="white",
                                        font=session.font)
        long_, short = p.cross_size, p.cross_size * (1 - p.arm_difference)
        thick = max(0.004, p.cross_size * 0.02)
        self.arms = {
            "horizontal": (visual.Rect(win, width=long_, height=thick, fillColor="white",
                                       lineColor=None),
                           visual.Rect(win, width=thick, height=short, fillColor="white",
                                       lineColor=None)),
            "vertical": (visual.Rect(win, width=short, height=thick, fillColor="white",
                                     lineColor=None),
                         visual.Rect(win, width=thick, height=long_, fillColor="white",
                                     lineColor=None)),
        }
        self.mask = self._make_mask(win)
        self.question = visual.TextStim(win, "", height=TEXT_HEIGHT, color="white",
                                        font=session.font, wrapWidth=1.2)
        self.model = session.participant_model  # the autopilot's participant, or None
        self.iti_ms = p.iti_ms

    def _make_mask(self, win):
        """A random black-and-white block pattern over the whole region where
        the cross and the object can appear (seeded: the same in every session)."""
        from psychopy import visual

        p = self.params
        side = min(1.0, 2 * p.offset + 1.2 * p.cross_size)
        blocks = np.random.default_rng(7).integers(0, 2, (24, 24)) * 2.0 - 1.0
        return visual.ImageStim(win, image=blocks, size=(side, side), units="height",
                                interpolate=False)

    def _object(self, trial, pos=None, size=None):
        from psychopy import visual

        p = self.params
        size = size or p.object_size
        pos = pos if pos is not None else (trial.object_x, trial.object_y)
        vertices = shape_vertices(trial if isinstance(trial, str) else trial.object_shape,
                                  size)
        if vertices is None:
            return visual.Circle(self.session.win, radius=size / 2, pos=pos,
                                 fillColor=p.object_colour, lineColor=None)
        return visual.ShapeStim(self.session.win, vertices=vertices, pos=pos,
                                fillColor=p.object_colour, lineColor=None)

    # -- texts -------------------------------------------------------------
    def _keys(self):
        p = self.params
        return {"h": p.arm_keys[0].upper(), "v": p.arm_keys[1].upper(),
                "y": p.yes_no_keys[0].upper(), "n": p.yes_no_keys[1].upper()}

    def text(self, name: str, **fields) -> str:
        if name == "break":
            name = f"break_{fields.get('block')}" if f"break_{fields.get('block')}" in TEXTS \
                else "break"
        return TEXTS[name].format(**self._keys())

    def intro_pages(self) -> list[str]:
        return [self.text("welcome")]

    def describe(self) -> dict:
        s, p = self.session, self.params
        return {"inattention": {
            "phases": list(ATTENTION),
            "cross_frames": s.pacer.frames(p.cross_ms),
            "cross_ms_shown": round(s.pacer.frames(p.cross_ms) * s.pacer.period_s * 1000, 3),
            "mask_frames": s.pacer.frames(p.mask_ms),
            "objects": list(inattention_stimuli.object_shapes(
                inattention_stimuli.counterbalance_group(s.options.participant))),
        }}

    # -- trials ------------------------------------------------------------
    def run_trial(self, trial: InattentionTrial) -> Outcome:
        s, p = self.session, self.params
        answers = self.model.answer(trial, s.rng_autopilot) if self.model else None
        s.show_frames([self.fixation], s.pacer.frames(p.fixation_ms), "fixation")
        horizontal, vertical = self.arms[trial.longer_arm]
        for arm in (horizontal, vertical):
            arm.pos = (trial.cross_x, trial.cross_y)
        display = [horizontal, vertical]
        if trial.critical:
            display.append(self._object(trial))
        if s.photodiode is not None:
            display.append(s.photodiode)
        kind = "critical" if trial.critical else "cross"
        onset = s.flip(display, f"{trial.attention}_{kind}")
        s.show_frames(display, s.pacer.frames(p.cross_ms) - 1)
        s.show_frames([self.mask], s.pacer.frames(p.mask_ms), "mask")
        s.flip([])

        keys = self._keys()
        # The autopilot's answers as the keys and the shape it will give.
        planned = raw_answers(p, trial, answers) if answers else None
        out = Outcome(s.onset_s(onset), details={
            "arm_key": "", "notice_key": "", "notice_rt_ms": None,
            "recognition_choice": "", "recognition_rt_ms": None})
        if trial.attention != "full":
            out.response, out.rt_ms = self._ask(
                TEXTS["arm"].format(**keys), p.arm_keys, "arm_question",
                planned and planned.details["arm_key"], answers and answers["arm_rt_ms"])
            out.details["arm_key"] = out.response
        if trial.critical or trial.attention == "full":
            text = TEXTS["notice_critical" if trial.attention != "full" else "notice_full"]
            name, rt = self._ask(text.format(**keys), p.yes_no_keys,
                                 f"notice_{trial.attention}",
                                 planned and planned.details["notice_key"],
                                 answers and answers["notice_rt_ms"])
            out.details.update(notice_key=name, notice_rt_ms=rt)
            if trial.attention == "full":
                out.response, out.rt_ms = name, rt
        if trial.critical:
            choice, rt = self._recognition(trial, answers)
            out.details.update(recognition_choice=choice, recognition_rt_ms=rt)
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
            out.autopilot = {"planned": {k: v for k, v in (answers or {}).items()
                                         if not k.endswith("_ms")}}
        return out

    def _ask(self, text, keys, screen, autopilot_key=None, autopilot_ms=None):
        """Show a question until one of ``keys``; return (key, rt_ms)."""
        s = self.session
        self.question.text = text
        plan = None
        if s.autopilot is not None and autopilot_key:
            plan = lambda shown: s.autopilot.press_at(  # noqa: E731
                autopilot_key, shown + autopilot_ms / 1000.0)
        _, (name, rt), _ = s.present_until_response([self.question], keys, None, screen, plan)
        return name, rt * 1000.0

    def _recognition(self, trial, answers):
        """The candidate shapes in a row; the click picks the nearest one."""
        from psychopy import visual

        s, p = self.session, self.params
        options = trial.recognition_options
        xs = [(i - (len(options) - 1) / 2) * ROW_SPACING for i in range(len(options))]
        shapes = [self._object(name, pos=(x, 0.0), size=max(p.object_size, 0.06))
                  for name, x in zip(options, xs)]
        prompt = visual.TextStim(s.win, TEXTS["recognition"], height=TEXT_HEIGHT,
                                 color="white", font=s.font, pos=(0, 0.2), wrapWidth=1.2)
        stims = [prompt, *shapes]
        if s.autopilot is not None and answers:
            x = xs[options.index(answers["choice"])]
            px = s.screen_point((x, 0.0))
            s.autopilot.click_at(px[0], px[1], s.get_time() + answers["recognition_ms"] / 1000)
        shown = s.flip(stims, f"recognition_{trial.attention}")
        pos = s.wait_click(stims, p.click_timeout_ms / 1000.0)
        s.flip([])
        if pos is None:
            return "", None
        rt = (s.get_time() - shown) * 1000.0
        nearest = int(np.argmin([abs(pos[0] - x) for x in xs]))
        return options[nearest], rt

    def show_feedback(self, row: dict) -> None:
        """No practice in this task (the first object must be unexpected)."""


def prepare(params: InattentionParams, participant: str, seed: int, group: int | None = None):
    """The three phases' trials (``make_plan``) and the presenter."""
    from attentionlab.experiments.tasks import Prepared

    return Prepared(inattention_stimuli.make_plan(params, participant, seed, group),
                    InattentionPresenter,
                    inattention_stimuli.plan_facts(params, participant, group))
