"""Run the attentionlab command line in a subprocess, as a user would."""

import os
import subprocess
import sys


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
