"""``attentionlab check``: what a lab checks before the first participant.

Display size, measured flip interval and whether vsync works, the keyboard
backend, the audio output devices, and the data folder (writable, free
space). Prints one line per check with OK / WARN / FAIL; exit 0 when
nothing failed (warnings allowed), 1 otherwise.
"""

import os
import shutil

from attentionlab.core.datafile import preflight
from attentionlab.core.errors import UsageError


def run_check(data_dir: str, windowed: bool = False) -> int:
    results = [_check_data_dir(data_dir), *_check_display(windowed), _check_audio()]
    width = max(len(name) for _, name, _ in results)
    for status, name, detail in results:
        print(f"[{status:<4}] {name:<{width}}  {detail}")
    failed = [r for r in results if r[0] == "FAIL"]
    print("\nAll checks passed." if not failed else f"\n{len(failed)} check(s) failed.")
    return 1 if failed else 0


def _check_data_dir(data_dir):
    try:
        path = preflight(data_dir)
    except UsageError as exc:
        return "FAIL", "data folder", str(exc)
    free_gib = shutil.disk_usage(path).free / 2**30
    return "OK", "data folder", f"{path.resolve()} writable, {free_gib:.1f} GiB free"


def _check_display(windowed):
    if not os.environ.get("DISPLAY") and os.name == "posix" and not _is_macos():
        return [("FAIL", "display", "no display: $DISPLAY is not set (start X, or use Xvfb)")]
    try:
        from psychopy import logging, visual

        from attentionlab.experiments.frames import FramePacer
        from attentionlab.experiments.keys import KeyInput

        logging.console.setLevel(logging.ERROR)
        win = visual.Window(size=(1024, 768), fullscr=not windowed, units="height",
                            color=(-1, -1, -1), checkTiming=False)
    except Exception as exc:
        return [("FAIL", "display", f"cannot open a PsychoPy window: {exc}")]
    try:
        pacer = FramePacer(win, measure_flips=120)
        size = f"{win.size[0]}x{win.size[1]} px{' (full screen)' if not windowed else ''}"
        out = [("OK", "display", size)]
        interval = pacer.measured_interval_s * 1000
        if pacer.vsync:
            out.append(("OK", "refresh / vsync",
                        f"flips synchronised: {pacer.refresh_hz:.2f} Hz "
                        f"({interval:.3f} ms per frame)"))
        else:
            out.append(("WARN", "refresh / vsync",
                        f"no vsync: flips return in {interval:.3f} ms; sessions pace frames in "
                        f"software at {pacer.refresh_hz:g} Hz (fine for demos and tests; "
                        f"for a lab, enable vsync in the graphics driver)"))
        keys = KeyInput()
        if keys.backend == "ptb":
            out.append(("OK", "keyboard", "Psychtoolbox backend (asynchronous timestamps)"))
        else:
            out.append(("WARN", "keyboard", keys.warning))
        return out
    finally:
        win.close()


def _check_audio():
    try:
        import sounddevice
        devices = sounddevice.query_devices()
        default_out = sounddevice.default.device[1]
    except Exception as exc:
        return ("WARN", "audio", f"no audio library or devices ({exc}); "
                "needed only by the listening tasks")
    outputs = [d for d in devices if d["max_output_channels"] >= 2]
    if not outputs:
        return ("WARN", "audio", "no stereo output device; needed only by the listening tasks")
    if default_out is not None and default_out >= 0:
        d = devices[default_out]
    else:
        d = outputs[0]
    return ("OK", "audio", f"default output {d['name']!r}: {d['max_output_channels']} channels, "
            f"{d['default_samplerate']:.0f} Hz ({len(outputs)} stereo-capable outputs)")


def _is_macos():
    import sys
    return sys.platform == "darwin"
