"""Frame timing: measure the refresh, detect a display without vsync, pace flips.

On a normal display ``win.flip()`` blocks until the vertical blank, so each
flip is one frame. On Xvfb and some VMs there is no vsync: flips return in a
fraction of a millisecond and "N frames" would mean nothing. The pacer
detects that and then waits in software until one nominal frame period
(default 60 Hz) has passed since the previous flip, so durations given in
frames are right in wall-clock time. Either way it counts dropped frames:
flip-to-flip intervals longer than 1.5 periods.

>>> frames_for_ms(500, 60.0)
30
>>> frames_for_ms(240, 60.0)
14
"""

import statistics
import time

# Flip intervals below this are impossible with vsync on any display that
# exists (it would be > 500 Hz), so the flips are not synchronised.
NO_VSYNC_INTERVAL_S = 0.002
DEFAULT_NOMINAL_HZ = 60.0


def frames_for_ms(duration_ms: float, refresh_hz: float) -> int:
    """Whole frames closest to ``duration_ms`` at ``refresh_hz`` (at least 1
    for a positive duration, 0 for 0)."""
    if duration_ms <= 0:
        return 0
    return max(1, round(duration_ms / 1000.0 * refresh_hz))


def flips_look_synchronised(intervals_s) -> bool:
    """Whether flip-to-flip intervals (s) come from a display with vsync.

    With vsync even the quicker flips wait for the refresh, and they are
    regular. Without it a busy machine (other processes on the CPU) can
    make the median flip take several ms, which once passed for a 174 Hz
    display and left frames unpaced; but the intervals then scatter widely.
    So: the lower quartile is at least NO_VSYNC_INTERVAL_S and the
    interquartile range at most a fifth of the median. A vsync display
    measured while busy fails the second test and is paced in software at
    the nominal rate: durations stay right, with a warning.

    >>> flips_look_synchronised([1 / 60] * 30)
    True
    >>> flips_look_synchronised([0.0009, 0.007, 0.013, 0.0004, 0.018, 0.009] * 5)
    False
    """
    q1, median, q3 = statistics.quantiles(intervals_s, n=4)
    return q1 >= NO_VSYNC_INTERVAL_S and (q3 - q1) <= 0.2 * median


def wait_until(deadline: float, clock=time.perf_counter) -> None:
    """Sleep until ``clock() >= deadline``: coarse sleep, then a short
    yielding spin (``sleep(0)`` releases the GIL, so an autopilot thread
    injecting key presses is not starved)."""
    while True:
        remaining = deadline - clock()
        if remaining <= 0:
            return
        if remaining > 0.002:
            time.sleep(remaining - 0.0015)
        else:
            time.sleep(0)


class FramePacer:
    """Flips the window one frame at a time and keeps the frame accounting.

    ``refresh_hz`` is the measured rate with vsync, or the nominal rate when
    pacing in software. ``dropped_frames`` counts since the last
    :meth:`start_count`; ``dropped_total`` over the session.
    """

    def __init__(self, win, *, nominal_hz: float = DEFAULT_NOMINAL_HZ,
                 measure_flips: int = 30, clock=time.perf_counter):
        self.win = win
        self.clock = clock
        intervals = self._measure(measure_flips)
        self.measured_interval_s = statistics.median(intervals)
        self.vsync = flips_look_synchronised(intervals)
        self.software_pacing = not self.vsync
        self.refresh_hz = (1.0 / self.measured_interval_s) if self.vsync else nominal_hz
        self.period_s = 1.0 / self.refresh_hz
        self.dropped_frames = 0
        self.dropped_total = 0
        self.flips = 0
        self._last_flip = None
        self._target = None  # when the next software-paced flip is due

    def _measure(self, n):
        stamps = []
        for _ in range(n + 1):
            self.win.flip()
            stamps.append(self.clock())
        return [b - a for a, b in zip(stamps, stamps[1:])]

    def frames(self, duration_ms: float) -> int:
        """Whole frames for ``duration_ms`` at this display's rate."""
        return frames_for_ms(duration_ms, self.refresh_hz)

    def start_count(self) -> None:
        """Start counting dropped frames afresh (at the start of a trial)."""
        self.dropped_frames = 0

    def resync(self) -> None:
        """Forget the previous flip, after a deliberate pause (e.g. writing a
        row between trials), so the pause is not counted as dropped frames."""
        self._last_flip = None
        self._target = None

    def flip(self) -> float:
        """Flip once, one frame after the previous flip; return the flip time
        (``clock`` seconds, taken right after the flip returned)."""
        if self.software_pacing and self._target is not None:
            wait_until(self._target, self.clock)
        self.win.flip()
        now = self.clock()
        if self.software_pacing:
            # Due times advance by whole periods from the previous due time, not
            # from when the flip returned: otherwise every frame would last a
            # period plus the flip's own duration (about 1 ms on Xvfb).
            late = self._target is None or now - self._target > self.period_s
            self._target = now + self.period_s if late else self._target + self.period_s
        if self._last_flip is not None:
            late = round((now - self._last_flip) / self.period_s) - 1
            if late > 0 and (now - self._last_flip) > 1.5 * self.period_s:
                self.dropped_frames += late
                self.dropped_total += late
        self._last_flip = now
        self.flips += 1
        return now

    def describe(self) -> dict:
        """Facts for the sidecar."""
        return {
            "vsync_detected": self.vsync,
            "frame_pacing": "software" if self.software_pacing else "vsync",
            "measured_flip_interval_ms": round(self.measured_interval_s * 1000, 3),
            "refresh_hz_used": round(self.refresh_hz, 3),
        }
