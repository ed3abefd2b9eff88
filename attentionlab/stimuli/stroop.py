"""Stroop task: parameters, data columns, the trial plan, key mapping and
scoring (pure; the task contract's definition, core/contracts.py).

>>> plan = make_plan(StroopParams(trials=48), "P1", seed=1)
>>> sorted({t.congruency for t in plan["test"]}), len(plan["practice"])
(['congruent', 'incongruent', 'neutral'], 12)
>>> from attentionlab.core.outcome import Outcome
>>> trial = plan["test"][0]
>>> score(trial, Outcome(2.5, trial.correct_key, 640.0))["correct"]
1
"""

import random
import zlib
from dataclasses import dataclass

from attentionlab.core.allocation import check_group
from attentionlab.core.columns import Column
from attentionlab.core.errors import UsageError
from attentionlab.core.params import param
from attentionlab.stimuli.recording import RECORDING_COLUMNS
from attentionlab.stimuli.stroop_words import (COLOUR_WORDS, INK_COLOURS, LANGUAGES,
                                               NEUTRAL_WORDS)

TASK = "stroop"
CONDITIONS = ("congruent", "incongruent", "neutral")

COLUMNS: tuple[Column, ...] = (
    Column("word", "str", "the word shown (upper case, in the session language)"),
    Column("ink", "str", "ink colour of the word: red|green|blue|yellow"),
    Column("congruency", "str",
           "congruent (word names its ink), incongruent (names another colour), "
           "neutral (non-colour word or X-string)"),
    Column("word_colour", "str", "the colour the word names; empty for neutral words"),
    Column("correct_key", "str", "the key mapped to the ink colour"),
    Column("response_colour", "str", "the colour mapped to the key pressed; empty when none"),
    Column("lang", "str", "language of the words: en|de|fr|es|nl"),
    Column("response_mode", "str",
           "how the participant answered: keys|voice|touch (touch: coloured buttons on a "
           "touch screen in the browser classroom; response is then the colour tapped)"),
    *RECORDING_COLUMNS,
    Column("voice_onset_ms", "float",
           "voice mode: the voice key's onset, ms after the word's onset flip, also when "
           "past the deadline (rt_ms is then empty); empty when no voice was found"),
)
RESPONSE_MODES = ("keys", "voice")
# The browser classroom's four coloured buttons (attentionlab/web/tasks/stroop.py): not a
# session parameter (the desktop has no buttons); a keys trial's outcome says it in
# ``details['response_mode']``, and its response is the colour tapped.
TOUCH = "touch"
VOICE_LANGS = ("en",)  # PocketSphinx ships an English model only


