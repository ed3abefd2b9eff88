"""Software photodiode and key injector for an X display (made for Xvfb).

The probe runs outside the experiment: it connects to the same X display,
polls a small screen region with ``root.get_image`` (what the experiment has
flipped arrives there a few ms after the flip), and when the region lights up
it waits a known delay and presses a key through the XTest extension.  The
experiment then records an RT for that key press, which can be compared with
the delay the probe actually produced.

Units are in the names: times are ``time.perf_counter()`` seconds (``_s``),
delays and errors milliseconds (``_ms``), screen geometry pixels (``_px``,
y measured from the top of the screen as X does).

Typical use::

    probe = ScreenProbe(":31")
    patch = Target(Region.bottom_left(*probe.screen_size_px, size_px=24),
                   lit_threshold=200, min_lit_pixels=500)
    trials = run_trials(probe, patch, n_trials=30, key_name="d",
                        delays_ms=make_delays_ms(30, seed=1))
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Optional, Sequence

import numpy as np
from Xlib import X, XK
from Xlib import display as xdisplay
from Xlib.ext import xtest

__all__ = [
    "ProbeAborted",
    "ProbeTimeout",
    "ProbeTrial",
    "Region",
    "ScreenProbe",
    "Target",
    "busy_wait_until_s",
    "make_delays_ms",
    "run_trials",
    "summarise_errors_ms",
]


class ProbeTimeout(RuntimeError):
    """The screen did not change as expected within the allowed time."""


class ProbeAborted(RuntimeError):
    """The caller's ``should_stop`` callback asked the probe to stop."""


