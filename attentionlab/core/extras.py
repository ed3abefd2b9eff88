"""The optional parts of attentionlab and the one line that installs each.

``pip install attentionlab`` is the analysis (analyze, simulate, power,
class-report, export, params). Two extras add the rest:

- ``[speech]``: PocketSphinx and soundfile, to score recorded speech
  (shadowing in the dichotic analysis, the voicekey figures);
- ``[lab]``: PsychoPy, sounddevice and (on Linux) python-xlib, to run
  sessions; it includes ``[speech]``.

Modules of an extra are imported where they are used, never at import time,
so a missing extra is found by :func:`require_lab` / :func:`require_speech`
and reported in one line (a :class:`UsageError`, exit 2).

>>> has_module("json"), has_module("no_such_module_here")
(True, False)
"""

import importlib.util
import sys

from attentionlab.core.errors import UsageError

LAB_INSTALL = "pip install 'attentionlab[lab]'"
SPEECH_INSTALL = "pip install 'attentionlab[speech]'"
# PsychoPy 2026.2 declares Requires-Python <3.13,>=3.10 (its wheel's METADATA).
PSYCHOPY_PYTHONS = ((3, 10), (3, 12))


def has_module(name: str) -> bool:
    """True if ``import name`` would find the module (it is not imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a parent missing, or a module set to None
        return False


def psychopy_python_note() -> str:
    """Why PsychoPy cannot be installed on this Python, or '' when it can."""
    low, high = PSYCHOPY_PYTHONS
    if low <= sys.version_info[:2] <= high:
        return ""
    return (f" (PsychoPy supports Python {low[0]}.{low[1]} to {high[0]}.{high[1]}; this is "
            f"Python {sys.version_info[0]}.{sys.version_info[1]}: make the environment with "
            f"one of those, or use PsychoPy Standalone's own Python)")


def require_lab(purpose: str = "running sessions") -> None:
    """Raise a one-line :class:`UsageError` when PsychoPy is not installed."""
    if not has_module("psychopy"):
        raise UsageError(f"{purpose} needs the lab extra: {LAB_INSTALL}"
                         f"{psychopy_python_note()}")


def missing_speech() -> list[str]:
    """The ``[speech]`` packages that are not installed (PyPI names)."""
    return [package for module, package in (("pocketsphinx", "pocketsphinx"),
                                             ("soundfile", "soundfile"))
            if not has_module(module)]


def require_speech(purpose: str = "scoring recorded speech") -> None:
    """Raise a one-line :class:`UsageError` when PocketSphinx or soundfile is missing."""
    missing = missing_speech()
    if missing:
        raise UsageError(f"{purpose} needs the speech extra ({', '.join(missing)} not "
                         f"installed): {SPEECH_INSTALL}")
