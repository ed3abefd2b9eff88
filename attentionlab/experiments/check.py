"""``attentionlab check``: what a lab checks before the first participant.

Python and PsychoPy, the data folder (writable, free space), the display
(size, measured flip interval, vsync) and keyboard backend, the audio output
devices, and the optional pieces (autopilot, speech recognition, espeak-ng).
Prints one line per check with OK / WARN / FAIL / SKIP; a missing piece says
the pip or apt line that adds it. Exit 0 when nothing failed (warnings
allowed), 1 otherwise.

It runs without PsychoPy (an analysis-only install): then it says that
sessions cannot run here and how to install the lab extra.
"""

import ctypes.util
import os
import shutil
import sys

import attentionlab
from attentionlab.core.datafile import preflight
from attentionlab.core.errors import UsageError
from attentionlab.core.extras import (LAB_INSTALL, SPEECH_INSTALL, has_module, missing_speech,
                                      psychopy_python_note)


def run_check(data_dir: str, windowed: bool = False) -> int:
    results = [_check_python(), _check_data_dir(data_dir)]
    if has_module("psychopy"):
        results += _check_display(windowed)
    else:
        results.append(("FAIL", "sessions", "PsychoPy is not installed: sessions cannot run "
                        f"on this computer (the analysis commands work). Fix: {LAB_INSTALL}"
                        f"{psychopy_python_note()}"))
    results += [_check_audio(), _check_autopilot(), _check_speech(), _check_espeak()]
    width = max(len(name) for _, name, _ in results)
    for status, name, detail in results:
        print(f"[{status:<4}] {name:<{width}}  {detail}")
    failed = [r for r in results if r[0] == "FAIL"]
    print("\nAll checks passed." if not failed else f"\n{len(failed)} check(s) failed.")
    return 1 if failed else 0


def _check_python():
    version = ".".join(map(str, sys.version_info[:3]))
    return "OK", "python", (f"Python {version} on {_system()} ({sys.executable}); "
                            f"attentionlab {attentionlab.__version__}")


def _check_data_dir(data_dir):
    try:
        path = preflight(data_dir)
    except UsageError as exc:
        return "FAIL", "data folder", str(exc)
    free_gib = shutil.disk_usage(path).free / 2**30
    return "OK", "data folder", f"{path.resolve()} writable, {free_gib:.1f} GiB free"


def _check_display(windowed):
    if not os.environ.get("DISPLAY") and _is_linux():
        return [("FAIL", "display", "no display: $DISPLAY is not set (start X; or, for a "
                 "demo or a test, a virtual one: 'sudo apt-get install xvfb' then "
                 "'xvfb-run -a attentionlab ...')")]
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
    needed = "needed only by the listening tasks and vocal Stroop"
    if not has_module("sounddevice"):
        return ("WARN", "audio", f"sounddevice is not installed; {needed}. Fix: {LAB_INSTALL}")
    try:
        import sounddevice
        devices = sounddevice.query_devices()
        default_out = sounddevice.default.device[1]
    except OSError as exc:  # sounddevice's own message: "PortAudio library not found"
        fix = ("sudo apt-get install libportaudio2" if _is_linux() else
               "pip install --force-reinstall sounddevice (its wheel brings PortAudio)")
        return ("WARN", "audio", f"no PortAudio ({exc}); {needed}. Fix: {fix}")
    except Exception as exc:
        return ("WARN", "audio", f"no audio devices ({exc}); {needed}")
    outputs = [d for d in devices if d["max_output_channels"] >= 2]
    if not outputs:
        return ("WARN", "audio", f"no stereo output device; {needed}")
    if default_out is not None and default_out >= 0:
        d = devices[default_out]
    else:
        d = outputs[0]
    return ("OK", "audio", f"default output {d['name']!r}: {d['max_output_channels']} channels, "
            f"{d['default_samplerate']:.0f} Hz ({len(outputs)} stereo-capable outputs)")


def _check_autopilot():
    if not _is_linux():
        return ("SKIP", "autopilot", "--autopilot presses keys through X11's XTest: Linux only "
                "(not needed with real participants)")
    if not has_module("Xlib"):
        return ("WARN", "autopilot", "python-xlib is not installed; needed only by --autopilot. "
                "Fix: pip install python-xlib")
    return ("OK", "autopilot", "python-xlib found (XTest key presses for --autopilot)")


def _check_speech():
    missing = missing_speech()
    if missing:
        return ("WARN", "speech", f"{', '.join(missing)} not installed; needed by vocal Stroop "
                f"and to score shadowing in the dichotic analysis. Fix: {SPEECH_INSTALL}")
    return ("OK", "speech", "PocketSphinx and soundfile found (recognition of spoken responses)")


def _check_espeak():
    needed = "needed by the dichotic task (its speech is synthesised) and its shadowing scores"
    if _is_linux():
        fix = "sudo apt-get install espeak-ng"
    elif sys.platform == "darwin":
        fix = "brew install espeak-ng (untested)"
    else:
        fix = "install espeak-ng and put it on PATH (untested)"
    program = shutil.which("espeak-ng")
    library = ctypes.util.find_library("espeak-ng")
    if program is None or library is None:
        absent = " and ".join(n for n, found in (("the espeak-ng program", program),
                                                 ("its library", library)) if found is None)
        return ("WARN", "espeak-ng", f"{absent} not found; {needed}. Fix: {fix}")
    return ("OK", "espeak-ng", f"{program} (library {library})")


def _is_linux():
    return sys.platform.startswith("linux")


def _system():
    import platform

    return f"{platform.system()} {platform.release()} ({platform.machine()})"
