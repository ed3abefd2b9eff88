"""Shared fixtures: a private virtual X display for presentation tests.

Helpers live in plain modules with unique names (cli_runner.py,
analysis/analysis_helpers.py): two conftest.py files cannot both be imported
as ``conftest``."""

import pytest

@pytest.fixture(scope="session")
def x_display():
    """A private Xvfb for the whole test session; yields its name (e.g. ':3')."""
    from attentionlab.experiments.virtual_display import VirtualDisplay

    with VirtualDisplay() as display:
        yield display.name