@dataclass(frozen=True)
class StroopParams:
    """Every Stroop parameter, with its default. Durations in ms."""

    trials: int = param(144, "number of test trials (rounded up to a balanced design)",
                        min=1, max=2000)
    blocks: int = param(3, "number of test blocks, with a self-paced break between them",
                        min=1, max=20)
    practice_trials: int = param(12, "practice trials with feedback before the test",
                                 min=0, max=200)
    conditions: tuple[str, ...] = param(
        CONDITIONS, "conditions included (comma-separated)", choices=CONDITIONS)
    condition_weights: tuple[int, ...] = param(
        (1, 1, 1), "relative numbers of trials per condition, in the order of "
        "'conditions' (1,1,1 = equal numbers)", min=1, max=10)
    max_same_condition_run: int = param(
        3, "at most this many trials of the same condition in a row", min=1, max=100)
    neutral: str = param("word", "neutral stimulus: a non-colour word or a row of X's",
                         choices=("word", "xxxx"))
    lang: str = param("en", "language of the words and instructions", choices=LANGUAGES)
    keys: tuple[str, ...] = param(("d", "f", "j", "k"),
                                  "the four response keys, left to right")
    key_mapping: str = param(
        "auto", "which colour goes on which key: 'auto' counterbalances by participant "
        "label (see docs/tasks/stroop.md), or an explicit order of the colours on the "
        "keys, e.g. red,green,blue,yellow")
    fixation_ms: int = param(500, "fixation cross before the word", unit="ms", min=0, max=5000)
    deadline_ms: int = param(2000, "word stays until a response or this deadline",
                             unit="ms", min=100, max=10000)
    iti_ms: int = param(700, "blank inter-trial interval after the response", unit="ms",
                        min=0, max=10000)
    feedback_ms: int = param(800, "duration of practice feedback", unit="ms", min=100,
                             max=5000)
    show_legend_in_test: bool = param(
        False, "also show the key legend during test trials (always shown in practice)")
    word_height: float = param(0.12, "letter height as a fraction of the screen height",
                               min=0.02, max=0.5)
    word_height_deg: float = param(
        3.6, "letter height in degrees of visual angle, drawn instead of word_height when "
        "the monitor is calibrated (--monitor or a study's [monitor])", unit="deg", min=0.2,
        max=20)
    response: str = param(
        "keys", "how the participant answers: 'keys' (press the key for the ink) or 'voice' "
        "(name the ink aloud; voice key + speech recognition; English only)",
        choices=RESPONSE_MODES)
    input_device: str = param("", "voice mode: microphone, name or number as listed by "
                              "'python -m sounddevice' (empty: the default input)")
    mic_check_ms: int = param(4000, "voice mode: recording time of the microphone check "
                              "before the task (0 skips it)", unit="ms", min=0, max=30000)
    voice_threshold_db: float = param(
        15.0, "voice mode: the voice key fires where the level stays this far above the "
        "recording's noise floor for 40 ms", unit="dB", min=3, max=60)

    def check(self) -> None:
        """Cross-parameter checks (raise UsageError)."""
        if len(self.condition_weights) != len(self.conditions):
            raise UsageError(
                f"condition_weights has {len(self.condition_weights)} values but conditions "
                f"has {len(self.conditions)}; give one weight per condition")
        if len(set(self.conditions)) != len(self.conditions):
            raise UsageError("conditions lists a condition twice")
        if len(self.keys) != 4 or len(set(self.keys)) != 4:
            raise UsageError(f"keys must be four different keys, got {','.join(self.keys)}")
        if self.response == "voice" and self.lang not in VOICE_LANGS:
            raise UsageError(f"response=voice needs lang=en (the speech recogniser, "
                             f"PocketSphinx, ships an English model only), got "
                             f"lang={self.lang}")
        if self.key_mapping != "auto":
            order = tuple(s.strip() for s in self.key_mapping.split(","))
            if sorted(order) != sorted(INK_COLOURS):
                raise UsageError(
                    f"key_mapping must be 'auto' or the four colours "
                    f"{','.join(INK_COLOURS)} in some order, got {self.key_mapping!r}")


@dataclass(frozen=True)
class StroopTrial:
    """One trial's factors and its correct answer."""

    block: int
    phase: str  # practice | test
    word: str
    ink: str
    congruency: str
    word_colour: str  # empty for neutral words
    correct_key: str
    lang: str
    # Not columns of the trial: what scoring needs (the session's answer mode
    # and which colour each key stands for; no keys in voice mode).
    response_mode: str = "keys"
    key_colours: tuple = ()  # ((key, colour), ...)

    def row(self) -> dict:
        """The trial's own data columns."""
        return {"block": self.block, "phase": self.phase, "word": self.word, "ink": self.ink,
                "congruency": self.congruency, "word_colour": self.word_colour,
                "correct_key": self.correct_key, "lang": self.lang}

    def key_for(self, colour: str) -> str:
        """The key that stands for ``colour`` ('' when none, e.g. voice mode)."""
        return next((k for k, c in self.key_colours if c == colour), "")

    def colour_for(self, key: str) -> str:
        """The colour the key ``key`` stands for ('' when none)."""
        return dict(self.key_colours).get(key, "")


def colour_to_key(params: StroopParams, participant: str, group: int | None = None) -> dict:
    """Map each ink colour to a key.

    Rule for ``key_mapping='auto'``: take the number in the participant label
    (the digits, e.g. ``P07`` -> 7; a label without digits uses the CRC-32 of
    the label), and rotate the colour order red, green, blue, yellow by that
    number modulo 4 across the keys. Four consecutive participant numbers
    therefore see the four rotations, so each colour sits on each key equally
    often (a Latin square of key assignments). An allocated ``group`` (0..3,
    :mod:`attentionlab.core.allocation`) replaces the label's number.

    >>> colour_to_key(StroopParams(), "P01")
    {'green': 'd', 'blue': 'f', 'yellow': 'j', 'red': 'k'}
    """
    if params.key_mapping != "auto":
        order = [s.strip() for s in params.key_mapping.split(",")]
    else:
        shift = counterbalance_index(participant, 4) if group is None else group
        order = list(INK_COLOURS[shift:] + INK_COLOURS[:shift])
    return dict(zip(order, params.keys))


