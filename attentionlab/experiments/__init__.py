"""How it is shown: PsychoPy presentation, the session runner, the command line.

PsychoPy is imported lazily (inside functions), so ``attentionlab params``
and argument errors answer instantly and work without a display.
"""
