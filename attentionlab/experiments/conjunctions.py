"""Illusory-conjunctions presentation: fixation, the brief display, the mask,
typing the two digits, clicking the three letter-colour reports, practice
feedback, the instructions.

Timing (docs/architecture.md): the display is shown for whole frames; the key clock is
reset in ``win.callOnFlip`` on the display's onset flip, so ``rt_ms`` (the
first digit) counts from the display onset. Digits typed while the display
or the mask is still up are kept: a fast participant is not penalised. The
whole trial is drawn on a light grey patch (the window is black) so that the
black digits are visible, as on the white card of the original study.
"""

from attentionlab.core.outcome import Outcome
from attentionlab.simulation.conjunctions import DIGITS_SHOWN_MS, MIN_KEY_GAP_MS
from attentionlab.stimuli import conjunctions as task
from attentionlab.stimuli.conjunctions import (N_LETTERS, PATCH_RGB255, ConjunctionsParams,
                                               ConjunctionsTrial)
# The words live in stimuli/conjunctions_text.py (one copy for the desktop and the browser).
from attentionlab.stimuli.conjunctions_text import TEXT

DIGIT_KEYS = {**{str(d): str(d) for d in range(10)}, **{f"num_{d}": str(d) for d in range(10)}}
CELL = 0.085  # side of a report-grid cell, height units
GRID_CENTRE_Y = -0.04
REPORT_DONE_MS = 400  # the completed grid stays this long before the trial ends
CLICK_RETRY_S = 8.0  # autopilot only: re-click if a planned click was not seen by then


