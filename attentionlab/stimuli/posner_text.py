"""What the participant reads in the Posner cueing task (English): the one copy
the desktop presenter (experiments/posner.py) and the browser version
(web/tasks/posner.py) both use, so the words cannot drift apart.

Placeholders: ``{key}`` the response key (upper case), ``{n}`` a number of
trials, ``{first}``/``{next}`` a line saying which cue comes (from
:func:`cue_line`), ``{block}``/``{n_blocks}`` numbers, ``{rt}`` an RT in ms.

>>> from attentionlab.stimuli.posner import PosnerParams
>>> cue_words(PosnerParams(validity_weights=(3, 1, 0)), "endogenous")
'an ARROW in the centre points to one box'
"""

CUE_WORDS = {
    "endogenous": "an ARROW in the centre points to one box",
    "exogenous": "one box FLASHES brighter for a moment",
}
NEUTRAL_WORDS = {  # added only when the design has neutral cues
    "endogenous": " (sometimes a double arrow points to both)",
    "exogenous": " (sometimes both boxes do)",
}
TEXT = {
    "welcome": (
        "Welcome!\n\n"
        "Keep your eyes on the cross in the middle of the screen the whole time. "
        "There is a box on each side.\n\n"
        "On each trial a DOT appears in one of the boxes. Press {key} as fast as you can "
        "when you see it.\n\n"
        "Just before the dot, a signal tells you where it will probably be: {cues}. "
        "The signal is usually right, but not always. Do not move your eyes to the box: "
        "keep them on the cross and just press when the dot comes.\n\n"
        "Sometimes no dot comes at all: then do not press.\n\n"
        "Press SPACE to continue."),
    "practice": ("First, {n} practice trials with feedback.\n\n{first}\n\n"
                 "Press SPACE to start."),
    "test": ("Now the real trials begin, without feedback.\n\n{first}\n\n"
             "Keep your eyes on the cross. Press SPACE to start."),
    "break": ("Block {block} of {n_blocks} done. Take a short break.\n\n{next}\n\n"
              "Press SPACE to continue."),
    "thanks": "Thank you! That is the end of the task.\n\nPress SPACE to finish.",
    "block_cue": "In the next block the signal is: {words}.",
    "correct": "Good: {rt:.0f} ms",
    "too_slow": "Missed: press {key} as soon as you see the dot",
    "catch_ok": "Right: there was no dot, so you did not press",
    "catch_pressed": "There was no dot this time: wait until you see one",
}


def cue_words(params, cue_type: str) -> str:
    """What the cue of ``cue_type`` looks like, in the participant's words
    (the neutral cue is mentioned only when the design has neutral trials)."""
    neutral = params.validity_weights[2] > 0
    return CUE_WORDS[cue_type] + (NEUTRAL_WORDS[cue_type] if neutral else "")


def cue_line(params, cue_type: str) -> str:
    """'In the next block the signal is: ...'."""
    return TEXT["block_cue"].format(words=cue_words(params, cue_type))


def practice_cues(params, block_types: list) -> str:
    """Which signal the practice trials use (the plan's split: the first
    half with the first block's cue type, the rest with the other)."""
    types = list(dict.fromkeys(block_types))
    n = params.practice_trials
    first = -(-n // len(types))
    if len(types) == 1 or n - first == 0:
        return cue_line(params, types[0])
    return (f"In the first {first} the signal is: {cue_words(params, types[0])}.\n"
            f"In the other {n - first}: {cue_words(params, types[1])}.")


def welcome(params, block_types: list) -> str:
    """The first instruction page."""
    types = list(dict.fromkeys(block_types))
    cues = "; in other blocks ".join(cue_words(params, c) for c in types)
    if len(types) == 2:
        cues = "in some blocks " + cues
    return TEXT["welcome"].format(key=params.key.upper(), cues=cues)


def screen_text(params, block_types: list, name: str, **fields) -> str:
    """The words of screen ``name`` (practice, test, break, thanks, ...)
    with the cue lines filled in from the plan's ``block_types``."""
    if name == "practice":
        fields = {"n": params.practice_trials, "first": practice_cues(params, block_types),
                  **fields}
    elif name == "test":
        fields = {"first": cue_line(params, block_types[0]), **fields}
    elif name == "break":
        following = block_types[fields["block"]] if fields["block"] < len(
            block_types) else block_types[-1]
        fields = {"next": cue_line(params, following), **fields}
    return TEXT[name].format(key=params.key.upper(), **fields)
