"""Exceptions raised at the boundary where a user's input enters the program.

The command line turns a :class:`UsageError` into one line on stderr and exit
status 2, never a traceback: a user mistake is not a crash.
"""

import difflib


class UsageError(ValueError):
    """Bad input from the user: says what is wrong and what is allowed."""


class DeviceError(UsageError):
    """A display, keyboard or sound device that cannot be opened.

    Not a crash either: the computer is not set up as the session needs, so
    the command line reports it in one line (exit status 2), like a mistake
    on the command line, and nothing has been written yet.
    """


def did_you_mean(name: str, allowed) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or ``''``.

    >>> did_you_mean("deadlin_ms", ["deadline_ms", "iti_ms"])
    " (did you mean 'deadline_ms'?)"
    >>> did_you_mean("zzz", ["deadline_ms"])
    ''
    """
    close = difflib.get_close_matches(str(name), [str(a) for a in allowed], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_name(what: str, name: str, allowed, *, listed: str = "allowed",
                 hint: str = "") -> UsageError:
    """The one-line error for a name that is not one of ``allowed``:
    ``unknown task 'strop' (did you mean 'stroop'?); available: stroop, ...``.

    ``what`` names the kind of thing (``'task'``, ``'parameter'``), ``listed``
    introduces the list, ``hint`` is appended (e.g. where to read more).

    >>> str(unknown_name("task", "strop", ["stroop", "search"], listed="available"))
    "unknown task 'strop' (did you mean 'stroop'?); available: stroop, search"
    """
    allowed = list(allowed)
    message = (f"unknown {what} {name!r}{did_you_mean(name, allowed)}; "
               f"{listed}: {', '.join(map(str, allowed))}")
    return UsageError(f"{message} {hint}" if hint else message)