class ConjunctionsPresenter:
    """Presents illusory-conjunction trials in a
    :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session):
        from psychopy import visual

        self.session = session
        self.params: ConjunctionsParams = session.params
        p, win, font = self.params, session.win, session.font
        self.iti_ms = p.iti_ms
        self.level_ms = float(p.display_ms)  # the staircase's level (fixed without it)
        width, height = task.patch_size(p)
        self.patch = visual.Rect(win, width=width, height=height, fillColor=PATCH_RGB255,
                                 lineColor=PATCH_RGB255, colorSpace="rgb255")
        self.fixation = visual.TextStim(win, "+", height=0.05, color="black", font=font)
        self.items = [visual.TextStim(win, "", pos=pos, height=p.item_height, font=font,
                                      bold=True, colorSpace="rgb255")
                      for pos in task.item_positions(p)]
        self.mask = (visual.ElementArrayStim(
            win, nElements=p.mask_fragments, elementTex=None, elementMask=None,
            units="height", colorSpace="rgb255") if p.mask_fragments else None)
        self.prompt = visual.TextStim(win, "", pos=(0, 0.2), height=0.045, color="white",
                                      font=font, wrapWidth=1.2)
        self.digit_boxes = [visual.Rect(win, width=0.09, height=0.11, pos=(x, 0.0),
                                        lineColor="white", fillColor=None, lineWidth=3)
                            for x in (-0.06, 0.06)]
        self.digit_texts = [visual.TextStim(win, "", pos=(x, 0.0), height=0.08, color="white",
                                            font=font) for x in (-0.06, 0.06)]
        self.grid = _ReportGrid(win, p, font)
        self.feedback = visual.TextStim(win, "", height=0.038, color="white", font=font,
                                        wrapWidth=1.25)
        self.shown_row = _Row(win, p, font, y=0.02, label="What was shown")
        self.reported_row = _Row(win, p, font, y=-0.25, label="What you reported")

    # -- texts -------------------------------------------------------------
    def text(self, name: str, **fields) -> str:
        return TEXT[name].format(**fields)

    def intro_pages(self) -> list[str]:
        return [self.text("welcome")]

    def describe(self) -> dict:
        """Sidecar facts: the colours drawn, and how the exposure was chosen."""
        p = self.params
        rule = (f"weighted up-down staircase (Kaernbach 1991) on digit reports: "
                f"+{p.staircase_up_ms:g} ms after a wrong report, "
                f"-{task.staircase_step_down_ms(p):g} ms after a correct one, converging "
                f"on {p.staircase_target:g} correct; within {p.min_display_ms}.."
                f"{p.max_display_ms} ms; shown as whole frames" if p.staircase else
                f"fixed: display_ms={p.display_ms} as whole frames")
        return {"exposure": {"staircase": p.staircase, "rule": rule},
                "colours_rgb255": {c: list(task.PALETTE_RGB255[c]) for c in p.colours},
                "patch_rgb255": list(PATCH_RGB255)}

    # -- one trial -----------------------------------------------------------
    def run_trial(self, trial: ConjunctionsTrial) -> Outcome:
        """Fixation, display, mask, digits, reports; return what happened:
        the digits typed (``response``, RT of the first), the reports
        ``[(letter, colour)]`` in click order and the exposure (``details``).
        ``task.score`` says what the reports mean."""
        s, p = self.session, self.params
        # Everything is built before the fixation, so that nothing but flips
        # separates the display's onset from the mask's.
        display = self._display_stims(trial)
        mask = self._mask_stims(trial)
        s.show_frames([self.patch, self.fixation], s.pacer.frames(p.fixation_ms),
                      f"{trial.phase}_fixation")
        requested = self.level_ms
        frames = s.pacer.frames(requested)
        mask_frames = s.pacer.frames(p.mask_ms)
        model = s.participant_model
        answer = model.respond(trial, s.rng_autopilot) if s.autopilot else None

        s.keys.clear()
        s.win.callOnFlip(s.keys.reset_clock)
        extra = [s.photodiode] if s.photodiode else []
        onset = s.flip(display + extra, f"{trial.phase}_display")
        planned = self._plan_digits(answer, onset, frames + mask_frames) if answer else None
        typing = _Typing()
        for _ in range(frames - 1):
            s.flip(display + extra)
            typing.add(s.poll_keys())
        end = s.flip(mask, f"{trial.phase}_mask" if mask_frames else None)
        typing.add(s.poll_keys())
        for _ in range(mask_frames - 1):
            s.flip(mask)
            typing.add(s.poll_keys())
        typed, first_rt = self._enter_digits(typing)
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
        reports = self._report_letters(trial, answer)

        autopilot = None
        if s.autopilot is not None:
            autopilot = {**s.autopilot.outcome(planned, onset), "planned_typed": answer.typed,
                         "planned_reports": [list(r) for r in answer.reports]}
        outcome = Outcome(
            onset_s=s.onset_s(onset), response=typed,
            rt_ms=None if first_rt is None else first_rt * 1000.0,
            details={"requested_exposure_ms": requested, "exposure_frames": frames,
                     "exposure_ms": frames * s.pacer.period_s * 1000.0,
                     "exposure_measured_ms": (end - onset) * 1000.0, "reports": reports},
            autopilot=autopilot)
        self.level_ms = task.next_exposure_ms(self.level_ms, trial, outcome, p)
        return outcome

    def _display_stims(self, trial):
        texts = [str(trial.digit_left), *trial.letters, str(trial.digit_right)]
        colours = [task.DIGIT_RGB255, *(task.PALETTE_RGB255[c] for c in trial.colours),
                   task.DIGIT_RGB255]
        for stim, text, colour in zip(self.items, texts, colours):
            stim.text, stim.color = text, colour
        return [self.patch, *self.items]

    def _mask_stims(self, trial):
        if self.mask is None:
            return [self.patch]
        fragments = task.mask_fragments(self.params, trial.mask_seed)
        self.mask.xys = [(f["x"], f["y"]) for f in fragments]
        self.mask.oris = [f["ori"] for f in fragments]
        self.mask.sizes = [(f["length"], f["width"]) for f in fragments]
        self.mask.colors = [task.colour_rgb255(f["colour"]) for f in fragments]
        return [self.patch, self.mask]

    # -- digits --------------------------------------------------------------
    def _plan_digits(self, answer, onset, shown_frames):
        """Autopilot: type the model's digits; never before the mask is over
        (as in the data-only simulation). Returns the first press's time."""
        s = self.session
        shown_ms = shown_frames * s.pacer.period_s * 1000.0
        first_ms = max(answer.first_digit_ms, shown_ms + MIN_KEY_GAP_MS)
        first = onset + first_ms / 1000.0
        s.autopilot.press_at(answer.typed[0], first)
        s.autopilot.press_at(answer.typed[1], first + answer.key_gap_ms / 1000.0)
        return first

    def _enter_digits(self, typing):
        """The digit-entry screen until two digits are typed (Backspace
        deletes the first); the typed digits stay up for a moment."""
        s = self.session
        self.prompt.text = self.text("digits_prompt")
        screen = "digits"
        while len(typing.digits) < 2:
            self._show_typed(typing.digits)
            s.flip([self.prompt, *self.digit_boxes, *self.digit_texts], screen)
            screen = None
            typing.add(s.poll_keys())
        self._show_typed(typing.digits)
        s.show_frames([self.prompt, *self.digit_boxes, *self.digit_texts],
                      s.pacer.frames(DIGITS_SHOWN_MS), "digits_typed")
        return "".join(typing.digits[:2]), typing.first_rt

    def _show_typed(self, digits):
        for i, stim in enumerate(self.digit_texts):
            stim.text = digits[i] if i < len(digits) else ""

    # -- reports ---------------------------------------------------------------
    def _report_letters(self, trial, answer):
        """Three clicks on the letter x colour grid; a row already used is
        ignored. Returns [(letter, colour)] in click order."""
        s, grid = self.session, self.grid
        grid.reset()
        reports = []
        last = s.get_time()
        while len(reports) < N_LETTERS:
            grid.title.text = self.text("report_prompt", i=len(reports) + 1, n=N_LETTERS)
            stims = grid.stims()
            s.flip(stims, f"report_{len(reports) + 1}")
            if answer is not None:
                wanted = answer.reports[len(reports)]
                cell = self._autopilot_click(stims, wanted, last + answer.click_ms[len(reports)]
                                             / 1000.0)
            else:
                cell = grid.cell_at(s.wait_click(stims))
            if cell is not None and grid.choose(*cell):
                reports.append(cell)
                last = s.get_time()
            # wait_click hides the pointer when it returns; show it again at once
            # so that it does not blink between two reports.
            s.mouse.setVisible(len(reports) < N_LETTERS)
        grid.title.text = self.text("report_done")
        s.show_frames(grid.stims(), s.pacer.frames(REPORT_DONE_MS), "report_done")
        return reports

    def _autopilot_click(self, stims, wanted, when):
        """Click the model's chosen cell at ``when``; click again if the
        click was not seen (a lost X event must not hang a test session)."""
        s = self.session
        x_px, y_px = s.screen_point(self.grid.centre(*wanted))
        for _ in range(3):
            s.autopilot.click_at(x_px, y_px, max(when, s.get_time() + 0.05))
            cell = self.grid.cell_at(s.wait_click(stims, timeout_s=CLICK_RETRY_S))
            if cell == tuple(wanted):
                return cell
            when = s.get_time()
        raise RuntimeError(f"autopilot: the click on {wanted} at {(x_px, y_px)} px was not "
                           f"received by the window")

    # -- feedback ----------------------------------------------------------------
    def show_feedback(self, record: dict) -> None:
        """What was shown, what was reported, and the digits (practice)."""
        s, p = self.session, self.params
        trial_letters = record["letters"].split(",")
        trial_colours = record["letter_colours"].split(",")
        digits = f"{record['digit_left']} and {record['digit_right']}"
        if record["digits_correct"]:
            digit_line = f"Digits: {' '.join(record['digits_typed'])}  -  right"
        else:
            digit_line = (f"Digits: you typed {' '.join(record['digits_typed'])}, "
                          f"they were {digits}")
        n_right = record["n_correct"]
        self.feedback.text = (f"{digit_line}\n\nLetters: {n_right} of {N_LETTERS} right "
                              f"(letter and colour)")
        self.feedback.pos = (0, 0.3)
        shown, reported = self.shown_row, self.reported_row
        shown.set([str(record["digit_left"]), *trial_letters, str(record["digit_right"])],
                  [None, *trial_colours, None])
        slots = feedback_slots(trial_letters, [
            (record[f"report{i}_letter"], record[f"report{i}_colour"])
            for i in range(1, N_LETTERS + 1) if record[f"report{i}_letter"]])
        reported.set(["", *(letter for letter, _ in slots), ""],
                     [None, *(colour for _, colour in slots), None])
        kind = "right" if n_right == N_LETTERS and record["digits_correct"] else "errors"
        s.show_frames([self.feedback, *shown.stims(), *reported.stims()],
                      s.pacer.frames(p.feedback_ms), f"feedback_{kind}")


