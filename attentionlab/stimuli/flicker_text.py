"""What the participant reads in the flicker task (change blindness) (English): the one copy the
desktop presenter (experiments/flicker.py) and the browser version
(web/tasks/flicker.py) both use.

Placeholders: ``{key}`` the detect key (upper case), ``{timeout}`` seconds,
``{n}``/``{pictures}`` the practice count and its noun, ``{block}``/``{n_blocks}``.
"""

TEXTS = {
    "welcome": (
        "Spot the change\n\n"
        "In each trial a picture flickers: it alternates with a slightly changed version "
        "of itself, with a brief grey screen in between. One thing changes: an object "
        "disappears, changes colour, or moves.\n\n"
        "Press {key} as soon as you see what changes. Then click with the mouse on the "
        "place where the change is.\n\n"
        "In some pictures there is no grey screen between the versions. If you have not "
        "found the change after {timeout} seconds, the trial ends by itself.\n\n"
        "Keep your eyes on the screen. Press SPACE to continue."),
    "practice": "First, practice ({n} {pictures}). After each one you will see where the "
                "change was.\n\nPress SPACE to start.",
    "test": "Now the real pictures. Press {key} as soon as you see the change, then click "
            "on it.\n\nPress SPACE to start.",
    "break": "Break: block {block} of {n_blocks} done.\n\nPress SPACE to continue.",
    "thanks": "Thank you! This part is finished.\n\nPress SPACE to close.",
    "click": "Click where the change was",
    "feedback": "The change was here",
    "timeout": "Time is up. The change was here",
    "missed": "Not quite. The change was here",
}
