"""Exceptions raised at the boundary where a user's input enters the program.

The command line turns a :class:`UsageError` into one line on stderr and exit
status 2, never a traceback: a user mistake is not a crash.
"""


class UsageError(ValueError):
    """Bad input from the user: says what is wrong and what is allowed."""
