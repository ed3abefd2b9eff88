"""Illusory conjunctions (Treisman & Schmidt, 1982): parameters, data columns,
the trial plan, the scoring of a trial (``score``) and of each report, the
exposure staircase and the mask (pure).

Each trial flashes a row ``digit letter letter letter digit`` on a light
patch: two black digits flanking three coloured letters (letters all
different, colours all different). The participant types the two digits,
then reports three letters, each with its colour. A report of a shown
letter is *correct* (its colour), a *conjunction error* (the colour of
another shown letter) or a *feature error* (a colour not in the display);
a report of a letter that was not shown is a *letter error*.

>>> import random
>>> p = ConjunctionsParams()
>>> t = make_trials(p, random.Random(1), n_trials=4)[0]
>>> len(set(t.letters)), len(set(t.colours)), t.digit_left != t.digit_right
(3, 3, True)
>>> score_report(("T", "X", "O"), ("red", "green", "blue"), "X", "red")
'conjunction_error'
"""

import math
import random
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param

TASK = "conjunctions"
N_LETTERS = 3  # letters per display (and reports per trial)
OUTCOMES = ("correct", "feature_error", "conjunction_error", "letter_error")

# Letter colours (sRGB 0-255), chosen to be told apart at a glance and to be
# dark enough to read on the light grey patch (PATCH_RGB255). Yellow is left
# out on purpose: on a light patch it is hard to read.
PALETTE_RGB255 = {
    "red": (215, 25, 30),
    "green": (10, 140, 45),
    "blue": (25, 70, 225),
    "orange": (235, 110, 0),
    "purple": (135, 40, 175),
    "brown": (120, 70, 25),
    "pink": (230, 60, 170),
}
PATCH_RGB255 = (205, 205, 205)  # light grey behind the display: black digits show
DIGIT_RGB255 = (0, 0, 0)
MASK_EXTRA_RGB255 = (0, 0, 0)  # the mask also has black fragments, like the digits

_ORDINALS = {1: "first", 2: "second", 3: "third"}

COLUMNS: tuple[Column, ...] = (
    Column("digit_left", "int", "the digit shown at the left end of the row"),
    Column("digit_right", "int", "the digit shown at the right end of the row"),
    Column("letters", "str", "the three letters shown, left to right, comma-separated "
           "(e.g. T,X,O)"),
    Column("letter_colours", "str", "the colour of each letter, in the same order "
           "(e.g. red,green,blue)"),
    Column("letter_choices", "str", "the letters offered in the report grid, comma-separated"),
    Column("colour_choices", "str", "the colours offered in the report grid, comma-separated"),
    Column("requested_exposure_ms", "float",
           "display duration asked for: display_ms, or the staircase's level"),
    Column("exposure_frames", "int", "frames the display was on screen"),
    Column("exposure_ms", "float", "exposure_frames x the frame period, ms"),
    Column("exposure_measured_ms", "float",
           "time from the display's onset flip to the next screen's onset flip, ms"),
    Column("digits_typed", "str", "the digits typed, in the order typed (same as response)"),
    Column("digits_correct", "bool01",
           "1 when the two digits typed are the two digits shown (either order), else 0"),
    *(c for i in range(1, N_LETTERS + 1) for c in (
        Column(f"report{i}_letter", "str", f"letter of the {_ORDINALS[i]} report (click order)"),
        Column(f"report{i}_colour", "str", f"colour of the {_ORDINALS[i]} report"),
        Column(f"report{i}_outcome", "str",
               f"{_ORDINALS[i]} report scored: correct|feature_error|conjunction_error|"
               f"letter_error"),
    )),
    Column("n_correct", "int", "reports of a shown letter in its own colour (0-3)"),
    Column("n_feature_errors", "int",
           "reports of a shown letter in a colour that was not in the display (0-3)"),
    Column("n_conjunction_errors", "int",
           "reports of a shown letter in the colour of another shown letter (0-3)"),
    Column("n_letter_errors", "int", "reports of a letter that was not shown (0-3)"),
)

DEFAULT_LETTERS = ("T", "X", "O", "N", "H")
DEFAULT_COLOURS = ("red", "green", "blue", "orange", "purple")
# No 0 or 1: they would be confusable with the letters O and I.
DEFAULT_DIGITS = (2, 3, 4, 5, 6, 7, 8, 9)


