"""Shared fixtures and the parallel-run set-up.

Helpers live in plain modules with unique names (cli_runner.py,
analysis/analysis_helpers.py): two conftest.py files cannot both be imported
as ``conftest``.

Parallel runs: ``make test`` runs pytest-xdist workers with
``--dist loadgroup``. Each worker is its own pytest session, so it starts its
own Xvfb (:func:`x_display`), a private PulseAudio per test that needs one
(pulse_server.py: a fresh runtime folder) and its own ``tmp_path`` folders.
Tests of one module that share a module-scoped fixture (usually a whole
recorded session) run on one worker together, so the fixture is built once;
a test can also name a group itself with ``@pytest.mark.xdist_group("name")``
(every test of a group runs on one worker, one after the other). All other
tests go to whichever worker is free.
"""

import json
import os
import tempfile
from pathlib import Path

import pytest

# Where the workers tell the controller each test's group (see GroupScheduling).
GROUPS_ENV = "ATTENTIONLAB_TEST_GROUPS"


@pytest.fixture(scope="session")
def x_display():
    """A private Xvfb for the whole test session (one per xdist worker);
    yields its name (e.g. ':3')."""
    from attentionlab.experiments.virtual_display import VirtualDisplay

    with VirtualDisplay() as display:
        yield display.name


def _group_of(item) -> str | None:
    """The worker group ``item`` belongs to: its own ``xdist_group`` names,
    else its module when it needs a module-scoped fixture, else None."""
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                    for m in item.iter_markers("xdist_group")})
    if names:
        return "_".join(names)
    info = getattr(item, "_fixtureinfo", None)
    if info and any(defs and defs[-1].scope in ("module", "package")
                    for defs in info.name2fixturedefs.values()):
        return item.nodeid.split("::")[0]
    return None


def _loadgroup(config) -> bool:
    return config.pluginmanager.hasplugin("xdist") and config.getoption("dist") == "loadgroup"


def pytest_configure(config):
    """In the controller of a ``--dist loadgroup`` run, make the folder the
    workers (started later, inheriting the environment) write their groups to."""
    if _loadgroup(config) and not hasattr(config, "workerinput"):
        os.environ[GROUPS_ENV] = tempfile.mkdtemp(prefix="attentionlab-test-groups-")


def pytest_collection_modifyitems(config, items):
    """In each worker, write ``{test id: group}`` for the controller."""
    folder = os.environ.get(GROUPS_ENV)
    if not (folder and hasattr(config, "workerinput")):
        return
    groups = {item.nodeid: g for item in items if (g := _group_of(item))}
    path = Path(folder) / f"{config.workerinput['workerid']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(groups))
    tmp.replace(path)  # written before the worker reports its collection


@pytest.hookimpl(optionalhook=True)  # a hook of xdist: fine without it (-p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` that works with pytest 9.2: xdist 3.8 marks a
    group by rewriting the test id, which pytest 9.2 no longer allows, so the
    groups were silently ignored (pytest-xdist issue #1386). Here the workers
    hand the groups over in files instead."""
    if not _loadgroup(config):
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupScheduling(LoadGroupScheduling):
        _groups = None

        def _split_scope(self, nodeid):
            if self._groups is None:  # every worker collected by now, all alike
                files = sorted(Path(os.environ[GROUPS_ENV]).glob("*.json"))
                self._groups = json.loads(files[0].read_text()) if files else {}
            return self._groups.get(nodeid) or super()._split_scope(nodeid)

    return GroupScheduling(config, log)


def pytest_unconfigure(config):
    folder = os.environ.get(GROUPS_ENV)
    if folder and not hasattr(config, "workerinput"):
        for path in Path(folder).glob("*"):
            path.unlink()
        Path(folder).rmdir()
        del os.environ[GROUPS_ENV]
