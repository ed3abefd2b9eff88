"""The autopilot's hands: key presses and clicks injected through XTest at planned times.

The autopilot drives the real session exactly as a person would, through
the X server, so the keyboard backend, its timestamps and the whole trial
loop are exercised. What to press and when comes from the simulated
participant (attentionlab.simulation.stroop); this module only presses.

A dedicated thread waits for each planned time and injects the press; the
main thread keeps flipping frames meanwhile. ``log`` keeps, per press, the
planned and the actual injection time (same clock), so the injection's own
lateness can be told apart from timestamping errors.
"""

import queue
import threading
import time

from attentionlab.experiments.frames import wait_until

# PsychoPy key names that differ from X keysym names.
_KEYSYMS = {"space": "space", "escape": "Escape", "return": "Return", "left": "Left",
            "right": "Right", "up": "Up", "down": "Down"}


class XTestInput:
    """Injects key presses and mouse clicks into the X display named by ``$DISPLAY``.

    >>> # keys = XTestInput(clock=psychopy.clock.getTime)
    >>> # keys.press_at("d", clock() + 0.5)
    """

    def __init__(self, clock):
        from Xlib import XK, display
        from Xlib.ext import xtest

        self._clock = clock
        self._display = display.Display()
        if not self._display.has_extension("XTEST"):
            raise RuntimeError("the X server has no XTEST extension; the autopilot needs it")
        self._xk, self._xtest = XK, xtest
        self._queue = queue.Queue()
        self.log: list[dict] = []
        self._thread = threading.Thread(target=self._worker, name="autopilot-keys", daemon=True)
        self._thread.start()

    def press_at(self, key: str, when: float, hold_s: float = 0.08) -> None:
        """Press ``key`` (PsychoPy key name) at clock time ``when`` (seconds)."""
        self._queue.put((when, key, hold_s))

    def click_at(self, x_px: int, y_px: int, when: float, button: int = 1) -> None:
        """Move the pointer to screen pixel (``x_px``, ``y_px``; origin top-left of
        the X screen) and click ``button`` at clock time ``when``."""
        self._queue.put((when, ("click", int(x_px), int(y_px), button), 0.05))

    def cancel_pending(self) -> None:
        """Drop presses not yet made (e.g. the trial ended at its deadline)."""
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass

    def outcome(self, planned: float | None, onset: float) -> dict:
        """What happened to the press planned for ``planned`` (clock seconds),
        in ms from ``onset``: the planned RT and when it was really injected."""
        if planned is None:
            return {"planned_rt_ms": None, "injected_rt_ms": None}
        injected = next((e["actual"] for e in reversed(self.log) if e["planned"] == planned),
                        None)
        return {"planned_rt_ms": round((planned - onset) * 1000, 3),
                "injected_rt_ms": None if injected is None else round((injected - onset) * 1000, 3)}

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=2)
        self._display.close()

    def _keycode(self, key):
        sym = self._xk.string_to_keysym(_KEYSYMS.get(key, key))
        code = self._display.keysym_to_keycode(sym)
        if not code:
            raise ValueError(f"no X keycode for key {key!r}")
        return code

    def _worker(self):
        from Xlib import X

        while True:
            item = self._queue.get()
            if item is None:
                return
            when, key, hold_s = item
            if isinstance(key, tuple):
                self._click(when, *key[1:])
                continue
            code = self._keycode(key)
            wait_until(when, self._clock)
            actual = self._clock()
            self._xtest.fake_input(self._display, X.KeyPress, code)
            self._display.sync()
            self.log.append({"key": key, "planned": when, "actual": actual})
            time.sleep(hold_s)
            self._xtest.fake_input(self._display, X.KeyRelease, code)
            self._display.sync()

    def _click(self, when, x_px, y_px, button):
        from Xlib import X

        # Move first, so the window has seen the pointer arrive before the press.
        self._xtest.fake_input(self._display, X.MotionNotify, x=x_px, y=y_px)
        self._display.sync()
        wait_until(when, self._clock)
        actual = self._clock()
        self._xtest.fake_input(self._display, X.ButtonPress, button)
        self._display.sync()
        self.log.append({"key": f"click{button}", "planned": when, "actual": actual})
        time.sleep(0.05)
        self._xtest.fake_input(self._display, X.ButtonRelease, button)
        self._display.sync()
