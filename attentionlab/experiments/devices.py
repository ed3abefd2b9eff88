"""Opening the display, keyboard and sound devices: one clear line when one
cannot be opened, never a traceback.

A session needs devices that a command-line check cannot see: an X display
that answers (a stale SSH session leaves ``$DISPLAY`` pointing at nothing), a
window, a keyboard backend, sound output or a microphone. Each failure
becomes a :class:`~attentionlab.core.errors.DeviceError`, which the command
line prints as one line with exit status 2. They are all opened before the
data file is created, so a device that fails leaves nothing on disk.

>>> with opening("the window"):  # no failure: nothing happens
...     pass
"""

import contextlib
import os
import sys

from attentionlab.core.errors import DeviceError

def check_display(name: str | None = None, command: str = "run ...") -> None:
    """On Linux, check that the X display ``name`` (default ``$DISPLAY``) is
    set and answers, before PsychoPy tries to open a window on it.
    ``command`` is shown in the xvfb-run hint (``attentionlab COMMAND``).

    Raises :class:`DeviceError`, e.g. ``cannot open display :99: connection
    refused (no X server there?) ...``. Elsewhere (Windows, macOS) it does
    nothing: there the window's own failure is reported by :func:`opening`.
    """
    if not sys.platform.startswith("linux"):
        return
    name = os.environ.get("DISPLAY", "") if name is None else name
    hint = (f"Run on a screen, or on a virtual one with "
            f"'xvfb-run -s \"-screen 0 1024x768x24\" attentionlab {command}'")
    if not name:
        raise DeviceError(f"no display: $DISPLAY is not set. {hint}")
    try:
        # python-xlib is Linux-only and comes with PsychoPy there; without it
        # the window's own error (through opening()) still makes one line.
        from Xlib import display as xdisplay
        from Xlib import error as xerror
    except ImportError:
        return
    try:
        connection = xdisplay.Display(name)
    except xerror.DisplayNameError:
        raise DeviceError(f"cannot open display {name}: not a display name (expected "
                          f"e.g. :0 or localhost:10.0). {hint}") from None
    except xerror.DisplayError as exc:
        raise DeviceError(f"cannot open display {name}: {_reason(exc)} (no X server "
                          f"there, or an SSH session that has ended?). "
                          f"{hint}") from None
    connection.close()


def _reason(exc) -> str:
    """'[Errno 111] Connection refused' -> 'connection refused'."""
    text = str(exc.args[-1] if exc.args else exc)
    if isinstance(exc.args[-1] if exc.args else None, bytes):
        text = exc.args[-1].decode(errors="replace")
    text = text.split("] ", 1)[-1].strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else "no answer"


@contextlib.contextmanager
def opening(what: str, *, only=None):
    """Turn a failure while opening ``what`` (e.g. ``'the window'``) into a
    one-line :class:`DeviceError`.

    ``only(exc) -> bool`` limits this to device failures when the block does
    more than open a device (e.g. a presenter that also draws its stimuli):
    other exceptions pass through unchanged, so a bug still shows its
    traceback.
    """
    try:
        yield
    except DeviceError:
        raise
    except Exception as exc:
        if only is not None and not only(exc):
            raise
        detail = _first_line(exc)
        display = os.environ.get("DISPLAY")
        where = f" on display {display}" if display and "window" in what else ""
        raise DeviceError(f"cannot open {what}{where}: {detail}") from None


def is_audio_failure(exc: BaseException) -> bool:
    """True for a sound device that cannot be opened (PortAudio errors, or
    the PortAudio library missing), as raised by ``sounddevice``."""
    if type(exc).__module__.split(".")[0] == "sounddevice":
        return True
    return isinstance(exc, OSError) and "portaudio" in str(exc).lower()


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