@dataclass(frozen=True)
class ConjunctionsParams:
    """Every parameter of the illusory-conjunctions task. Durations in ms;
    sizes as fractions of the screen height."""

    trials: int = param(80, "number of test trials (rounded up to a multiple of blocks)",
                        min=1, max=2000)
    blocks: int = param(2, "number of test blocks, with a self-paced break between them",
                        min=1, max=20)
    practice_trials: int = param(6, "practice trials with feedback before the test",
                                 min=0, max=200)
    letters: tuple[str, ...] = param(
        DEFAULT_LETTERS, "the letter set: three are shown per trial, all are offered in the "
        "report grid (single capital letters, comma-separated)")
    colours: tuple[str, ...] = param(
        DEFAULT_COLOURS, "the colour set: three are shown per trial, all are offered in the "
        "report grid (at least 4, so that a colour not shown exists)",
        choices=tuple(PALETTE_RGB255))
    digits: tuple[int, ...] = param(DEFAULT_DIGITS, "digits the two flanking digits are "
                                    "drawn from (two different ones per trial)", min=0, max=9)
    fixation_ms: int = param(500, "fixation cross before the display", unit="ms", min=0,
                             max=5000)
    display_ms: int = param(200, "how long the display is shown (the staircase's start "
                            "value when staircase=true)", unit="ms", min=1, max=2000)
    mask_ms: int = param(250, "pattern mask of coloured fragments after the display",
                         unit="ms", min=0, max=2000)
    staircase: bool = param(False, "adapt the display duration so that the digits are "
                            "reported correctly on about staircase_target of trials")
    staircase_target: float = param(0.9, "proportion of correct digit reports the "
                                     "staircase converges to", min=0.5, max=0.98)
    staircase_up_ms: float = param(45.0, "staircase step up after a wrong digit report "
                                   "(the step down after a correct one is "
                                   "up x (1 - target) / target)", unit="ms", min=1, max=500)
    min_display_ms: int = param(17, "shortest display the staircase may reach", unit="ms",
                                min=1, max=2000)
    max_display_ms: int = param(1000, "longest display the staircase may reach", unit="ms",
                                min=1, max=5000)
    feedback_ms: int = param(3000, "duration of practice feedback", unit="ms", min=100,
                             max=20000)
    iti_ms: int = param(600, "blank interval between trials", unit="ms", min=0, max=10000)
    item_height: float = param(0.07, "height of the letters and digits", min=0.02, max=0.2)
    item_spacing: float = param(0.09, "distance between the centres of neighbouring items "
                                "in the row", min=0.03, max=0.3)
    mask_fragments: int = param(150, "number of coloured fragments in the mask", min=0,
                                max=2000)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        bad = [s for s in self.letters if len(s) != 1 or not ("A" <= s <= "Z")]
        if bad:
            raise UsageError(f"letters must be single capital letters A-Z, got "
                             f"{','.join(bad)}")
        if len(set(self.letters)) != len(self.letters) or len(self.letters) < N_LETTERS:
            raise UsageError(f"letters must be at least {N_LETTERS} different letters, got "
                             f"{','.join(self.letters)}")
        if len(self.letters) > 8:
            raise UsageError(f"letters: at most 8 (one row each in the report grid), got "
                             f"{len(self.letters)}")
        if len(set(self.colours)) != len(self.colours) or len(self.colours) < N_LETTERS + 1:
            raise UsageError(f"colours must be at least {N_LETTERS + 1} different colours "
                             f"(so that a feature error is possible), got "
                             f"{','.join(self.colours)}")
        if len(set(self.digits)) < 2:
            raise UsageError(f"digits must hold at least 2 different digits, got "
                             f"{','.join(map(str, self.digits))}")
        if self.min_display_ms > self.max_display_ms:
            raise UsageError(f"min_display_ms ({self.min_display_ms}) is above "
                             f"max_display_ms ({self.max_display_ms})")
        if self.staircase and not (self.min_display_ms <= self.display_ms
                                   <= self.max_display_ms):
            raise UsageError(f"with staircase=true, display_ms ({self.display_ms}) must lie "
                             f"between min_display_ms and max_display_ms")


