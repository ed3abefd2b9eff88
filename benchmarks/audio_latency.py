"""Audio latency and its jitter of the dichotic task's stereo player, measured by recording.

Starts a private PulseAudio server with a null sink (tests/pulse_server.py),
opens the task's :class:`~attentionlab.experiments.audio.StereoPlayer` on it,
and plays a short click PLAYS times, 0.6-0.9 s apart (random), alternating
left and right, while ``parec`` records the sink's monitor at 48 kHz: first
as soon as possible after each ``play()`` call, then scheduled LEAD ms after
the call (as the task schedules its messages after the onset flip). For
each click it has three times:

* requested: when ``play()`` was called, or the time it was scheduled for;
* reported: when the driver says the first sample reached the output;
* recorded: where the click's first sample is in the recording.

The recording has its own time origin, so what it measures is differences:
the jitter (SD) of recorded - requested, i.e. of the latency from the call
(or the scheduled time) to the sound, and of recorded - reported, i.e. how
well the reported onset (``audio_onset_s`` in the data) tracks the sound.
Also reported - requested (the latency, or how late a scheduled sound was)
and underflows. It prints figures; it does not pass or fail.

    .venv/bin/python benchmarks/audio_latency.py [--plays 50] [--lead-ms 200]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import pulse_server  # noqa: E402  (the tests' helper: a private PulseAudio)


def click(rate):
    n = int(0.005 * rate)
    return (0.5 * np.hanning(n) * np.sin(2 * np.pi * 2000 * np.arange(n) / rate)).astype(
        np.float32)


def onsets_in(recording, rate):
    """Time (s) of the first sample above threshold of each click in the recording."""
    level = np.abs(recording).max(axis=1)
    loud = np.flatnonzero(level > 0.05)
    starts = [int(loud[0])] + [int(b) for a, b in zip(loud, loud[1:]) if b - a > 0.2 * rate]
    return np.array(starts) / rate


def match(recorded, requested):
    """Which requested clicks the recorded ones are: the run of consecutive
    requests whose intervals fit the recorded intervals best (a click can be
    missing at the start or the end of the recording)."""
    n = len(recorded)
    best = min(range(len(requested) - n + 1),
               key=lambda s: np.std(recorded - requested[s:s + n]))
    return np.arange(best, best + n)


def run(player, rng, plays, lead_s):
    """Play ``plays`` clicks; return (requested, reported) session-clock times.
    ``lead_s`` None: as soon as possible; else scheduled that long after the call."""
    sound = click(player.rate)
    requested, reported = [], []
    for k in range(plays):
        time.sleep(rng.uniform(0.6, 0.9))
        buffer = np.zeros((len(sound), 2), np.float32)
        buffer[:, k % 2] = sound
        t = time.perf_counter()
        player.play(buffer, when=None if lead_s is None else t + lead_s)
        while player.onset is None:
            time.sleep(0.0005)
        requested.append(t if lead_s is None else t + lead_s)
        reported.append(player.onset)
    return np.array(requested), np.array(reported)


def summarise(title, recording, rate, requested, reported):
    recorded = onsets_in(recording, rate)
    which = match(recorded, requested)
    missing = sorted(set(range(len(requested))) - set(which.tolist()))
    requested, reported = requested[which], reported[which]
    to_sound = (recorded - requested) * 1000
    to_report = (recorded - reported) * 1000
    late = (reported - requested) * 1000
    ears = ["left" if k % 2 == 0 else "right" for k in which]
    idx = (recorded * rate).astype(int)
    heard = ["left" if abs(recording[i:i + 50, 0]).max() > abs(recording[i:i + 50, 1]).max()
             else "right" for i in idx]
    print(f"\n{title}: {len(recorded)} of {len(requested) + len(missing)} clicks in the "
          f"recording (missing: {missing or 'none'})")
    print(f"  reported onset - requested time: mean {late.mean():.2f} ms, SD "
          f"{late.std(ddof=1):.2f} ms, range {late.min():.2f} .. {late.max():.2f} ms")
    print(f"  jitter of the recorded sound re the requested time: SD {to_sound.std(ddof=1):.2f} ms, "
          f"range {np.ptp(to_sound):.2f} ms")
    print(f"  jitter of the recorded sound re the reported onset: SD {to_report.std(ddof=1):.2f} ms, "
          f"range {np.ptp(to_report):.2f} ms")
    print(f"  clicks in the intended ear: {sum(a == b for a, b in zip(ears, heard))}/{len(which)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plays", type=int, default=50)
    parser.add_argument("--lead-ms", type=float, default=200.0,
                        help="scheduled mode: how far ahead of the call (default 200)")
    args = parser.parse_args(argv)
    import os

    import soundfile

    from attentionlab.experiments.audio import StereoPlayer

    rng = np.random.default_rng(1)
    results = []
    with pulse_server.private_pulse() as pulse, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(pulse.env)
        player = StereoPlayer(clock=time.perf_counter)
        time.sleep(1.0)  # a freshly opened stream starts late; let it settle first
        for mode, lead in (("as soon as possible", None),
                           (f"scheduled {args.lead_ms:g} ms ahead", args.lead_ms / 1000)):
            path = Path(tmp) / f"clicks{len(results)}.wav"
            recorder = pulse.record(path, rate=48000)
            time.sleep(0.5)
            requested, reported = run(player, rng, args.plays, lead)
            time.sleep(1.5)  # let the last click pass through the sink to the recorder
            recorder.stop()
            results.append((mode, path, requested, reported))
        underflows = player.underflows
        print(f"device rate {player.rate} Hz, output buffer {player.latency_s * 1000:.1f} ms, "
              f"underflows {underflows}")
        player.close()
        for mode, path, requested, reported in results:
            recording, rate = soundfile.read(path, dtype="float32")
            summarise(mode, recording, rate, requested, reported)
    return 0


if __name__ == "__main__":
    sys.exit(main())
