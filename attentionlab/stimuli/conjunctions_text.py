"""What the participant reads in the illusory-conjunctions task (English): the one copy the
desktop presenter (experiments/conjunctions.py) and the browser version
(web/tasks/conjunctions.py) both use.

Placeholders: ``{block}``/``{n_blocks}`` numbers, ``{i}``/``{n}`` the report
number and the number of reports.
"""

TEXT = {
    "welcome": (
        "Letters and colours\n\n"
        "Keep your eyes on the + in the middle of the grey strip. A row like\n\n"
        "5   T   X   O   8\n\n"
        "will flash for a moment: two black digits at the ends and three coloured "
        "letters between them. Then coloured stripes cover it.\n\n"
        "1.  Type the two digits (number keys; Backspace corrects the first digit). The digits "
        "come first: try hard to get them right.\n"
        "2.  Then report the three letters and their colours: click each letter you saw, "
        "in the colour you saw it in. Each click counts; if you are not sure, guess.\n\n"
        "Press SPACE to continue."),
    "practice": ("First a few practice trials. After each one you will see what was "
                 "shown and what you reported.\n\nPress SPACE to start."),
    "test": ("Now the real trials. There is no feedback any more.\n\n"
             "Digits first, then the letters and their colours.\n\nPress SPACE to start."),
    "break": ("Break: block {block} of {n_blocks} done.\n\nRest your eyes for a moment.\n\n"
              "Press SPACE to continue."),
    "thanks": "Thank you! You are done.\n\nPress SPACE to finish.",
    "digits_prompt": "Type the two digits",
    "report_prompt": "Click a letter you saw, in its colour   ({i} of {n})",
    "report_done": "",
}