def counterbalance_index(participant: str, n: int) -> int:
    """The participant's counterbalancing group, 0..n-1 (digits in the label,
    else its CRC-32), documented in docs/tasks/stroop.md."""
    digits = "".join(ch for ch in participant if ch.isdigit())
    number = int(digits) if digits else zlib.crc32(participant.encode())
    return number % n


def balanced_trial_count(params: StroopParams, n_trials: int) -> int:
    """Round ``n_trials`` up so that every block holds each condition in its
    weight and each ink equally often within each condition."""
    unit = sum(params.condition_weights) * len(INK_COLOURS) * params.blocks
    return -(-n_trials // unit) * unit


def make_trials(params: StroopParams, rng: random.Random, n_trials: int | None = None,
                phase: str = "test", mapping: dict | None = None) -> list[StroopTrial]:
    """The trial list: balanced, shuffled within blocks, condition runs bounded.

    Test trials are split into ``params.blocks`` blocks; practice is one block
    of ``params.practice_trials`` (balanced as far as the number allows).
    ``mapping`` is the colour->key dict (default: keys in colour order).
    """
    mapping = mapping or dict(zip(INK_COLOURS, params.keys))
    key_colours = tuple((key, colour) for colour, key in mapping.items() if key)
    if phase == "practice":
        n_blocks, per_block_total = 1, params.practice_trials
        if per_block_total == 0:
            return []
    else:
        total = balanced_trial_count(params, n_trials or params.trials)
        n_blocks, per_block_total = params.blocks, total // params.blocks
    trials = []
    for block in range(1, n_blocks + 1):
        items = _block_items(params, rng, per_block_total)
        for congruency, ink, word_colour, word in _order_items(items, rng, params):
            trials.append(StroopTrial(block, phase, word, ink, congruency, word_colour,
                                      mapping[ink], params.lang, params.response,
                                      key_colours))
    return trials


def _block_items(params, rng, n):
    """n (congruency, ink, word_colour, word) items, balanced as far as n allows."""
    weights = dict(zip(params.conditions, params.condition_weights))
    unit = [c for c in params.conditions for _ in range(weights[c])]
    items = []
    # Cycle conditions x inks in a fixed order, so any prefix is near-balanced.
    cells = [(c, ink) for c in unit for ink in INK_COLOURS]
    cells.sort(key=lambda cell: INK_COLOURS.index(cell[1]))
    full, rest = divmod(n, len(cells))
    chosen = cells * full + rng.sample(cells, rest)
    neutral_cycle = {ink: list(NEUTRAL_WORDS[params.lang]) for ink in INK_COLOURS}
    incongruent_cycle = {ink: [c for c in INK_COLOURS if c != ink] for ink in INK_COLOURS}
    for lst in list(neutral_cycle.values()) + list(incongruent_cycle.values()):
        rng.shuffle(lst)
    counters = {}
    words = COLOUR_WORDS[params.lang]
    for congruency, ink in chosen:
        k = counters.get((congruency, ink), 0)
        counters[(congruency, ink)] = k + 1
        if congruency == "congruent":
            items.append((congruency, ink, ink, words[ink]))
        elif congruency == "incongruent":
            wc = incongruent_cycle[ink][k % 3]
            items.append((congruency, ink, wc, words[wc]))
        else:
            if params.neutral == "xxxx":
                word = "X" * len(words[INK_COLOURS[k % 4]])
            else:
                word = neutral_cycle[ink][k % len(neutral_cycle[ink])]
            items.append((congruency, ink, "", word))
    return items


def _order_items(items, rng, params, max_restarts=1000):
    """Shuffle so that no condition occurs more than ``max_same_condition_run``
    times in a row. Builds the order trial by trial, drawing the next
    condition in proportion to what is left; restarts on a dead end."""
    limit = params.max_same_condition_run
    for _ in range(max_restarts):
        pools = {}
        for item in items:
            pools.setdefault(item[0], []).append(item)
        for pool in pools.values():
            rng.shuffle(pool)
        order, run_cond, run_len = [], None, 0
        while any(pools.values()):
            allowed = [c for c, pool in pools.items()
                       if pool and not (c == run_cond and run_len >= limit)]
            if not allowed:
                break
            weights = [len(pools[c]) for c in allowed]
            cond = rng.choices(allowed, weights=weights)[0]
            order.append(pools[cond].pop())
            run_len = run_len + 1 if cond == run_cond else 1
            run_cond = cond
        else:
            return order
    raise UsageError(
        f"cannot order the trials with at most {limit} of the same condition in a row; "
        f"raise max_same_condition_run or balance the condition weights")


def trial_keys(params: StroopParams, participant: str, group: int | None = None) -> dict:
    """Colour -> key of the session's trials: :func:`colour_to_key`, or ''
    for every colour in voice mode (no keys to map)."""
    if params.response == "voice":
        return dict.fromkeys(INK_COLOURS, "")
    return colour_to_key(params, participant, group)


def counterbalance_groups(params: StroopParams) -> int:
    """How many counterbalancing groups these settings have: the four key
    rotations with ``key_mapping='auto'`` and keys, else 1.

    >>> counterbalance_groups(StroopParams()), counterbalance_groups(StroopParams(response="voice"))
    (4, 1)
    """
    return 4 if params.response != "voice" and params.key_mapping == "auto" else 1


def label_group(params: StroopParams, participant: str) -> int:
    """The group the label rule gives (:func:`counterbalance_index`), 0 when
    there is only one group."""
    return counterbalance_index(participant, counterbalance_groups(params))


def make_plan(params: StroopParams, participant: str, seed: int,
              group: int | None = None) -> dict:
    """The session's trials: practice, then test, from one ``random.Random(seed)``
    (the real session, its autopilot and data-only simulation all call this).

    >>> plan = make_plan(StroopParams(trials=36), "P2", 7)
    >>> len(plan["practice"]), len(plan["test"]), plan["test"][0].response_mode
    (12, 36, 'keys')
    """
    check_group(group, counterbalance_groups(params))
    rng = random.Random(seed)
    mapping = trial_keys(params, participant, group)
    return {"practice": make_trials(params, rng, phase="practice", mapping=mapping),
            "test": make_trials(params, rng, phase="test", mapping=mapping)}


def plan_facts(params: StroopParams, participant: str, group: int | None = None) -> dict:
    """Sidecar facts about the plan: the key counterbalancing group (none in
    voice mode, where there are no keys); ``group`` as for :func:`make_plan`
    (None: the label rule).

    >>> plan_facts(StroopParams(), "P07")
    {'counterbalance_group': 3}
    """
    if params.response == "voice":
        return {}
    check_group(group, counterbalance_groups(params))
    return {"counterbalance_group": counterbalance_index(participant, 4)
            if group is None else group}


def score(trial: StroopTrial, outcome) -> dict:
    """The response columns of one trial, for keys and voice alike.

    The answer is the colour the pressed key stands for (keys) or the colour
    name heard in the recording (voice: ``outcome.details['heard_colour']``);
    it counts only when there was a response in the response window
    (``outcome.rt_ms`` set). Correct = that colour is the ink. A keys trial
    answered on the browser's coloured buttons (``outcome.details
    ['response_mode'] == 'touch'``) records the colour tapped as the
    response, and ``response_mode`` says touch. Voice mode
    passes on the recording's facts from ``outcome.details``
    (``recording_file``, ``recording_offset_ms``, ``voice_onset_ms``).

    >>> from attentionlab.core.outcome import Outcome
    >>> t = StroopTrial(1, "test", "RED", "blue", "incongruent", "red", "f", "en",
    ...                 "keys", (("d", "red"), ("f", "blue")))
    >>> s = score(t, Outcome(3.0, "d", 700.0))
    >>> s["correct"], s["response_colour"], s["response_mode"]
    (0, 'red', 'keys')
    >>> s = score(t, Outcome(3.0, "blue", 650.0, details={"response_mode": "touch"}))
    >>> s["correct"], s["response_colour"], s["response_mode"]
    (1, 'blue', 'touch')
    """
    details = outcome.details
    answered = outcome.rt_ms is not None
    mode = trial.response_mode
    if mode == "keys" and details.get("response_mode") == TOUCH:
        mode = TOUCH
    if mode == "voice":
        colour = details.get("heard_colour", "") if answered else ""
    elif mode == TOUCH:
        colour = outcome.response if answered and outcome.response in INK_COLOURS else ""
    else:
        colour = trial.colour_for(outcome.response) if answered else ""
    return {"correct": int(answered and colour == trial.ink), "response_colour": colour,
            "response_mode": mode,
            "recording_file": details.get("recording_file", ""),
            "recording_offset_ms": details.get("recording_offset_ms"),
            "voice_onset_ms": details.get("voice_onset_ms")}


# The contract's name for this task's parameters (core/contracts.py).
PARAMS = StroopParams

# Sizes declared in degrees -> the screen-unit parameter drawn without a
# calibrated monitor (experiments/monitor_geometry.py, docs/study.md).
DEGREE_SIZES = {"word_height_deg": "word_height"}
