"""Flipping a window that is not a session's (tools such as hand scoring),
with the same screen captures as a session.

With ``ATTENTIONLAB_CAPTURE_DIR`` set, a named screen is saved as a
numbered PNG, read back from the back buffer before the flip (the front
buffer reads back black on Xvfb), so tests and people can see exactly what
was shown. Reading back takes time: the pacer is resynchronised after it.

>>> # flipper = ScreenFlipper(win, pacer)
>>> # flipper.flip([text], screen="menu")   # -> 0001_menu.png when capturing
"""

import os
from pathlib import Path


class ScreenFlipper:
    """Draws, captures (when asked and enabled), flips through ``pacer`` and
    lets the window handle its events; ``flip`` returns the flip time."""

    def __init__(self, win, pacer, capture_dir: str | None = None):
        self.win, self.pacer = win, pacer
        self.capture_dir = capture_dir or os.environ.get("ATTENTIONLAB_CAPTURE_DIR") or None
        self.captures = 0
        if self.capture_dir:
            Path(self.capture_dir).mkdir(parents=True, exist_ok=True)

    def flip(self, stims, screen: str | None = None) -> float:
        for stim in stims:
            stim.draw()
        if screen and self.capture_dir:
            self.captures += 1
            self.win.getMovieFrame(buffer="back")
            self.win.saveMovieFrames(str(Path(self.capture_dir)
                                         / f"{self.captures:04d}_{screen}.png"))
            self.pacer.resync()
        t = self.pacer.flip()
        if self.win.winHandle is not None:
            self.win.winHandle.dispatch_events()
        return t
