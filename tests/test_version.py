"""One version number, from the package metadata, and build requirements that
match what pyproject.toml uses (issue 13, "Install where labs are")."""

import re
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path

import attentionlab

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_version_comes_from_the_package_metadata():
    assert attentionlab.__version__ == metadata.version("attentionlab")
    assert attentionlab.__version__ == PYPROJECT["project"]["version"]


def test_version_without_metadata_is_a_clear_placeholder(tmp_path):
    """A source tree never installed (no metadata) still imports, with a version
    that cannot be mistaken for a release."""
    code = ("import importlib.metadata as m\n"
            "def missing(name): raise m.PackageNotFoundError(name)\n"
            "m.version = missing\n"
            "import attentionlab; print(attentionlab.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "0+unknown"


def test_no_other_hard_coded_version_in_the_package():
    version = re.escape(PYPROJECT["project"]["version"])
    pattern = re.compile(rf"""["']{version}["']""")
    found = [f"{path.relative_to(ROOT)}:{n}"
             for path in sorted((ROOT / "attentionlab").rglob("*"))
             if path.suffix in (".py", ".html", ".toml", ".json") and path.is_file()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == [], f"version written by hand (use attentionlab.__version__): {found}"


def test_build_backend_is_new_enough_for_an_spdx_license_string():
    """``license = "MIT"`` (PEP 639) is rejected by setuptools before 77."""
    requires = PYPROJECT["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    if isinstance(PYPROJECT["project"].get("license"), str):
        low = re.search(r">=\s*(\d+)", setuptools)
        assert low and int(low.group(1)) >= 77, setuptools


def test_every_data_file_of_the_package_is_in_package_data():
    """A wheel (non-editable install) carries every non-Python file, e.g. the
    report templates."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]
    missing = []
    for path in sorted((ROOT / "attentionlab").rglob("*")):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(ROOT)
        covered = False
        for package, globs in patterns.items():
            folder = Path(*package.split("."))
            if folder in relative.parents:
                inside = relative.relative_to(folder).as_posix()
                covered = covered or any(fnmatch(inside, g) for g in globs)
        if not covered:
            missing.append(str(relative))
    assert missing == [], f"not in [tool.setuptools.package-data]: {missing}"


def test_lab_only_packages_are_extras_and_linux_only_ones_have_a_marker():
    base = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    for package in ("psychopy", "sounddevice", "python-xlib", "pocketsphinx", "pyqt"):
        assert package not in base, f"{package} in the analysis install"
    lab = PYPROJECT["project"]["optional-dependencies"]["lab"]
    xlib = next(r for r in lab if r.startswith("python-xlib"))
    assert "sys_platform == 'linux'" in xlib.replace('"', "'")
