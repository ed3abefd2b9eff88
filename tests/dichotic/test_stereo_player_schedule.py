"""The player's scheduling logic, without a sound device: a sound asked for at a
time starts on the sample due at that time, whatever the machine's load.

The audio callback is driven with made-up driver times (``outputBufferDacTime``),
so what is checked is the arithmetic, not how punctual this machine is (that
is measured by benchmarks/audio_latency.py, which prints it).
"""

import threading
from types import SimpleNamespace

import numpy as np
import pytest

from attentionlab.experiments.audio import StereoPlayer

RATE = 44100
BLOCK = 512


def _player(now):
    """A StereoPlayer with no stream: the session clock reads ``now[0]``."""
    player = object.__new__(StereoPlayer)
    player._clock = lambda: now[0]
    player._lock = threading.Lock()
    player._buffer, player._pos, player._onset = None, 0, None
    player._when, player._pending_onset = None, False
    player.underflows, player.underflow_times = 0, []
    player.rate = RATE
    player._stream = SimpleNamespace(latency=0.1)
    return player


def _run(player, now, blocks, dac_delay=0.1):
    """Run the callback ``blocks`` times, a block's worth of time apart."""
    out = []
    for _ in range(blocks):
        block = np.full((BLOCK, 2), np.nan, np.float32)
        info = SimpleNamespace(currentTime=1000.0, outputBufferDacTime=1000.0 + dac_delay)
        player._callback(block, BLOCK, info, SimpleNamespace(output_underflow=False))
        out.append(block)
        now[0] += BLOCK / RATE
    return np.concatenate(out)


def test_a_scheduled_sound_starts_on_the_sample_due_and_reports_that_time():
    now = [10.0]
    player = _player(now)
    sound = np.ones((2000, 2), np.float32)
    sound[:, 1] = 2.0  # left and right told apart
    when = 10.0 + 0.2
    player.play(sound, when=when)
    out = _run(player, now, 40)
    # block k reaches the output at now_k + 0.1 s: sample j of it at that + j / RATE
    first = int(np.flatnonzero(out[:, 0] == 1.0)[0])
    due = (when - 0.1 - 10.0) * RATE  # samples after the first block's start
    assert abs(first - due) <= 0.5
    assert player.onset == pytest.approx(when, abs=0.5 / RATE)
    assert (out[first:first + 2000, 0] == 1).all() and (out[first:first + 2000, 1] == 2).all()
    assert (out[:first] == 0).all() and (out[first + 2000:] == 0).all()


def test_a_sound_asked_for_too_late_starts_at_once_and_says_when():
    now = [10.0]
    player = _player(now)
    player.play(np.ones((100, 2), np.float32), when=10.05)  # less than the 0.1 s buffer
    out = _run(player, now, 3)
    assert out[0, 0] == 1.0  # the first block, from its first sample
    assert player.onset == pytest.approx(10.1)  # and it reports the true, later onset


def test_an_unscheduled_sound_starts_with_the_next_block():
    now = [10.0]
    player = _player(now)
    player.play(np.ones((100, 2), np.float32))
    _run(player, now, 2)
    assert player.onset == pytest.approx(10.1)
