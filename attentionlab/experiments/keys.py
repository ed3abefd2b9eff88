"""Keyboard input: PsychoPy's Keyboard with the Psychtoolbox backend.

The Psychtoolbox backend timestamps key presses asynchronously (in its own
thread, from the X input events), so an RT does not depend on how often we
poll. If it cannot start, we fall back to PsychoPy's event backend and say
so: the sidecar records which backend timed the responses.

Two quirks of PsychoPy's ``Keyboard.getKeys`` are handled here, once:
with ``waitRelease=False`` a key already released by the time of the poll is
not returned, and with ``waitRelease=True`` a key still held is not. We ask
for both and keep each press once, so a fast tap and a held key are both seen.
"""

import logging

log = logging.getLogger(__name__)


class KeyInput:
    """Key presses with RTs relative to the last :meth:`reset_clock`.

    ``backend`` is ``'ptb'`` or the fallback actually in use; ``warning``
    explains a fallback (empty otherwise).
    """

    def __init__(self):
        from psychopy.hardware import keyboard

        self.warning = ""
        try:
            self._kb = keyboard.Keyboard(backend="ptb")
            self.backend = self._kb.getBackend()
        except Exception as exc:  # any failure of the native backend
            self.warning = f"Psychtoolbox keyboard unavailable ({exc}); using 'event'"
            log.warning(self.warning)
            self._kb = keyboard.Keyboard(backend="event")
            self.backend = self._kb.getBackend()
        if self.backend != "ptb" and not self.warning:
            self.warning = (f"keyboard backend is {self.backend!r}, not 'ptb': RTs are "
                            f"timestamped when polled (once per frame)")
        self._seen = set()
        self._not_before = float("-inf")  # presses down before this are discarded

    @property
    def clock(self):
        return self._kb.clock

    def reset_clock(self) -> None:
        """Zero the RT clock; call it in ``win.callOnFlip`` at stimulus onset."""
        self._kb.clock.reset()

    def clear(self) -> None:
        """Discard presses made so far, also one PsychoPy would hand back later:
        a press whose release it missed (seen when another keyboard object was
        made) is completed by the next release of the same key and comes back
        with its old key-down time."""
        self._kb.clearEvents()
        self.poll()
        self._seen.clear()
        if self.backend == "ptb":
            from psychopy import clock, logging

            # The ptb backend's tDown: seconds since PsychoPy's default clock was reset.
            self._not_before = clock.getTime() - logging.defaultClock.getLastResetTime()

    def is_down(self, names) -> bool:
        """Whether any of the keys ``names`` is held now (e.g. Shift while a
        letter is typed into a form)."""
        try:
            return any(self._kb.getState(list(names)))
        except Exception:  # a backend without key state: treat as not held
            return False

    def poll(self) -> list[tuple[str, float]]:
        """New presses since the last poll as ``(key_name, rt_s)``, oldest first."""
        presses = list(self._kb.getKeys(waitRelease=False)) + list(self._kb.getKeys(waitRelease=True))
        out = []
        for k in presses:
            if float(k.tDown) < self._not_before:
                continue
            ident = (k.name, round(float(k.tDown), 6))
            if ident in self._seen:
                continue
            self._seen.add(ident)
            out.append((k.name, float(k.rt)))
        if len(self._seen) > 10000:
            self._seen.clear()
        out.sort(key=lambda p: p[1])
        return out
