"""A virtual X display (Xvfb) for machines without a screen: the demo on a
server, the test suite, the benchmarks.

>>> # with VirtualDisplay() as display:
>>> #     subprocess.run([...], env={**os.environ, "DISPLAY": display.name})
"""

import os
import select
import shutil
import subprocess

from attentionlab.core.errors import UsageError


class VirtualDisplay:
    """Start ``Xvfb`` on a free display number; ``name`` is e.g. ``':12'``.

    Xvfb picks the number itself (``-displayfd``), so parallel runs never
    collide. Stopped by :meth:`stop` or on leaving the ``with`` block.
    """

    def __init__(self, width: int = 1024, height: int = 768, timeout_s: float = 15.0):
        if shutil.which("Xvfb") is None:
            raise UsageError("Xvfb is not installed (Debian: apt-get install xvfb); it is "
                             "needed to run without a screen")
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp", "+extension", "XTEST"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        try:
            number = _read_line(read_fd, timeout_s)
        finally:
            os.close(read_fd)
        if not number:
            self.stop()
            raise RuntimeError("Xvfb did not start (no display number reported)")
        self.name = f":{number}"

    def stop(self) -> None:
        """Stop the X server (terminate, then kill if it does not exit)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _read_line(fd: int, timeout_s: float) -> str:
    """Read up to the newline Xvfb writes after the display number. Reading
    the whole line matters: closing the pipe early kills Xvfb with SIGPIPE."""
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], timeout_s)
        chunk = os.read(fd, 32) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.decode().strip()
