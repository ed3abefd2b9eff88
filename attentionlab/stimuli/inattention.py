"""Inattentional blindness (Mack & Rock, 1998): parameters, data columns and
the trial list (pure).

Each trial flashes a large cross; the participant says which arm was
longer. The session has three phases (blocks) of ``trials`` trials each;
the last trial of each phase also shows an unexpected object:

1. **inattention**: the first time, unannounced (the critical trial);
2. **divided**: the same task again, but now the participant has been asked
   about an extra object and may expect one;
3. **full**: the participant is told to ignore the cross and only report
   anything else (the control: does everyone see the object when attending?).

After each phase's object trial: "did you see anything else?" (Y/N) and a
recognition display of candidate shapes (click the one seen, or guess).
Since each person gives only one critical trial, noticing rates are meant to
be pooled over a class or a sample.

:func:`make_plan` is the one trial plan (session, autopilot and data-only
simulation); :func:`score` says what the keys pressed and the shape clicked
mean (an :class:`~attentionlab.core.outcome.Outcome`'s raw answers).

>>> import random
>>> trials = make_trials(InattentionParams(), random.Random(1), group=0)
>>> [(t.attention, t.critical) for t in trials][:3]
[('inattention', 0), ('inattention', 0), ('inattention', 1)]
"""

import random
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param
from attentionlab.stimuli.stroop import counterbalance_index

TASK = "inattention"
ATTENTION = ("inattention", "divided", "full")
SHAPES = ("square", "diamond", "triangle", "circle", "hexagon", "star")
LOCATIONS = ("fixation", "parafovea")
ARMS = ("horizontal", "vertical")
COLOURS = ("white", "red", "green", "blue", "yellow")
QUADRANTS = ((1, 1), (-1, 1), (-1, -1), (1, -1))

COLUMNS: tuple[Column, ...] = (
    Column("attention", "str",
           "phase: inattention (object unexpected), divided (may be expected), full "
           "(report only the object)"),
    Column("critical", "bool01", "1 on the trial that shows the unexpected object"),
    Column("trial_in_phase", "int", "trial number within the phase, from 1"),
    Column("longer_arm", "str", "the longer arm of the cross: horizontal|vertical"),
    Column("cross_x", "float", "cross centre, screen 'height' units (0 = centre)"),
    Column("cross_y", "float", "cross centre, screen 'height' units"),
    Column("location", "str",
           "fixation (object at fixation, cross in the parafovea) or parafovea (cross at "
           "fixation, object beside it)"),
    Column("object_shape", "str", "shape of the unexpected object; empty on other trials"),
    Column("object_x", "float", "object centre, 'height' units; empty without object"),
    Column("object_y", "float", "object centre, 'height' units; empty without object"),
    Column("arm_response", "str", "horizontal|vertical as answered; empty in the full phase"),
    Column("arm_correct", "bool01", "1 if the longer arm was named; empty in the full phase"),
    Column("noticed", "bool01",
           "answer to 'did you see anything else?': 1 yes, 0 no; empty when not asked"),
    Column("notice_rt_ms", "float", "ms from the question's onset to the Y/N key"),
    Column("recognition_options", "str",
           "the candidate shapes shown left to right, joined by ';' (object trials)"),
    Column("recognition_choice", "str", "the shape clicked; empty when none"),
    Column("identified", "bool01",
           "1 if the shape clicked is the object shown; empty without object"),
    Column("recognition_rt_ms", "float", "ms from the recognition display to the click"),
)


