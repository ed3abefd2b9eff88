"""A private PulseAudio server with a null sink, for tests that check real sound.

Everything played into the null sink can be recorded from its monitor
source, so a test hears exactly what reached each channel. The server runs
as the current user in a fresh runtime folder (no system service, no sound
card) and is stopped when the context ends.

    with private_pulse() as pulse:
        recorder = pulse.record("out.wav")           # parec of the sink's monitor
        run_cli([...], env_extra=pulse.env)          # the program plays into the sink
        recorder.stop()

Needs the Debian packages pulseaudio and pulseaudio-utils (pactl, parec).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

SINK = "attentionlab_test"


class Recording:
    """A running ``parec`` of the sink's monitor into a WAV file."""

    def __init__(self, process: subprocess.Popen, path: Path):
        self.process, self.path = process, path

    def stop(self) -> Path:
        """Stop recording (parec closes the WAV file on SIGINT); return the file."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.path


class PulseServer:
    """A started server: ``env`` makes clients (PortAudio's ALSA 'pulse' and
    'default' devices, pactl, parec) talk to it; ``sink`` is the null sink."""

    def __init__(self, runtime: Path, sink: str):
        self.runtime, self.sink = runtime, sink
        socket = runtime / "pulse" / "native"
        self.env = {"XDG_RUNTIME_DIR": str(runtime), "PULSE_SERVER": f"unix:{socket}"}

    def _run(self, *cmd, check=True):
        return subprocess.run(cmd, env={**os.environ, **self.env}, capture_output=True,
                              text=True, timeout=10, check=check)

    def record(self, path, rate: int = 48000, channels: int = 2) -> Recording:
        """Start recording the sink's monitor (``rate`` Hz, ``channels``) into ``path``."""
        path = Path(path)
        process = subprocess.Popen(
            ["parec", "-d", f"{self.sink}.monitor", "--file-format=wav",
             f"--channels={channels}", f"--rate={rate}", "--format=s16le", str(path)],
            env={**os.environ, **self.env}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        # parec needs a moment to connect; what plays before that would be lost.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if self._source_outputs() > 0:
                break
            time.sleep(0.05)
        return Recording(process, path)

    def _source_outputs(self) -> int:
        out = self._run("pactl", "list", "short", "source-outputs", check=False).stdout
        return len([line for line in out.splitlines() if line.strip()])


def available() -> bool:
    """True when the pulseaudio, pactl and parec programs are installed."""
    return all(shutil.which(p) for p in ("pulseaudio", "pactl", "parec"))


@contextlib.contextmanager
def private_pulse(sink: str = SINK, rate: int = 44100):
    """Start a private PulseAudio with one null sink (``rate`` Hz, stereo, the
    default sink); yield a :class:`PulseServer`; stop and remove it afterwards."""
    runtime = Path(tempfile.mkdtemp(prefix="attentionlab-pulse-"))
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
    env.pop("PULSE_SERVER", None)
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
         "--use-pid-file=no", "--load=module-native-protocol-unix",
         f"--load=module-null-sink sink_name={sink} rate={rate} channels=2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = PulseServer(runtime, sink)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {process.stderr.read().decode()[-500:]}")
            if server._run("pactl", "info", check=False).returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("pulseaudio did not start within 10 s")
            time.sleep(0.05)
        server._run("pactl", "set-default-sink", sink)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(runtime, ignore_errors=True)
