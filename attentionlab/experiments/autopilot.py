"""The autopilot's hands: key presses injected through XTest at planned times.

The autopilot drives the real session exactly as a person would, through
the X server, so the keyboard backend, its timestamps and the whole trial
loop are exercised. What to press and when comes from the simulated
participant (attentionlab.analysis.simulate); this module only presses.

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


class XTestKeys:
    """Injects key presses into the X display named by ``$DISPLAY``.

    >>> # keys = XTestKeys(clock=psychopy.clock.getTime)
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
            code = self._keycode(key)
            wait_until(when, self._clock)
            actual = self._clock()
            self._xtest.fake_input(self._display, X.KeyPress, code)
            self._display.sync()
            self.log.append({"key": key, "planned": when, "actual": actual})
            time.sleep(hold_s)
            self._xtest.fake_input(self._display, X.KeyRelease, code)
            self._display.sync()