@dataclass(frozen=True)
class InattentionParams:
    """Every inattention parameter, with its default. Durations in ms, sizes
    as fractions of the screen height."""

    trials: int = param(3, "trials per phase; the last of each phase shows the object",
                        min=1, max=20)
    location: str = param("fixation", "where the unexpected object appears: fixation "
                          "(cross in the parafovea) or parafovea (cross at fixation)",
                          choices=LOCATIONS)
    offset: float = param(0.08, "distance of the parafoveal item (cross centre or object) "
                          "from fixation, fraction of screen height (about 2.3 deg at "
                          "60 cm on a 30 cm high screen)", min=0.02, max=0.45)
    cross_size: float = param(0.25, "length of the longer arm", min=0.05, max=0.8)
    arm_difference: float = param(0.1, "the shorter arm is this fraction shorter",
                                  min=0.01, max=0.5)
    object_size: float = param(0.035, "size of the unexpected object", min=0.01, max=0.2)
    object_colour: str = param("white", "colour of the object (the cross is white)",
                               choices=COLOURS)
    fixation_ms: int = param(1500, "fixation mark before the cross", unit="ms", min=0,
                             max=10000)
    cross_ms: int = param(200, "cross (and object) on screen", unit="ms", min=10, max=5000)
    mask_ms: int = param(500, "pattern mask after the cross", unit="ms", min=0, max=5000)
    recognition_choices: int = param(5, "shapes in the recognition display", min=2,
                                     max=len(SHAPES))
    arm_keys: tuple[str, ...] = param(("h", "v"), "keys for horizontal, vertical longer")
    yes_no_keys: tuple[str, ...] = param(("y", "n"), "keys for yes, no")
    click_timeout_ms: int = param(60000, "time allowed for the recognition click",
                                  unit="ms", min=1000, max=600000)
    iti_ms: int = param(1000, "blank interval after each trial", unit="ms", min=0,
                        max=10000)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        keys = list(self.arm_keys) + list(self.yes_no_keys)
        if len(self.arm_keys) != 2 or len(self.yes_no_keys) != 2:
            raise UsageError("arm_keys and yes_no_keys must each be two keys, e.g. h,v and y,n")
        if len(set(keys)) != 4 or "escape" in keys:
            raise UsageError(f"arm_keys and yes_no_keys must be four different keys "
                             f"(not escape), got {','.join(keys)}")


@dataclass(frozen=True)
class InattentionTrial:
    """One trial: phase, cross, and (on object trials) the object and the
    recognition options."""

    block: int
    phase: str  # practice | test (the session's phase; attention is the task's)
    attention: str
    critical: int
    trial_in_phase: int
    longer_arm: str
    cross_x: float
    cross_y: float
    location: str
    object_shape: str = ""
    object_x: float | None = None
    object_y: float | None = None
    recognition_options: tuple = ()
    # What the keys mean (for score; not data columns: the sidecar has the params).
    arm_keys: tuple = ("h", "v")
    yes_no_keys: tuple = ("y", "n")

    def row(self) -> dict:
        """The trial's own data columns."""
        return {"block": self.block, "phase": self.phase, "attention": self.attention,
                "critical": self.critical, "trial_in_phase": self.trial_in_phase,
                "longer_arm": self.longer_arm, "cross_x": self.cross_x,
                "cross_y": self.cross_y, "location": self.location,
                "object_shape": self.object_shape, "object_x": self.object_x,
                "object_y": self.object_y,
                "recognition_options": ";".join(self.recognition_options)}


def object_shapes(group: int) -> tuple[str, str, str]:
    """The objects of the three phases for counterbalancing ``group``: three
    different shapes, rotated through :data:`SHAPES` across participants.

    >>> object_shapes(0), object_shapes(1)
    (('square', 'diamond', 'triangle'), ('diamond', 'triangle', 'circle'))
    """
    return tuple(SHAPES[(group + k) % len(SHAPES)] for k in range(len(ATTENTION)))


def make_trials(params: InattentionParams, rng: random.Random, phase: str = "test",
                group: int = 0) -> list[InattentionTrial]:
    """Three blocks (inattention, divided, full) of ``params.trials`` trials;
    the last of each shows the object. No practice: the first critical trial
    must come before the participant knows anything else can appear."""
    if phase == "practice":
        return []
    shapes = object_shapes(group)
    trials = []
    for block, attention in enumerate(ATTENTION, start=1):
        arms = [ARMS[i % 2] for i in range(params.trials)]
        rng.shuffle(arms)
        for k in range(1, params.trials + 1):
            critical = int(k == params.trials)
            qx, qy = QUADRANTS[rng.randrange(4)]
            # Diagonal placement at the stated distance from fixation.
            dx, dy = qx * params.offset / 2 ** 0.5, qy * params.offset / 2 ** 0.5
            if params.location == "fixation":
                cross, obj = (round(dx, 4), round(dy, 4)), (0.0, 0.0)
            else:
                cross, obj = (0.0, 0.0), (round(dx, 4), round(dy, 4))
            extra = {}
            if critical:
                shape = shapes[block - 1]
                others = [s for s in SHAPES if s != shape]
                rng.shuffle(others)
                options = [shape, *others[:params.recognition_choices - 1]]
                rng.shuffle(options)
                extra = {"object_shape": shape, "object_x": obj[0], "object_y": obj[1],
                         "recognition_options": tuple(options)}
            trials.append(InattentionTrial(block, phase, attention, critical, k,
                                           arms[k - 1], cross[0], cross[1],
                                           params.location, **extra,
                                           arm_keys=tuple(params.arm_keys),
                                           yes_no_keys=tuple(params.yes_no_keys)))
    return trials


def counterbalance_group(participant: str) -> int:
    """The participant's counterbalancing number (digits of the label, as for
    Stroop): it rotates the phases' objects (:func:`object_shapes`).

    >>> counterbalance_group("P12")
    12
    """
    return counterbalance_index(participant, 2**31)


