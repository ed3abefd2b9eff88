"""Imports point one way (docs/architecture.md): a layer imports only the
layers below it, and nothing outside experiments/ imports PsychoPy. Read from
the source (every import statement, also those inside functions)."""

import ast
from pathlib import Path

import pytest

import attentionlab

PACKAGE = Path(attentionlab.__file__).parent

# layer -> the attentionlab layers it may import (itself always allowed).
ALLOWED = {
    "core": set(),
    "tasks": {"core"},
    "stimuli": {"core", "tasks"},
    "speech": {"core", "stimuli", "tasks"},
    "analysis": {"core", "stimuli", "speech", "tasks"},
    "simulation": {"core", "stimuli", "analysis", "tasks"},
    "classroom": {"core", "stimuli", "analysis", "speech", "simulation", "tasks"},
    "experiments": {"core", "stimuli", "analysis", "speech", "simulation", "classroom",
                    "tasks", "web"},  # web: the CLI registers 'classroom serve'; no PsychoPy there
    # The classroom in students' browsers (attentionlab classroom serve): no PsychoPy.
    "web": {"core", "stimuli", "analysis", "speech", "simulation", "classroom", "tasks"},
}


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py") if len(parts) > 1 or parts[0] == "tasks.py" else ""


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            if node.module == "attentionlab":
                yield from (f"attentionlab.{a.name}" for a in node.names)


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) in ALLOWED)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    layer = _layer(path)
    wrong = []
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "psychopy" and layer != "experiments":
            wrong.append(f"{name} (PsychoPy outside experiments/)")
        if parts[0] != "attentionlab" or len(parts) < 2:
            continue
        target = parts[1]
        if target in ALLOWED and target != layer and target not in ALLOWED[layer]:
            wrong.append(f"{name} ({layer} may import only {sorted(ALLOWED[layer])})")
    assert not wrong, f"{path.relative_to(PACKAGE)}: " + "; ".join(wrong)


def test_every_module_is_in_a_layer():
    stray = [p.name for p in PACKAGE.glob("*.py")
             if p.name not in ("__init__.py", "tasks.py")]
    assert not stray, f"modules outside the layers: {stray}"
