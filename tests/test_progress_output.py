"""Progress of long commands (tqdm, attentionlab/core/progress.py): a bar on
a terminal, nothing in a log. Each command runs as a user would, with
stderr redirected to a file (not a terminal): the log must hold no carriage
return and only a few lines, however many steps there were."""

import os
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "attentionlab.experiments.cli"]

# stimuli build with the synthesis replaced by 60 steps of 10 ms (no espeak-ng
# needed; tqdm redraws at most every 0.1 s, so the steps must take some time):
FAKE_BUILD = """
import sys
import time
from pathlib import Path
from attentionlab.stimuli import dichotic_set

def builtin_folder(name, root=None):
    return Path(root) / "dichotic" / name

def build(name, root=None, *, force=False, progress=None):
    folder = builtin_folder(name, root)
    folder.mkdir(parents=True, exist_ok=True)
    for done in range(1, 61):
        time.sleep(0.01)
        progress(done, 60)
    return folder

dichotic_set.builtin_folder, dichotic_set.build = builtin_folder, build
from attentionlab.experiments.cli import main
sys.exit(main(["stimuli", "build", "--cache", sys.argv[1]]))
"""


def run_logged(args, tmp_path):
    """Run ``args`` with stderr going to a file; return (exit code, log text, stdout)."""
    log = tmp_path / "stderr.log"
    with open(log, "wb") as err:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=err, timeout=300)
    return done.returncode, log.read_bytes().decode("utf-8"), done.stdout.decode("utf-8")


def check_log(text, most_lines=2):
    assert "\r" not in text, repr(text[:300])
    assert len(text.splitlines()) <= most_lines, text


def test_simulate_writes_no_progress_lines_into_a_log(tmp_path):
    code, log, out = run_logged([*CLI, "simulate", "stroop", "--participants", "60",
                                 "--trials", "24", "--out", str(tmp_path / "sim")], tmp_path)
    assert code == 0, log
    check_log(log, most_lines=0)
    assert "Wrote 60 simulated session(s)" in out


def test_power_writes_only_its_one_line_notice_into_a_log(tmp_path):
    code, log, out = run_logged([*CLI, "power", "stroop", "--effect", "interference_ms=40",
                                 "--participants", "3,4,5", "--trials", "24",
                                 "--simulations", "10", "--out", str(tmp_path / "power")],
                                tmp_path)
    assert code == 0, log
    check_log(log, most_lines=1)
    assert log.startswith("Simulating 10 studies for each of 3 cells")
    assert "Smallest N" in out


def test_stimuli_build_writes_no_progress_lines_into_a_log(tmp_path):
    code, log, out = run_logged([sys.executable, "-c", FAKE_BUILD, str(tmp_path / "cache")],
                                tmp_path)
    assert code == 0, log
    check_log(log, most_lines=0)
    assert "standard: built in" in out and "short: built in" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal test: Linux")
def test_on_a_terminal_the_bar_is_drawn_and_erased(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # a terminal 100 columns wide (a new pseudo-terminal has width 0: no bar fits)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen([sys.executable, "-c", FAKE_BUILD, str(tmp_path / "cache")],
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8")
    assert process.returncode == 0
    assert "standard: synthesising" in shown and "/60 [" in shown  # the bar was drawn ...
    assert shown.rstrip(" ").endswith("\r") and "\n" not in shown  # ... and erased


def test_progress_docstring_example():
    import doctest

    from attentionlab.core import progress

    result = doctest.testmod(progress)
    assert result.attempted > 0 and result.failed == 0
