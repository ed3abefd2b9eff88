"""Shared fixtures: a virtual X display for presentation tests, the CLI as a
subprocess, and the location of the other labs' data in ../shared."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_REAL_DATA = REPO.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def x_display():
    """A private Xvfb for the whole test session; yields its name (e.g. ':3')."""
    from attentionlab.experiments.virtual_display import VirtualDisplay

    with VirtualDisplay() as display:
        yield display.name


def run_cli(args, *, display=None, timeout=300, env_extra=None, cwd=None):
    """Run ``attentionlab ARGS`` in a subprocess; return CompletedProcess."""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    if display:
        env["DISPLAY"] = display
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "attentionlab.experiments.cli", *args],
                          env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd)


def start_cli(args, *, display, env_extra=None):
    """Start ``attentionlab ARGS`` without waiting (for kill and Escape tests)."""
    env = {**os.environ, "DISPLAY": display, **(env_extra or {})}
    return subprocess.Popen([sys.executable, "-m", "attentionlab.experiments.cli", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
