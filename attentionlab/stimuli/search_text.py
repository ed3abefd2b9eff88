"""What the participant reads in the visual-search task (English).

Written for someone who has never done a search experiment: what the items
look like, what to look for in the coming block, which key means what.
Placeholders: ``{present}``/``{absent}`` are the key names (upper case),
``{left}``/``{right}`` the two keys from left to right,
``{keys}`` both keys' meanings in one line (left key first),
``{block}``/``{n_blocks}`` numbers, ``{deadline_s}`` the deadline in seconds.
The block screens sit under a picture of the target and the other items,
so their texts refer to it ("shown above").
"""

TEXT = {
    "welcome": (
        "In this task you will see screens full of small shapes.\n\n"
        "On each screen, one special shape - the TARGET - may be there or not. "
        "Decide as quickly as you can whether it is there:\n\n"
        "press {present} if the target IS there,\n"
        "press {absent} if the target is NOT there.\n\n"
        "Before each block you will be shown which shape is the target in that block. "
        "Keep your index fingers on {left} and {right}, and look at the "
        "cross in the middle before each screen.\n\n"
        "Answer as fast as you can while making as few mistakes as possible.\n\n"
        "Press SPACE to continue."),
    "practice": ("First a short practice of each kind of search. After each answer you "
                 "will see whether it was right.\n\nPress SPACE to start the practice."),
    "test": ("Practice is over. Now the real task begins; there is no more feedback.\n\n"
             "Press {present} if the target is there, {absent} if it is not.\n\n"
             "Press SPACE to continue."),
    "break": ("Block {block} of {n_blocks} done. Take a short break.\n\n"
              "Press SPACE when you are ready to continue."),
    "thanks": "That is the end of the task. Thank you!\n\n"
              "Please tell the experimenter you have finished.",
    # Block screens: the first line names the block, then what to look for.
    "block_practice": "Practice: {what}",
    "block_test": "Block {block} of {n_blocks}: {what}",
    "block_body": ("\n\nThe target is shown on the left above, the other shapes on the right.\n\n"
                   "{keys}\n\n"
                   "Press SPACE to start."),
    "what_feature": "look for a RED bar among GREEN bars.",
    "what_conjunction": ("look for a RED UPRIGHT bar among red lying bars and green "
                         "upright bars."),
    "what_spatial": ("look for a T among Ls. Both can be turned any way round: "
                     "sideways or upside down."),
    "label_target": "Target",
    "label_others": "Other shapes",
    # Key reminders, put together left key first ({keys} above, the practice legend).
    "key_present": "{key} = the target is there",
    "key_absent": "{key} = it is not there",
    "legend_present": "{key} = target there",
    "legend_absent": "{key} = not there",
    "correct": "Correct",
    "wrong_present": "Wrong: the target WAS there",
    "wrong_absent": "Wrong: there was NO target",
    "too_slow": "Too slow: answer within {deadline_s:g} s",
}
