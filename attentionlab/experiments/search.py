"""Visual-search presentation: block instructions with a picture of the
target, fixation, the search display until a key or the deadline, practice
feedback.

Items are PsychoPy shapes: bars are ``Rect``, Ts and Ls are ``ShapeStim``
polygons, all made once and moved/recoloured per trial (so nothing is built
between the fixation and the display). Timing as in docs/architecture.md: durations
are whole frames, the RT clock is reset in ``win.callOnFlip`` on the
display's onset flip, and the row is written by the session afterwards.
``run_trial`` returns what happened (an :class:`Outcome`); the definition's
``search.score`` says what it means.
"""

from attentionlab.core.outcome import Outcome
from attentionlab.stimuli import search as search_stimuli
from attentionlab.stimuli.search import SearchParams, SearchTrial, answer_keys
from attentionlab.stimuli.search_layout import Item
from attentionlab.stimuli.search_text import TEXT

# Saturated red and green of similar brightness on black (sRGB 0-255); white Ts and Ls.
ITEM_RGB255 = {"red": (235, 45, 45), "green": (40, 185, 60), "white": (235, 235, 235)}
FEEDBACK_RGB255 = {"correct": (60, 200, 90), "wrong": (235, 70, 70), "too_slow": (240, 200, 40)}
BAR_WIDTH = 0.25   # bar thickness as a fraction of its length (a 1:4 bar)
STROKE_WIDTH = 0.2  # thickness of a T's or L's strokes, fraction of item_size
EXAMPLE_Y = 0.28   # centre of the example picture on block screens
LEGEND_Y = -0.46   # key reminder under the search field during practice


def letter_vertices(shape: str, size: float, stroke: float) -> list:
    """Outline of an upright T or L fitting the square of side ``size``
    centred on (0, 0), as polygon vertices ('height' units).

    T: a full-width bar on top and a stem down the middle. L: a full-height
    stem on the left and a full-width foot at the bottom. Both use the same
    two strokes, so only their arrangement tells them apart.

    >>> len(letter_vertices("T", 1.0, 0.2)), len(letter_vertices("L", 1.0, 0.2))
    (8, 6)
    """
    h, w = size / 2, stroke
    if shape == "T":
        return [(-h, h), (h, h), (h, h - w), (w / 2, h - w), (w / 2, -h), (-w / 2, -h),
                (-w / 2, h - w), (-h, h - w)]
    if shape == "L":
        return [(-h, h), (-h + w, h), (-h + w, -h + w), (h, -h + w), (h, -h), (-h, -h)]
    raise ValueError(f"no outline for shape {shape!r}")


class ItemPool:
    """Reusable PsychoPy shapes for up to ``n`` items of each shape, of side
    ``size`` in ``units`` ('height', or 'deg' with a calibrated monitor);
    ``to_units`` turns a plan's 'height' positions into ``units``."""

    def __init__(self, win, n: int, size: float, units: str = "height",
                 to_units=lambda value: value):
        from psychopy import visual

        self.to_units = to_units

        def rect():
            return visual.Rect(win, width=size * BAR_WIDTH, height=size, units=units,
                               colorSpace="rgb255", lineWidth=0)

        def letter(shape):
            return visual.ShapeStim(win, vertices=letter_vertices(shape, size,
                                                                  size * STROKE_WIDTH),
                                    units=units, colorSpace="rgb255", lineWidth=0,
                                    closeShape=True)

        self._pools = {"bar": [rect() for _ in range(n)],
                       "T": [letter("T") for _ in range(n)],
                       "L": [letter("L") for _ in range(n)]}

    def stims_for(self, items, offset=(0.0, 0.0)) -> list:
        """Shapes placed, turned and coloured for ``items`` (shifted by ``offset``)."""
        used = {"bar": 0, "T": 0, "L": 0}
        stims = []
        for item in items:
            pool = self._pools[item.shape]
            stim = pool[used[item.shape]]
            used[item.shape] += 1
            stim.pos = (self.to_units(item.x + offset[0]), self.to_units(item.y + offset[1]))
            stim.ori = item.rotation
            stim.fillColor = ITEM_RGB255[item.colour]
            stims.append(stim)
        return stims


