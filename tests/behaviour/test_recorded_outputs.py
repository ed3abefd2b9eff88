"""Restructuring changes nothing a user sees: ``simulate`` + ``analyze``
write the same files as when they were recorded (tests/behaviour/
recorded_outputs.py says how to record again after an intended fix)."""

import difflib

import pytest

from recorded_outputs import TASKS, load, record


@pytest.mark.parametrize("task", TASKS)
def test_outputs_unchanged(task, tmp_path):
    recorded = {k: v for k, v in load().items() if k.startswith(f"{task}/")}
    assert recorded, f"nothing recorded for {task}"
    now = record(tmp_path, tasks=(task,))
    assert sorted(now) == sorted(recorded)
    for name, text in recorded.items():
        if now[name] != text:
            diff = "".join(list(difflib.unified_diff(
                text.splitlines(True), now[name].splitlines(True), name, name))[:40])
            pytest.fail(f"{name} changed:\n{diff}")
