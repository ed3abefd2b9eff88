"""What the participant reads in the inattentional-blindness task (English):
the one copy the desktop presenter (experiments/inattention.py) and the browser version
(web/tasks/inattention.py) both use.

Placeholders: ``{h}``/``{v}`` the arm keys, ``{y}``/``{n}`` the yes/no keys
(upper case). ``break_1``/``break_2`` are the screens before phases 2 and 3.
"""

TEXTS = {
    "welcome": (
        "Which arm is longer?\n\n"
        "Keep your eyes on the small + in the middle of the screen. A large cross will "
        "flash very briefly, sometimes a little away from the middle: keep looking at the "
        "middle all the same.\n\n"
        "After each cross, say which of its two arms was longer:\n"
        "{h} = the horizontal arm,  {v} = the vertical arm.\n\n"
        "The difference is small; if you are not sure, guess.\n\n"
        "Press SPACE to start."),
    "test": "Ready? Eyes on the middle.\n\nPress SPACE to start.",
    "break_1": "Continue as before: keep your eyes on the middle and say which arm of the "
               "cross is longer.\n\nPress SPACE to continue.",
    "break_2": "Now something different: IGNORE the cross, do not judge it.\n\n"
               "Keep your eyes on the middle and just tell us whether anything OTHER than "
               "the cross appears on the screen.\n\nPress SPACE to continue.",
    "break": "Press SPACE to continue.",
    "thanks": "Thank you!\n\nThis study was about inattentional blindness: while people "
              "attend to one thing (the cross), they often do not see an unexpected object "
              "right where they are looking (Mack & Rock, 1998).\n\nPress SPACE to close.",
    "arm": "Which arm of the cross was longer?\n\n{h} = horizontal        {v} = vertical",
    "notice_critical": "On that last trial, did you see anything on the screen that had "
                       "not been there on the trials before?\n\n{y} = yes        {n} = no",
    "notice_full": "Did you see anything other than the cross?\n\n{y} = yes        {n} = no",
    "recognition": "Which of these shapes was on the screen? Click it.\n"
                   "If you did not see anything, please guess.",
}