class _Typing:
    """Digits typed so far (Backspace deletes) and the first digit's RT."""

    def __init__(self):
        self.digits: list[str] = []
        self.first_rt = None

    def add(self, presses):
        for name, rt in presses:
            if rt < 0:
                continue  # pressed before the display: not an answer to it
            if name == "backspace" and self.digits and len(self.digits) < 2:
                self.digits.pop()
            elif name in DIGIT_KEYS and len(self.digits) < 2:
                self.digits.append(DIGIT_KEYS[name])
                if self.first_rt is None:
                    self.first_rt = rt


class _ReportGrid:
    """The report screen: every offered letter (rows) in every offered colour
    (columns) on the light patch; a chosen cell gets a black frame and its
    row fades, so each letter is reported once."""

    def __init__(self, win, params, font):
        from psychopy import visual

        self.letters, self.colours = list(params.letters), list(params.colours)
        n_rows, n_cols = len(self.letters), len(self.colours)
        self.panel = visual.Rect(win, width=n_cols * CELL + 0.04, height=n_rows * CELL + 0.04,
                                 pos=(0, GRID_CENTRE_Y), fillColor=PATCH_RGB255,
                                 lineColor=PATCH_RGB255, colorSpace="rgb255")
        self.title = visual.TextStim(win, "", pos=(0, GRID_CENTRE_Y + n_rows * CELL / 2 + 0.07),
                                     height=0.04, color="white", font=font, wrapWidth=1.3)
        self.cells = {}
        for r, letter in enumerate(self.letters):
            for c, colour in enumerate(self.colours):
                pos = self.centre(letter, colour)
                frame = visual.Rect(win, width=CELL * 0.92, height=CELL * 0.92, pos=pos,
                                    fillColor=None, lineColor=(150, 150, 150), lineWidth=1,
                                    colorSpace="rgb255")
                text = visual.TextStim(win, letter, pos=pos, height=CELL * 0.62, font=font,
                                       bold=True, colorSpace="rgb255",
                                       color=task.PALETTE_RGB255[colour])
                self.cells[(letter, colour)] = (frame, text)
        self.chosen: list = []

    def centre(self, letter, colour):
        r, c = self.letters.index(letter), self.colours.index(colour)
        x = (c - (len(self.colours) - 1) / 2) * CELL
        y = GRID_CENTRE_Y + ((len(self.letters) - 1) / 2 - r) * CELL
        return (x, y)

    def cell_at(self, pos):
        """The (letter, colour) under ``pos`` (height units), or None."""
        if pos is None:
            return None
        for key in self.cells:
            cx, cy = self.centre(*key)
            if abs(pos[0] - cx) <= CELL / 2 and abs(pos[1] - cy) <= CELL / 2:
                return key
        return None

    def reset(self):
        self.chosen = []
        for frame, text in self.cells.values():
            frame.lineColor, frame.lineWidth = (150, 150, 150), 1
            text.opacity = 1.0

    def choose(self, letter, colour) -> bool:
        """Mark a cell as reported; False if its letter was reported already."""
        if any(letter == chosen[0] for chosen in self.chosen):
            return False
        self.chosen.append((letter, colour))
        for (row_letter, cell_colour), (frame, text) in self.cells.items():
            if row_letter == letter:
                if cell_colour == colour:
                    frame.lineColor, frame.lineWidth = (0, 0, 0), 5
                else:
                    text.opacity = 0.2
        return True

    def stims(self):
        return [self.panel, self.title,
                *(stim for pair in self.cells.values() for stim in pair)]