class SearchPresenter:
    """Presents visual-search trials in a :class:`~attentionlab.experiments.session.Session`."""

    def __init__(self, session):
        from psychopy import visual

        self.session = session
        self.params: SearchParams = session.params
        p = self.params
        self.keys = answer_keys(p, session.options.participant)
        win, font = session.win, session.font
        largest = max(p.set_sizes)
        # item_size_deg in 'deg' with a calibrated monitor, else item_size (docs/study.md);
        # positions stay the plan's 'height' units, converted for drawing.
        size, units = session.stim_size("item_size_deg")
        to_units = lambda value: session.height_to_units(value, units)  # noqa: E731
        self.item_size_h = size / to_units(1.0)  # the drawn size in 'height' units
        _check_fits(p, self.item_size_h, units)
        self.pool = ItemPool(win, largest, size, units, to_units)
        self.example_pool = ItemPool(win, 8, size, units, to_units)
        self.fixation = visual.TextStim(win, "+", height=0.06, color="white", font=font)
        self.feedback = visual.TextStim(win, "", height=0.05, font=font, colorSpace="rgb255",
                                        wrapWidth=1.2)
        self.legend = visual.TextStim(win, self.key_line("legend"), pos=(0, LEGEND_Y),
                                      height=0.03, color=(0.4, 0.4, 0.4), font=font)
        self.labels = [visual.TextStim(win, TEXT[name], pos=(x, EXAMPLE_Y + 0.08),
                                       height=0.03, color="white", font=font)
                       for name, x in (("label_target", -0.3), ("label_others", 0.3))]
        self.iti_ms = p.iti_ms
        self._block = None
        self._n_test_blocks = len(p.search_types) * p.blocks_per_type

    # -- texts -------------------------------------------------------------
    def text(self, name: str, **fields) -> str:
        left, right = (k.upper() for k in self.params.keys)
        return TEXT[name].format(present=self.keys["present"].upper(),
                                 absent=self.keys["absent"].upper(), left=left, right=right,
                                 keys=self.key_line("key"),
                                 deadline_s=self.params.deadline_ms / 1000, **fields)

    def key_line(self, prefix: str) -> str:
        """Both keys' meanings in one line, in the keys' left-to-right order."""
        meaning = {key: answer for answer, key in self.keys.items()}
        return "        ".join(TEXT[f"{prefix}_{meaning[key]}"].format(key=key.upper())
                               for key in self.params.keys)

    def intro_pages(self) -> list[str]:
        return [self.text("welcome")]

    def describe(self) -> dict:
        """Sidecar facts: the answer keys and how they were chosen."""
        rule = ("explicit (key_mapping parameter)" if self.params.key_mapping != "auto" else
                "auto: even participant number (digits of the label, CRC-32 if none) -> "
                "first key means present; odd -> second key")
        return {"key_mapping": {**self.keys, "rule": rule}}

    # -- trials ------------------------------------------------------------
    def run_trial(self, trial: SearchTrial) -> Outcome:
        """Block screen (first trial of a block), fixation, display until a
        response or the deadline; return what happened, unscored."""
        s, p = self.session, self.params
        if (trial.phase, trial.block) != self._block:
            self._block = (trial.phase, trial.block)
            self._show_block_intro(trial)
            # The block screen waited for a key: not this trial's dropped frames.
            s.pacer.start_count()
        legend = [self.legend] if trial.phase == "practice" else []
        stims = self.pool.stims_for(trial.items) + legend
        if s.photodiode:
            stims.append(s.photodiode)
        s.show_frames([self.fixation, *legend], s.pacer.frames(p.fixation_ms), "fixation")

        presence = "present" if trial.target_present else "absent"
        plan = (lambda t: self._autopilot_respond(trial, t)) if s.autopilot is not None else None
        onset, response, planned = s.present_until_response(
            stims, p.keys, p.deadline_ms,
            f"{trial.phase}_{trial.search_type}_{trial.set_size}_{presence}", plan)
        outcome = Outcome(onset_s=s.onset_s(onset))
        if response is not None:
            name, rt = response
            outcome.response, outcome.rt_ms = name, rt * 1000.0
        if s.autopilot is not None:
            s.autopilot.cancel_pending()
            outcome.autopilot = s.autopilot.outcome(planned, onset)
        return outcome

    def _autopilot_respond(self, trial, onset):
        """Plan the simulated participant's press; return its clock time (or None)."""
        s = self.session
        answers, rts = s.participant_model.respond([trial.search_type], [trial.set_size],
                                          [trial.target_present], s.rng_autopilot)
        answer, rt_ms = answers[0], float(rts[0])
        if not answer:
            return None
        when = onset + rt_ms / 1000.0
        s.autopilot.press_at(self.keys[answer], when)
        return when

    # -- block screens and feedback -----------------------------------------
    def _show_block_intro(self, trial):
        what = self.text(f"what_{trial.search_type}")
        if trial.phase == "practice":
            head = self.text("block_practice", what=what)
        else:
            head = self.text("block_test", what=what, block=trial.block,
                             n_blocks=self._n_test_blocks)
        picture = self._example_picture(trial.search_type)
        self.session.show_text(head + self.text("block_body"), extra_stims=picture,
                               screen=f"{trial.phase}_block_{trial.search_type}")

    def _example_picture(self, search_type) -> list:
        """The target (left) and the other shapes (right), as on the display."""
        gap = self.item_size_h * 1.6
        if search_type == "spatial":
            targets = [f"T{r}" for r in (0, 90, 180, 270)]
            others = [f"L{r}" for r in (0, 90, 180, 270)]
        elif search_type == "conjunction":
            targets, others = ["RV"], ["RH", "GV"]
        else:
            targets, others = ["RV"], ["GV"]
        items = []
        for centre, kinds in ((-0.3, targets), (0.3, others)):
            for i, kind in enumerate(kinds):
                x = centre + (i - (len(kinds) - 1) / 2) * gap
                items.append(Item(x, EXAMPLE_Y, kind))
        return self.labels + self.example_pool.stims_for(items)

    def show_feedback(self, row: dict) -> None:
        """Practice feedback from the trial's data row (scored by the definition)."""
        s = self.session
        if row["response"] == "":
            kind, msg = "too_slow", self.text("too_slow")
        elif row["correct"]:
            kind, msg = "correct", self.text("correct")
        else:
            kind = "wrong"
            msg = self.text("wrong_present" if row["target_present"] else "wrong_absent")
        self.feedback.text = msg
        self.feedback.color = FEEDBACK_RGB255[kind]
        s.show_frames([self.feedback, self.legend], s.pacer.frames(self.params.feedback_ms),
                      f"feedback_{kind}")


def _check_fits(params, item_size_h, units):
    """SearchParams.check made sure item_size fits a grid cell; the size in
    degrees is known in screen units only once the monitor is (UsageError)."""
    from attentionlab.core.errors import UsageError

    grid = params.grid()
    room = min(grid.cell_width, grid.cell_height) - 2 * params.jitter
    if units == "deg" and item_size_h >= room:
        raise UsageError(
            f"item_size_deg={params.item_size_deg:g} is {item_size_h:.3f} screen heights on "
            f"this monitor, but a grid cell leaves {room:.3f} (cell minus 2 x jitter): items "
            f"could overlap; make item_size_deg smaller or the grid coarser")


def prepare(params: SearchParams, participant: str, seed: int, group: int | None = None):
    """The definition's plan and sidecar facts (``search.make_plan``,
    ``search.plan_facts``: keys and block order) and the presenter."""
    from attentionlab.experiments.tasks import Prepared

    return Prepared(search_stimuli.make_plan(params, participant, seed, group), SearchPresenter,
                    search_stimuli.plan_facts(params, participant, seed, group))
