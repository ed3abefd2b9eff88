"""Frame pacing logic with a simulated clock and window (no display needed)."""

import pytest

from attentionlab.experiments import frames


class FakeTime:
    def __init__(self):
        self.t = 100.0

    def clock(self):
        return self.t

    def sleep(self, seconds):
        self.t += max(seconds, 0.0001)


class FakeWindow:
    """flip() costs ``flip_s``; with ``vsync_hz`` it waits for the next refresh."""

    def __init__(self, fake_time, flip_s=0.0003, vsync_hz=None):
        self.time, self.flip_s, self.vsync_hz = fake_time, flip_s, vsync_hz
        self.extra_delay = 0.0

    def flip(self):
        self.time.t += self.flip_s + self.extra_delay
        self.extra_delay = 0.0
        if self.vsync_hz:
            period = 1 / self.vsync_hz
            self.time.t = (int(self.time.t / period) + 1) * period


@pytest.fixture
def fake_time(monkeypatch):
    ft = FakeTime()
    monkeypatch.setattr(frames.time, "sleep", ft.sleep)
    return ft


def test_no_vsync_is_detected_and_frames_are_paced_at_the_nominal_rate(fake_time):
    win = FakeWindow(fake_time)
    pacer = frames.FramePacer(win, clock=fake_time.clock, nominal_hz=60)
    assert not pacer.vsync and pacer.software_pacing and pacer.refresh_hz == 60
    stamps = [pacer.flip() for _ in range(31)]
    intervals = [b - a for a, b in zip(stamps, stamps[1:])]
    assert all(abs(i - 1 / 60) < 0.001 for i in intervals)
    assert pacer.describe()["frame_pacing"] == "software"


def test_software_pacing_does_not_drift_by_the_flip_duration(fake_time):
    """A flip that itself takes 1.2 ms must not lengthen every frame by 1.2 ms."""
    win = FakeWindow(fake_time, flip_s=0.0012)
    pacer = frames.FramePacer(win, clock=fake_time.clock, nominal_hz=60)
    stamps = [pacer.flip() for _ in range(61)]
    assert stamps[-1] - stamps[0] == pytest.approx(1.0, abs=0.002)  # 60 frames = 1 s
    assert pacer.dropped_total == 0


def test_a_real_vsync_display_is_trusted_and_measured(fake_time):
    win = FakeWindow(fake_time, vsync_hz=144)
    pacer = frames.FramePacer(win, clock=fake_time.clock)
    assert pacer.vsync and not pacer.software_pacing
    assert pacer.refresh_hz == pytest.approx(144, rel=0.01)
    assert pacer.frames(500) == 72


def test_late_flips_are_counted_as_dropped_frames(fake_time):
    win = FakeWindow(fake_time)
    pacer = frames.FramePacer(win, clock=fake_time.clock, nominal_hz=60)
    pacer.flip()
    pacer.start_count()
    win.extra_delay = 3.2 / 60  # a hiccup of a bit over three frames
    pacer.flip()
    pacer.flip()
    assert pacer.dropped_frames == 3
    pacer.start_count()
    assert pacer.dropped_frames == 0 and pacer.dropped_total == 3


def test_resync_forgives_a_deliberate_pause(fake_time):
    win = FakeWindow(fake_time)
    pacer = frames.FramePacer(win, clock=fake_time.clock, nominal_hz=60)
    pacer.flip()
    pacer.start_count()
    fake_time.t += 0.5  # e.g. writing the row between trials
    pacer.resync()
    pacer.flip()
    assert pacer.dropped_frames == 0


@pytest.mark.parametrize("ms, hz, expected", [
    (0, 60, 0), (1, 60, 1), (500, 60, 30), (240, 60, 14), (80, 60, 5), (2000, 60, 120),
    (500, 144, 72), (240, 100, 24)])
def test_durations_become_whole_frames(ms, hz, expected):
    assert frames.frames_for_ms(ms, hz) == expected


def test_a_busy_machine_without_vsync_is_not_taken_for_a_fast_display(fake_time):
    """Other processes on the CPU made the median flip take 3-6 ms on Xvfb: that
    once passed for a 174-276 Hz vsync display and left every frame unpaced."""
    win = FakeWindow(fake_time)
    waits = iter([0.004, 0.0, 0.011, 0.006, 0.0, 0.003, 0.015, 0.005] * 5)
    original_flip = win.flip

    def busy_flip():
        win.extra_delay = next(waits)  # waiting for the CPU before the flip returns
        original_flip()

    win.flip = busy_flip
    pacer = frames.FramePacer(win, clock=fake_time.clock, nominal_hz=60)
    assert pacer.measured_interval_s > frames.NO_VSYNC_INTERVAL_S
    assert not pacer.vsync and pacer.software_pacing and pacer.refresh_hz == 60
