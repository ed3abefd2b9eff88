"""Flicker presentation: A, blank, A', blank, ... in whole frames until a key
or the timeout, then a click on where the change was.

Timing (docs/architecture.md): every phase is a whole number of frames
(``session.pacer.frames``); the loop flips exactly once per frame and counts
the frames of each phase, and the flip times measure each phase's real
duration, so a row says how many frames each image and blank got and
whether any phase came out longer or shorter than planned. The blank is
drawn as its own frames in every cycle (the grey surround only), never
skipped. The RT clock is reset on the first onset flip of A.
"""

from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import flicker as flicker_stimuli
from attentionlab.stimuli.flicker import FlickerParams, FlickerTrial, phase_plan
# The words live in stimuli/flicker_text.py (one copy for the desktop and the browser).
from attentionlab.stimuli.flicker_text import TEXTS


class FlickerPresenter:
    """Presents flicker trials in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session, pairs: dict):
        from psychopy import visual

        self.session = session
        self.params: FlickerParams = session.params
        self.pairs = pairs
        win = session.win
        grey = 2 * self.params.grey - 1
        aspect = win.size[0] / win.size[1]
        self.background = visual.Rect(win, width=aspect + 0.05, height=1.05,
                                      fillColor=(grey, grey, grey), lineColor=None)
        ink = "black" if self.params.grey > 0.45 else "white"
        self.fixation = visual.TextStim(win, "+", height=0.06, color=ink, font=session.font)
        top = self.params.image_height / 2
        self.prompt = visual.TextStim(win, TEXTS["click"], height=0.035, color=ink,
                                      font=session.font, pos=(0, min(0.47, top + 0.035)))
        # The autopilot's simulated participant (drawn once by the session), or None.
        self.model = session.participant_model
        self.iti_ms = self.params.iti_ms

    # -- texts -------------------------------------------------------------
    def text(self, name: str, **fields) -> str:
        fields.setdefault("key", self.params.detect_key.upper())
        fields.setdefault("n", self.params.practice_trials)
        fields.setdefault("pictures", "picture" if fields["n"] == 1 else "pictures")
        return TEXTS[name].format(**fields)

    def intro_pages(self) -> list[str]:
        return [self.text("welcome", timeout=round(self.params.timeout_ms / 1000))]

    def describe(self) -> dict:
        """Sidecar facts: the pairs shown, why each change counts as central or
        marginal, the images' licences, and the frame plan."""
        s = self.session
        return {"flicker": {
            "frames_per_image": s.pacer.frames(self.params.image_ms),
            "frames_per_blank": s.pacer.frames(self.params.blank_ms),
            "image_ms_shown": round(s.pacer.frames(self.params.image_ms) * s.pacer.period_s
                                    * 1000, 3),
            "blank_ms_shown": round(s.pacer.frames(self.params.blank_ms) * s.pacer.period_s
                                    * 1000, 3),
            "click_tolerance_rule": "a click counts as on the change when it is within "
                                    "click_tolerance x image height (image pixels) of a "
                                    "box of the change region",
            "pairs": {name: {"source": p.source, "kind": p.kind, "interest": p.interest,
                             "interest_rule": p.interest_rule, "region_px": p.region_text(),
                             "licence": p.licence}
                      for name, p in self.pairs.items()},
        }}

    # -- trials ------------------------------------------------------------
    def _image_stims(self, trial: FlickerTrial):
        """The two ImageStims of a pair (made before the trial's first flip)."""
        from PIL import Image
        from psychopy import visual

        pair = self.pairs[trial.pair]
        size = flicker_stimuli.display_size(pair.size, self.params.image_height)
        stims = tuple(visual.ImageStim(self.session.win, image=Image.fromarray(img),
                                       size=size, units="height", interpolate=True)
                      for img in (pair.image_a, pair.image_b))
        return stims

    def run_trial(self, trial: FlickerTrial) -> Outcome:
        """Fixation, the flicker until a key or the timeout, then the click.
        Returns the raw facts: the press (``response``, ``rt_ms``; none on a
        timeout), the time watched, the alternations and the phases' timing,
        and the click's position and time (``details``). Whether the click
        hit the change is ``stimuli.flicker.score``'s to say."""
        s, p = self.session, self.params
        image_a, image_b = self._image_stims(trial)
        self._last = (image_a, image_b)
        s.show_frames([self.background, self.fixation], s.pacer.frames(p.fixation_ms),
                      "fixation")
        blank = trial.blank_condition == "blank"
        frames_image = s.pacer.frames(p.image_ms)
        frames_blank = s.pacer.frames(p.blank_ms) if blank else 0
        plan = phase_plan(frames_image, frames_blank, blank)
        diode = [s.photodiode] if s.photodiode else []
        layers = {"a": [self.background, image_a, *diode],
                  "b": [self.background, image_b, *diode],
                  "blank": [self.background]}
        timeout_frames = s.pacer.frames(p.timeout_ms)

        s.keys.clear()
        s.win.callOnFlip(s.keys.reset_clock)
        flips, phase_log = [], []  # flip times; (what, first frame index, frames shown)
        onset, press, planned = None, None, None
        frame = 0
        while press is None and frame < timeout_frames:
            what, n = plan[len(phase_log) % len(plan)]
            phase_log.append([what, frame, 0])
            for _ in range(n):
                # Name (and capture) each phase of the first cycle only.
                screen = (f"{trial.phase}_{trial.blank_condition}_{what}"
                          if len(phase_log) <= len(plan) and phase_log[-1][2] == 0 else None)
                flips.append(s.flip(layers[what], screen))
                phase_log[-1][2] += 1
                frame += 1
                if onset is None:
                    onset = flips[0]
                    if self.model is not None:
                        planned = self._autopilot_press(trial, onset, frames_image,
                                                        frames_blank)
                press = self._first_press(s.poll_keys())
                if press is not None or frame >= timeout_frames:
                    break
        end = s.flip([self.background])
        if press is None:
            press = self._first_press(s.poll_keys())  # a press in the very last frame
        details = self._timing(plan, phase_log, flips, end, frames_image, frames_blank)
        outcome = Outcome(onset_s=s.onset_s(onset), details=details)
        planned_click = {}
        if press is None:
            details.update(detection_time_ms=(end - onset) * 1000.0,
                           alternations=-(-details["image_phases"] // 2))
        else:
            images = sum(1 for what, first, _ in phase_log
                         if what != "blank" and flips[first] - onset <= press)
            outcome.response, outcome.rt_ms = p.detect_key, press * 1000.0
            details.update(detection_time_ms=press * 1000.0,
                           alternations=-(-max(images, 1) // 2))
            click, planned_click = self._click(trial, image_a)
            details.update(click)
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
            outcome.autopilot = {**s.autopilot.outcome(planned, onset), **planned_click}
        return outcome

    def _first_press(self, presses):
        for name, rt in presses:
            if name == self.params.detect_key and rt >= 0:
                return rt
        return None

    def _timing(self, plan, phase_log, flips, end, frames_image, frames_blank) -> dict:
        """Frame counts and flip-measured durations of the completed phases
        (the phase cut short by the key press or the timeout is left out)."""
        period_ms = self.session.pacer.period_s * 1000.0
        stamps = flips + [end]
        completed = {"image": [], "blank": []}
        deviations = 0
        for what, first, shown in phase_log:
            planned = frames_blank if what == "blank" else frames_image
            if shown < planned:
                continue  # interrupted
            ms = (stamps[first + shown] - stamps[first]) * 1000.0
            completed["blank" if what == "blank" else "image"].append((shown, ms))
            if shown != planned or abs(ms - planned * period_ms) > period_ms / 2:
                deviations += 1
        image, blank = completed["image"], completed["blank"]
        return {
            "frames_per_image": frames_image, "frames_per_blank": frames_blank,
            "image_phases": sum(1 for w, _, _ in phase_log if w != "blank"),
            "blank_phases": sum(1 for w, _, _ in phase_log if w == "blank"),
            "image_frames_min": min((n for n, _ in image), default=None),
            "image_frames_max": max((n for n, _ in image), default=None),
            "blank_frames_min": min((n for n, _ in blank), default=None),
            "blank_frames_max": max((n for n, _ in blank), default=None),
            "image_phase_ms_max": max((ms for _, ms in image), default=None),
            "blank_phase_ms_max": max((ms for _, ms in blank), default=None),
            "phase_timing_deviations": deviations,
        }

    def _click(self, trial, image_a):
        """The click screen: image A and the prompt until a click (or its
        timeout). Returns ``(click, planned)``: where (screen and image
        pixels) and when the click came (``{}`` if it did not), and what the
        autopilot planned (``{}`` without it)."""
        s, p = self.session, self.params
        size = (trial.image_width_px, trial.image_height_px)
        planned = {}
        if self.model is not None:
            x, y, _, click_ms = self.model.click(trial.region, size, trial.tolerance_px,
                                                 s.rng_autopilot)
            pos = flicker_stimuli.image_to_screen(x, y, size, p.image_height)
            px = s.screen_point(pos)
            s.autopilot.click_at(px[0], px[1], s.get_time() + click_ms / 1000.0)
            planned = {"planned_click_px": [round(x, 2), round(y, 2)],
                       "planned_click_ms": round(click_ms, 1)}
        stims = [self.background, image_a, self.prompt]
        s.flip(stims, "click")
        shown = s.get_time()
        pos = s.wait_click(stims, p.click_timeout_ms / 1000.0)
        if pos is None:
            return {}, planned
        click_rt = (s.get_time() - shown) * 1000.0
        x_px, y_px = flicker_stimuli.screen_to_image(pos[0], pos[1], size, p.image_height)
        s.flip([self.background])
        return {"click_x": pos[0], "click_y": pos[1], "click_image_x_px": x_px,
                "click_image_y_px": y_px, "click_rt_ms": click_rt}, planned

    def _autopilot_press(self, trial, onset, frames_image, frames_blank):
        """Plan the simulated participant's key press; return its clock time (or None)."""
        s = self.session
        period_ms = s.pacer.period_s * 1000.0
        cycle_ms = 2 * (frames_image + frames_blank) * period_ms
        t = self.model.detection_ms(trial.interest, trial.blank_condition, cycle_ms,
                                    (frames_image + frames_blank) * period_ms,
                                    s.rng_autopilot)
        if t >= s.pacer.frames(self.params.timeout_ms) * period_ms:
            return None
        when = onset + t / 1000.0
        s.autopilot.press_at(self.params.detect_key, when)
        return when

    # -- practice feedback ---------------------------------------------------
    def show_feedback(self, record: dict) -> None:
        """Practice: A and A' alternate without the blank (the change pops out)
        with the change region outlined."""
        from psychopy import visual

        s, p = self.session, self.params
        pair = self.pairs[record["pair"]]
        image_a, image_b = self._last
        outlines = []
        for x0, y0, x1, y1 in pair.region:
            (ax, ay), (bx, by) = (flicker_stimuli.image_to_screen(x0, y0, pair.size,
                                                                  p.image_height),
                                  flicker_stimuli.image_to_screen(x1, y1, pair.size,
                                                                  p.image_height))
            outlines.append(visual.Rect(s.win, width=bx - ax, height=ay - by,
                                        pos=((ax + bx) / 2, (ay + by) / 2), fillColor=None,
                                        lineColor=(1, 1, 0), lineWidth=4))
        key = ("timeout" if record.get("timed_out") else
               "feedback" if record.get("localized") else "missed")
        message = visual.TextStim(s.win, TEXTS[key], height=0.035, font=s.font,
                                  color=self.prompt.color, pos=self.prompt.pos)
        frames = s.pacer.frames(p.image_ms)
        total = s.pacer.frames(p.feedback_ms)
        shown, which = 0, 0
        while shown < total:
            image = (image_a, image_b)[which % 2]
            n = min(frames, total - shown)
            s.show_frames([self.background, image, *outlines, message], n,
                          f"feedback_{key}" if shown == 0 else None)
            shown += n
            which += 1


def prepare(params: FlickerParams, participant: str, seed: int, group: int | None = None):
    """The definition's trial plan, the pairs' images (made in memory now:
    photographs edited, scenes generated, a pair folder read and checked)
    and the presenter."""
    from attentionlab.experiments.tasks import Prepared

    facts = flicker_stimuli.plan_facts(params, participant, group)
    practice_pairs, test_pairs = flicker_stimuli.select_pairs(
        params, flicker_stimuli.participant_group(participant) if group is None else group)
    pairs = {p.name: p for p in practice_pairs + test_pairs}

    def factory(session):
        return FlickerPresenter(session, pairs)

    return Prepared(flicker_stimuli.make_plan(params, participant, seed, group), factory, facts)