def counterbalance_groups(params: InattentionParams) -> int:
    """The rotations of the objects through :data:`SHAPES`."""
    return len(SHAPES)


def label_group(params: InattentionParams, participant: str) -> int:
    """The group the label rule gives: the label's number modulo the
    rotations (the same objects as the number itself)."""
    return counterbalance_group(participant) % counterbalance_groups(params)


def make_plan(params: InattentionParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The session's trials: no practice, the three phases as the test.

    >>> plan = make_plan(InattentionParams(trials=2), "P1", 8)
    >>> len(plan["practice"]), [t.critical for t in plan["test"]]
    (0, [0, 1, 0, 1, 0, 1])
    """
    check_group(group, counterbalance_groups(params))
    return {"practice": [],
            "test": make_trials(params, random.Random(seed), "test",
                                counterbalance_group(participant) if group is None
                                else group)}


def plan_facts(params: InattentionParams, participant: str,
               group: int | None = None) -> dict:
    """The sidecar's fact about the plan: the counterbalancing group (the
    label's number, or the allocated ``group``)."""
    check_group(group, counterbalance_groups(params))
    return {"counterbalance_group": counterbalance_group(participant)
            if group is None else group}


def score(trial: InattentionTrial, outcome) -> dict:
    """The response columns of one trial from its raw answers.

    ``outcome.details``: ``arm_key`` (the key pressed to "which arm was
    longer?", '' when not asked), ``notice_key`` and ``notice_rt_ms`` (the
    Y/N question, '' when not asked), ``recognition_choice`` and
    ``recognition_rt_ms`` (the shape clicked, '' when none). ``correct`` is
    the arm judgement, or in the full phase whether "yes" was said exactly
    on the object trial.

    >>> from attentionlab.core.outcome import Outcome
    >>> t = make_plan(InattentionParams(trials=1), "P1", 1)["test"][0]
    >>> r = score(t, Outcome(2.0, "h", 900.0, {"arm_key": "h", "notice_key": "n",
    ...     "notice_rt_ms": 700.0, "recognition_choice": t.object_shape,
    ...     "recognition_rt_ms": 1500.0}))
    >>> r["arm_response"], r["noticed"], r["identified"]
    ('horizontal', 0, 1)
    """
    details = outcome.details
    out = {"correct": None, "arm_response": "", "arm_correct": None, "noticed": None,
           "notice_rt_ms": None, "recognition_choice": "", "identified": None,
           "recognition_rt_ms": None}
    if trial.attention != "full":
        arm = dict(zip(trial.arm_keys, ARMS)).get(details.get("arm_key", ""), "")
        out.update(arm_response=arm, arm_correct=int(arm == trial.longer_arm),
                   correct=int(arm == trial.longer_arm))
    if details.get("notice_key"):
        said_yes = details["notice_key"] == trial.yes_no_keys[0]
        out.update(noticed=int(said_yes), notice_rt_ms=details.get("notice_rt_ms"))
        if trial.attention == "full":
            out["correct"] = int(said_yes == bool(trial.critical))
    if trial.critical:
        choice = details.get("recognition_choice", "")
        out.update(recognition_choice=choice, identified=int(choice == trial.object_shape),
                   recognition_rt_ms=details.get("recognition_rt_ms"))
    return out


def shape_vertices(shape: str, size: float) -> list | None:
    """Vertices of a shape ``size`` across, centred at 0 ('height' units);
    None for the circle (drawn as a circle).

    >>> len(shape_vertices("hexagon", 0.1)), shape_vertices("circle", 0.1)
    (6, None)
    """
    import math

    r = size / 2
    if shape == "circle":
        return None
    if shape == "square":
        return [(-r, -r), (-r, r), (r, r), (r, -r)]
    if shape == "diamond":
        return [(0, -r * 1.2), (-r, 0), (0, r * 1.2), (r, 0)]
    if shape == "triangle":
        return [(-r, -r * 0.85), (0, r), (r, -r * 0.85)]
    if shape == "hexagon":
        return [(r * math.cos(math.pi / 3 * i), r * math.sin(math.pi / 3 * i)) for i in range(6)]
    if shape == "star":
        return [((r if i % 2 == 0 else r * 0.45) * math.sin(math.pi / 5 * i),
                 (r if i % 2 == 0 else r * 0.45) * math.cos(math.pi / 5 * i))
                for i in range(10)]
    raise ValueError(f"unknown shape {shape!r}")


# The contract's name for this task's parameters (core/contracts.py).
PARAMS = InattentionParams