class _Row:
    """A static copy of a display row (for feedback), with a label above it."""

    def __init__(self, win, params, font, y, label):
        from psychopy import visual

        width, height = task.patch_size(params)
        self.patch = visual.Rect(win, width=width, height=height, pos=(0, y),
                                 fillColor=PATCH_RGB255, lineColor=PATCH_RGB255,
                                 colorSpace="rgb255")
        self.label = visual.TextStim(win, label, pos=(0, y + height / 2 + 0.03), height=0.035,
                                     color="white", font=font)
        self.items = [visual.TextStim(win, "", pos=(x, y), height=params.item_height,
                                      font=font, bold=True, colorSpace="rgb255")
                      for x, _ in task.item_positions(params)]

    def set(self, texts, colours):
        for stim, text, colour in zip(self.items, texts, colours):
            stim.text = text
            stim.color = task.DIGIT_RGB255 if colour is None else task.colour_rgb255(colour)

    def stims(self):
        return [self.patch, self.label, *self.items]


def feedback_slots(letters, reports):
    """Where each report goes in the feedback row (slots 1-3 = letter positions):
    under the same letter when it was shown, else in a free slot.

    >>> feedback_slots(["T", "X", "O"], [("O", "red"), ("N", "blue"), ("T", "red")])
    [('T', 'red'), ('N', 'blue'), ('O', 'red')]
    """
    slots = [None] * len(letters)
    leftovers = []
    for letter, colour in reports:
        if letter in letters and slots[letters.index(letter)] is None:
            slots[letters.index(letter)] = (letter, colour)
        else:
            leftovers.append((letter, colour))
    for i, slot in enumerate(slots):
        if slot is None and leftovers:
            slots[i] = leftovers.pop(0)
    return [slot or ("", None) for slot in slots]


def prepare(params: ConjunctionsParams, participant: str, seed: int, group: int | None = None):
    """The definition's trial plan (seeded) and the presenter."""
    from attentionlab.experiments.tasks import Prepared

    return Prepared(task.make_plan(params, participant, seed, group), ConjunctionsPresenter,
                    task.plan_facts(params, participant, group))