@dataclass(frozen=True)
class Region:
    """A rectangle of the X screen, in pixels, y from the top."""

    x_px: int
    y_px: int
    width_px: int
    height_px: int

    @classmethod
    def centred(cls, screen_width_px: int, screen_height_px: int,
                width_px: int, height_px: int) -> "Region":
        """Region of the given size centred on the screen."""
        return cls((screen_width_px - width_px) // 2,
                   (screen_height_px - height_px) // 2, width_px, height_px)

    @classmethod
    def bottom_left(cls, screen_width_px: int, screen_height_px: int,
                    size_px: int, inset_px: int = 0) -> "Region":
        """Square of side ``size_px`` in the bottom-left corner.

        ``inset_px`` moves it in from both screen edges (to stay clear of a
        one-pixel rounding at the edge of a photodiode patch).
        """
        return cls(inset_px, screen_height_px - size_px - inset_px,
                   size_px, size_px)

    @property
    def n_pixels(self) -> int:
        """Number of pixels in the region."""
        return self.width_px * self.height_px

    def describe(self) -> str:
        """Short text such as ``"x 4-27, y 740-763 px"``."""
        return (f"x {self.x_px}-{self.x_px + self.width_px - 1}, "
                f"y {self.y_px}-{self.y_px + self.height_px - 1} px")


@dataclass(frozen=True)
class Target:
    """What the probe watches: a region and a test for "stimulus present".

    A pixel counts as lit when its brightest channel is >= ``lit_threshold``
    and (brightest - dimmest channel) >= ``min_chroma``; ``min_chroma`` > 0
    accepts only coloured pixels, so white text (instructions, messages) is
    ignored.  The stimulus is present when at least ``min_lit_pixels``
    pixels are lit, and gone when at most ``max_dark_pixels`` are (default:
    a quarter of ``min_lit_pixels``).
    """

    region: Region
    lit_threshold: int
    min_lit_pixels: int
    min_chroma: int = 0
    max_dark_pixels: Optional[int] = None

    @property
    def dark_limit_pixels(self) -> int:
        """Most lit pixels that still count as "stimulus gone"."""
        if self.max_dark_pixels is not None:
            return self.max_dark_pixels
        return self.min_lit_pixels // 4

    def count_lit_pixels(self, raw: np.ndarray) -> int:
        """Lit pixels in a (h, w, >=3) uint8 image of the region."""
        rgb = raw[:, :, :3]
        brightest = rgb.max(axis=2)
        lit = brightest >= self.lit_threshold
        if self.min_chroma > 0:
            chroma = brightest.astype(np.int16) - rgb.min(axis=2)
            lit &= chroma >= self.min_chroma
        return int(np.count_nonzero(lit))


@dataclass
class ProbeTrial:
    """What the probe did on one stimulus presentation.

    ``true_delay_ms`` (press time minus detection time) is the figure to
    compare with the RT the experiment recorded.  ``detect_gap_ms`` is the
    time between the last poll that saw the region dark and the poll that saw
    it lit: the onset reached the X server inside that window, so it bounds
    the probe's own detection uncertainty.  ``press_sync_ms`` is how long
    sending the XTest press and the round trip of ``display.sync()`` took.
    """

    trial_number: int
    target_delay_ms: float
    true_delay_ms: float
    detected_at_s: float
    pressed_at_s: float
    detect_gap_ms: float
    press_sync_ms: float
    lit_pixels: int

    def as_dict(self) -> dict:
        """Plain dict (for CSV writing)."""
        return asdict(self)


def busy_wait_until_s(target_s: float, spin_last_s: float = 0.002) -> float:
    """Wait until ``time.perf_counter()`` reaches ``target_s``.

    Sleeps until ``spin_last_s`` before the target, then spins, so the
    overshoot is a few microseconds rather than a scheduler tick (unless the
    process is preempted).  Returns the ``perf_counter`` value on return.
    """
    remaining_s = target_s - time.perf_counter() - spin_last_s
    if remaining_s > 0:
        time.sleep(remaining_s)
    now_s = time.perf_counter()
    while now_s < target_s:
        now_s = time.perf_counter()
    return now_s


def make_delays_ms(n_trials: int, low_ms: float = 300.0, high_ms: float = 700.0,
                   seed: int = 1) -> list[float]:
    """``n_trials`` delays drawn uniformly from [low_ms, high_ms], seeded."""
    rng = random.Random(seed)
    return [rng.uniform(low_ms, high_ms) for _ in range(n_trials)]


class ScreenProbe:
    """A connection to an X display that reads pixels and injects keys."""

    def __init__(self, display_name: Optional[str] = None):
        """Connect to ``display_name`` (e.g. ``":31"``; None uses $DISPLAY).

        Raises RuntimeError when the server lacks the XTEST extension.
        """
        self.display = xdisplay.Display(display_name)
        if not self.display.has_extension("XTEST"):
            self.display.close()
            raise RuntimeError("X server has no XTEST extension")
        self.screen = self.display.screen()
        self.root = self.screen.root

    # -- pixels -------------------------------------------------------------

    @property
    def screen_size_px(self) -> tuple[int, int]:
        """(width_px, height_px) of the default screen."""
        return (self.screen.width_in_pixels, self.screen.height_in_pixels)

    def read_region_raw(self, region: Region) -> np.ndarray:
        """Grab the region; return a (height, width, 4) uint8 array.

        The byte order is the server's ZPixmap order (BGRX on a little-endian
        24-bit Xvfb); use :meth:`read_region_rgb` when channel order matters.
        """
        image = self.root.get_image(region.x_px, region.y_px, region.width_px,
                                    region.height_px, X.ZPixmap, 0xFFFFFFFF)
        data = image.data
        if isinstance(data, str):  # very old python-xlib
            data = data.encode("latin-1")
        return np.frombuffer(data, dtype=np.uint8).reshape(
            region.height_px, region.width_px, 4)

    def read_region_rgb(self, region: Region) -> np.ndarray:
        """Grab the region as a (height, width, 3) uint8 RGB array.

        Assumes a 24/32-bit TrueColor visual, as Xvfb ``-screen 0 WxHx24``.
        """
        raw = self.read_region_raw(region)
        red_mask = None
        for depth in self.screen.allowed_depths:
            for visual in depth.visuals:
                if visual.visual_id == self.screen.root_visual:
                    red_mask = visual.red_mask
        if red_mask == 0xFF0000:  # B, G, R, X in memory
            return raw[:, :, 2::-1].copy()
        return raw[:, :, :3].copy()

    def read_screen_rgb(self) -> np.ndarray:
        """The whole screen as a (height, width, 3) RGB array (for screenshots)."""
        width_px, height_px = self.screen_size_px
        return self.read_region_rgb(Region(0, 0, width_px, height_px))

    def count_lit_pixels(self, target: Target) -> int:
        """Lit pixels in ``target``'s region right now."""
        return target.count_lit_pixels(self.read_region_raw(target.region))

    def wait_for_lit(self, target: Target, timeout_s: float,
                     should_stop: Optional[Callable[[], bool]] = None,
                     ) -> tuple[float, float, int]:
        """Poll without sleeping until the target's stimulus is present.

        Returns ``(detected_at_s, detect_gap_ms, lit_pixels)``: the
        ``perf_counter`` time the lit image came back, the time since the
        previous (dark) poll came back, and the lit count.
        Raises ProbeTimeout / ProbeAborted.
        """
        deadline_s = time.perf_counter() + timeout_s
        previous_s = time.perf_counter()
        n_polls = 0
        while True:
            n_lit = self.count_lit_pixels(target)
            now_s = time.perf_counter()
            if n_lit >= target.min_lit_pixels:
                return now_s, (now_s - previous_s) * 1000.0, n_lit
            previous_s = now_s
            n_polls += 1
            if now_s > deadline_s:
                raise ProbeTimeout(f"nothing appeared in {target.region.describe()} "
                                   f"within {timeout_s:.1f} s")
            if should_stop is not None and n_polls % 200 == 0 and should_stop():
                raise ProbeAborted("stopped while waiting for the stimulus")

    def wait_for_dark(self, target: Target, timeout_s: float, min_dark_s: float = 0.0,
                      poll_interval_s: float = 0.0005,
                      should_stop: Optional[Callable[[], bool]] = None) -> float:
        """Poll until the target's stimulus is gone; return when it went.

        With ``min_dark_s`` > 0 the region must stay dark that long without
        interruption (guards against a single blank frame between two
        screens); the returned time is the start of that dark run.  Sleeps
        ``poll_interval_s`` between polls (offsets are not timed).
        Raises ProbeTimeout / ProbeAborted.
        """
        deadline_s = time.perf_counter() + timeout_s
        dark_since_s: Optional[float] = None
        while True:
            now_s = time.perf_counter()
            if self.count_lit_pixels(target) <= target.dark_limit_pixels:
                if dark_since_s is None:
                    dark_since_s = now_s
                if now_s - dark_since_s >= min_dark_s:
                    return dark_since_s
            else:
                dark_since_s = None
            if now_s > deadline_s:
                raise ProbeTimeout(f"{target.region.describe()} not dark for "
                                   f"{min_dark_s:.2f} s within {timeout_s:.1f} s")
            if should_stop is not None and should_stop():
                raise ProbeAborted("stopped while waiting for the stimulus to go")
            time.sleep(poll_interval_s)

    # -- keys ---------------------------------------------------------------

    def keycode_for(self, key_name: str) -> int:
        """X keycode for a keysym name such as ``"d"``, ``"space"``, ``"Left"``."""
        keysym = XK.string_to_keysym(key_name)
        if keysym == 0:
            raise ValueError(f"unknown key name {key_name!r}")
        keycode = self.display.keysym_to_keycode(keysym)
        if keycode == 0:
            raise ValueError(f"key {key_name!r} has no keycode on this display")
        return keycode

    def press_keycode(self, keycode: int) -> tuple[float, float]:
        """Send an XTest key press and sync.

        Returns ``(sent_at_s, synced_at_s)``: ``perf_counter`` just before
        the request was written and after the server answered the sync.
        """
        sent_at_s = time.perf_counter()
        xtest.fake_input(self.display, X.KeyPress, keycode)
        self.display.sync()
        return sent_at_s, time.perf_counter()

    def release_keycode(self, keycode: int) -> float:
        """Send an XTest key release and sync; return the time after sync."""
        xtest.fake_input(self.display, X.KeyRelease, keycode)
        self.display.sync()
        return time.perf_counter()

    def tap_key(self, key_name: str, hold_ms: float = 30.0) -> float:
        """Press and release a key by name; return the press time (s)."""
        keycode = self.keycode_for(key_name)
        sent_at_s, _ = self.press_keycode(keycode)
        time.sleep(hold_ms / 1000.0)
        self.release_keycode(keycode)
        return sent_at_s

    def close(self) -> None:
        """Close the X connection."""
        self.display.close()


def run_trials(probe: ScreenProbe, target: Target, n_trials: int, key_name: str,
               delays_ms: Sequence[float], onset_timeout_s: float = 10.0,
               offset_timeout_s: float = 10.0,
               first_onset_timeout_s: Optional[float] = None,
               end_when_idle: bool = False, min_dark_ms: float = 100.0,
               hold_ms: float = 30.0,
               should_stop: Optional[Callable[[], bool]] = None,
               on_trial: Optional[Callable[[ProbeTrial], None]] = None,
               ) -> list[ProbeTrial]:
    """Respond to ``n_trials`` stimulus onsets in ``target``.

    Per trial: wait until the target has been dark for ``min_dark_ms`` (so
    an onset is a change, not a one-frame flicker; this also waits for the
    previous stimulus to go), detect the onset, busy-wait ``delays_ms[i]``
    after the detection, press ``key_name`` through XTest and release it
    ``hold_ms`` later.  ``true_delay_ms`` is press-send time minus detection
    time on the same ``perf_counter`` clock.

    ``first_onset_timeout_s`` (default ``onset_timeout_s``) allows for a
    slow start-up.  With ``end_when_idle``, ``n_trials`` is a maximum: once
    a trial is done, no onset within ``onset_timeout_s`` ends the run
    normally (for programs whose trial count is not known in advance).
    ``on_trial`` is called after each trial (progress printing).
    Raises ProbeTimeout / ProbeAborted.
    """
    if len(delays_ms) < n_trials:
        raise ValueError("need one delay per trial")
    keycode = probe.keycode_for(key_name)
    trials: list[ProbeTrial] = []
    for i in range(n_trials):
        timeout_s = onset_timeout_s
        if i == 0 and first_onset_timeout_s is not None:
            timeout_s = first_onset_timeout_s
        probe.wait_for_dark(target, max(offset_timeout_s, timeout_s),
                            min_dark_s=min_dark_ms / 1000.0, should_stop=should_stop)
        try:
            detected_at_s, gap_ms, n_lit = probe.wait_for_lit(
                target, timeout_s, should_stop=should_stop)
        except ProbeTimeout:
            if end_when_idle and trials:
                break
            raise
        busy_wait_until_s(detected_at_s + delays_ms[i] / 1000.0)
        sent_at_s, synced_at_s = probe.press_keycode(keycode)
        trial = ProbeTrial(
            trial_number=i + 1,
            target_delay_ms=float(delays_ms[i]),
            true_delay_ms=(sent_at_s - detected_at_s) * 1000.0,
            detected_at_s=detected_at_s,
            pressed_at_s=sent_at_s,
            detect_gap_ms=gap_ms,
            press_sync_ms=(synced_at_s - sent_at_s) * 1000.0,
            lit_pixels=n_lit,
        )
        time.sleep(hold_ms / 1000.0)
        probe.release_keycode(keycode)
        trials.append(trial)
        if on_trial is not None:
            on_trial(trial)
    return trials


def summarise_errors_ms(errors_ms: Iterable[float]) -> dict:
    """Median, IQR, median |error|, worst |error| and mean of errors (ms)."""
    err = np.asarray(list(errors_ms), dtype=float)
    if err.size == 0:
        return {"n": 0}
    q1, median, q3 = np.percentile(err, [25, 50, 75])
    return {
        "n": int(err.size),
        "median_error_ms": float(median),
        "median_abs_error_ms": float(np.median(np.abs(err))),
        "iqr_ms": float(q3 - q1),
        "max_abs_error_ms": float(np.max(np.abs(err))),
        "mean_error_ms": float(np.mean(err)),
    }