@dataclass(frozen=True)
class ConjunctionsTrial:
    """One trial: what is shown (left to right) and where it sits in the session."""

    block: int
    phase: str  # practice | test
    digit_left: int
    digit_right: int
    letters: tuple  # three different letters, left to right
    colours: tuple  # their three different colours, same order
    letter_choices: tuple
    colour_choices: tuple
    mask_seed: int  # the mask's fragments are drawn from this (see mask_fragments)

    def row(self) -> dict:
        """The trial's own data columns."""
        return {"block": self.block, "phase": self.phase, "digit_left": self.digit_left,
                "digit_right": self.digit_right, "letters": ",".join(self.letters),
                "letter_colours": ",".join(self.colours),
                "letter_choices": ",".join(self.letter_choices),
                "colour_choices": ",".join(self.colour_choices)}


def trial_count(params: ConjunctionsParams, n_trials: int) -> int:
    """``n_trials`` rounded up to a multiple of ``params.blocks``.

    >>> trial_count(ConjunctionsParams(blocks=3), 10)
    12
    """
    return -(-n_trials // params.blocks) * params.blocks


def make_trials(params: ConjunctionsParams, rng: random.Random, n_trials: int | None = None,
                phase: str = "test") -> list[ConjunctionsTrial]:
    """The trial list: per trial two different digits, three different letters
    and three different colours, each drawn at random from its set (seeded by
    ``rng``). Test trials fill ``params.blocks`` equal blocks; practice is one
    block of ``params.practice_trials``."""
    if phase == "practice":
        n_blocks, total = 1, params.practice_trials
    else:
        n_blocks = params.blocks
        total = trial_count(params, n_trials or params.trials)
    trials = []
    for index in range(total):
        block = 1 + index * n_blocks // total if total else 1
        left, right = rng.sample(sorted(set(params.digits)), 2)
        trials.append(ConjunctionsTrial(
            block=block, phase=phase, digit_left=left, digit_right=right,
            letters=tuple(rng.sample(params.letters, N_LETTERS)),
            colours=tuple(rng.sample(params.colours, N_LETTERS)),
            letter_choices=tuple(params.letters), colour_choices=tuple(params.colours),
            mask_seed=rng.randrange(2**31)))
    return trials


def counterbalance_groups(params: ConjunctionsParams) -> int:
    """1: nothing is counterbalanced."""
    return 1


def label_group(params: ConjunctionsParams, participant: str) -> int:
    """0: the only group."""
    return 0


def make_plan(params: ConjunctionsParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The session's trials: practice, then test, both drawn from one
    ``random.Random(seed)`` (the participant's label plays no part). The
    presenter, its autopilot and the data-only simulation all call this.

    >>> plan = make_plan(ConjunctionsParams(trials=4, practice_trials=1), "P1", 7)
    >>> [len(plan["practice"]), len(plan["test"])]
    [1, 4]
    """
    check_group(group, counterbalance_groups(params))
    rng = random.Random(seed)
    return {"practice": make_trials(params, rng, phase="practice"),
            "test": make_trials(params, rng, phase="test")}


def plan_facts(params: ConjunctionsParams, participant: str,
               group: int | None = None) -> dict:
    """Sidecar facts about the plan: none (no counterbalancing)."""
    check_group(group, counterbalance_groups(params))
    return {}


# -- scoring -----------------------------------------------------------------
# Raw facts of a trial's exposure, passed on from ``outcome.details`` as they are.
EXPOSURE_COLUMNS = ("requested_exposure_ms", "exposure_frames", "exposure_ms",
                    "exposure_measured_ms")


def score(trial: ConjunctionsTrial, outcome) -> dict:
    """The response columns of a trial from its
    :class:`~attentionlab.core.outcome.Outcome`: ``outcome.response`` is the
    two digits as typed, ``outcome.details["reports"]`` the reports
    ``[(letter, colour), ...]`` in click order, and the exposure columns
    (:data:`EXPOSURE_COLUMNS`) are passed on from ``outcome.details``.
    ``correct`` is ``digits_correct`` (the primary task).

    >>> from attentionlab.core.outcome import Outcome
    >>> t = ConjunctionsTrial(1, "test", 3, 7, ("T", "X", "O"), ("red", "green", "blue"),
    ...                       DEFAULT_LETTERS, DEFAULT_COLOURS, 0)
    >>> s = score(t, Outcome(1.0, "73", 900.0, {"reports": [("X", "red")]}))
    >>> s["correct"], s["report1_outcome"], s["n_conjunction_errors"], s["report2_letter"]
    (1, 'conjunction_error', 1, '')
    """
    details = outcome.details
    record = {name: details.get(name) for name in EXPOSURE_COLUMNS}
    record.update(response_columns(trial, outcome.response, list(details.get("reports", ()))))
    record["correct"] = record["digits_correct"]
    return record


def score_report(letters, colours, letter: str, colour: str) -> str:
    """Score one report (``letter`` in ``colour``) against a display whose
    ``letters`` had ``colours`` (same order).

    ``correct``: a shown letter in its own colour; ``conjunction_error``: a
    shown letter in the colour of another shown letter (an illusory
    conjunction); ``feature_error``: a shown letter in a colour that was not in
    the display; ``letter_error``: a letter that was not shown (whatever its
    colour).

    >>> d = (("T", "X", "O"), ("red", "green", "blue"))
    >>> [score_report(*d, "T", c) for c in ("red", "blue", "purple")]
    ['correct', 'conjunction_error', 'feature_error']
    >>> score_report(*d, "N", "red")
    'letter_error'
    """
    letters, colours = list(letters), list(colours)
    if letter not in letters:
        return "letter_error"
    if colour == colours[letters.index(letter)]:
        return "correct"
    if colour in colours:
        return "conjunction_error"
    return "feature_error"


def score_digits(left: int, right: int, typed: str) -> int:
    """1 when ``typed`` holds exactly the two digits shown, in either order.

    Order is not scored: the digit task is there to spread attention across
    the whole row, not to test memory for order.

    >>> score_digits(3, 7, "73"), score_digits(3, 7, "37"), score_digits(3, 7, "3")
    (1, 1, 0)
    """
    return int(sorted(typed) == sorted(f"{left}{right}"))


def outcome_counts(outcomes) -> dict:
    """Per-trial counts of each outcome, as the ``n_*`` data columns.

    >>> outcome_counts(["correct", "conjunction_error", "correct"])["n_correct"]
    2
    """
    outcomes = list(outcomes)
    return {"n_correct": outcomes.count("correct"),
            "n_feature_errors": outcomes.count("feature_error"),
            "n_conjunction_errors": outcomes.count("conjunction_error"),
            "n_letter_errors": outcomes.count("letter_error")}


def response_columns(trial: ConjunctionsTrial, typed: str, reports) -> dict:
    """The response columns of a trial from what was typed and the reports
    ``[(letter, colour), ...]`` in click order (fewer than three leave the
    rest empty)."""
    record = {"digits_typed": typed,
              "digits_correct": score_digits(trial.digit_left, trial.digit_right, typed)}
    outcomes = []
    for i in range(1, N_LETTERS + 1):
        if i <= len(reports):
            letter, colour = reports[i - 1]
            outcome = score_report(trial.letters, trial.colours, letter, colour)
            outcomes.append(outcome)
        else:
            letter = colour = outcome = ""
        record.update({f"report{i}_letter": letter, f"report{i}_colour": colour,
                       f"report{i}_outcome": outcome})
    record.update(outcome_counts(outcomes))
    return record


# -- exposure staircase --------------------------------------------------------
def staircase_step_down_ms(params: ConjunctionsParams) -> float:
    """Step down after a correct digit report: ``up x (1 - target) / target``.

    With these weighted steps (Kaernbach, 1991) the level drifts down while
    more than ``target`` of the reports are correct and up while fewer are,
    so it settles where p(correct) x down = (1 - p) x up, i.e. at p = target.
    With the defaults (up 45 ms, target 0.9) the step down is 5 ms.

    >>> staircase_step_down_ms(ConjunctionsParams())
    5.0
    """
    t = params.staircase_target
    return round(params.staircase_up_ms * (1 - t) / t, 9)  # 45 x 0.1/0.9 is 4.999...


def staircase_next(level_ms: float, digits_correct: bool, params: ConjunctionsParams) -> float:
    """The next requested display duration after a trial, kept within
    ``min_display_ms .. max_display_ms``. Shown as the nearest whole number of
    frames, so the level moves in ms and the display in frames.

    >>> p = ConjunctionsParams(staircase=True)
    >>> staircase_next(200.0, True, p), staircase_next(200.0, False, p)
    (195.0, 245.0)
    """
    step = -staircase_step_down_ms(params) if digits_correct else params.staircase_up_ms
    return float(min(max(level_ms + step, params.min_display_ms), params.max_display_ms))


def next_exposure_ms(level_ms: float, trial: ConjunctionsTrial, outcome,
                     params: ConjunctionsParams) -> float:
    """The display duration to ask for on the trial after ``trial``: the same
    without the staircase, else :func:`staircase_next` on whether the digits
    were reported right (as :func:`score` says). The presenter and the
    simulated session both call this, so they run the same staircase.

    >>> from attentionlab.core.outcome import Outcome
    >>> t = make_trials(ConjunctionsParams(), random.Random(1), n_trials=2)[0]
    >>> wrong = Outcome(1.0, "", None)
    >>> next_exposure_ms(200.0, t, wrong, ConjunctionsParams(staircase=True))
    245.0
    >>> next_exposure_ms(200.0, t, wrong, ConjunctionsParams())
    200.0
    """
    if not params.staircase:
        return level_ms
    return staircase_next(level_ms, bool(score(trial, outcome)["digits_correct"]), params)


# -- layout and mask -------------------------------------------------------------
def item_positions(params: ConjunctionsParams) -> list[tuple[float, float]]:
    """Centres of the five items (digit, three letters, digit), left to right,
    in 'height' units; the middle letter sits on the fixation point.

    >>> item_positions(ConjunctionsParams(item_spacing=0.1))[0]
    (-0.2, 0.0)
    """
    half = 2  # two items each side of the middle
    return [(round((i - half) * params.item_spacing, 10), 0.0) for i in range(2 * half + 1)]


def patch_size(params: ConjunctionsParams) -> tuple[float, float]:
    """Width and height of the light patch behind the display (and of the mask)."""
    return (4 * params.item_spacing + 2.2 * params.item_height, 2.2 * params.item_height)


def mask_fragments(params: ConjunctionsParams, seed: int) -> list[dict]:
    """The mask: short bars at random positions and orientations over the
    patch, in the display's colours and black, so that it masks letters,
    colours and digits alike.

    Each fragment is ``{"x", "y", "ori", "length", "width", "colour"}`` (height
    units, degrees; ``colour`` a colour name or ``"black"``).

    >>> f = mask_fragments(ConjunctionsParams(mask_fragments=3), seed=1)
    >>> len(f), sorted(f[0])
    (3, ['colour', 'length', 'ori', 'width', 'x', 'y'])
    """
    rng = random.Random(seed)
    width, height = patch_size(params)
    length = 0.45 * params.item_height
    colours = list(params.colours) + ["black"]
    fragments = []
    for _ in range(params.mask_fragments):
        fragments.append({
            "x": rng.uniform(-width / 2 + length / 2, width / 2 - length / 2),
            "y": rng.uniform(-height / 2 + length / 2, height / 2 - length / 2),
            "ori": rng.uniform(0, 180), "length": length,
            "width": 0.14 * params.item_height, "colour": rng.choice(colours)})
    return fragments


def colour_rgb255(name: str) -> tuple[int, int, int]:
    """Screen colour of a colour name (the palette, or ``black``)."""
    return MASK_EXTRA_RGB255 if name == "black" else PALETTE_RGB255[name]


def expected_chance_ratio(n_colours: int, n_shown: int = N_LETTERS) -> float:
    """Conjunction errors expected per feature error if wrong colours were
    pure guesses among the colours other than the right one:
    ``(n_shown - 1) / (n_colours - n_shown)`` (docs/tasks/conjunctions.md).

    >>> expected_chance_ratio(5)
    1.0
    """
    if n_colours <= n_shown:
        return math.nan
    return (n_shown - 1) / (n_colours - n_shown)


# The contract's name for this task's parameters (core/contracts.py).
PARAMS = ConjunctionsParams
