"""Fixtures for the tests in a real browser (issue 17): a classroom server in a
subprocess on 127.0.0.1 and one headless Debian Chromium driven by Playwright.

Chromium is Debian's /usr/bin/chromium (``make test`` installs it), never
Playwright's own download (``playwright install`` cannot reach its host here).
Every test here skips with the reason when Chromium or Playwright is missing.
The helpers live in web_browser_helpers.py (two conftest.py files cannot both
be imported as ``conftest``).
"""

import pytest

from web_browser_helpers import ClassServer, browser_problem, launch_chromium


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (each student gets its own
    context: its own localStorage, as on its own device)."""
    problem = browser_problem()
    if problem:
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def class_server(tmp_path):
    """A started classroom server on a fresh data folder; stopped with SIGTERM
    (or killed) at the end. ``class_server.student_url``, ``.teacher_url``,
    ``.token``, ``.data_dir``; ``.kill()`` and ``.start()`` restart it on the
    same folder."""
    problem = browser_problem()
    if problem:
        pytest.skip(problem)
    server = ClassServer(tmp_path / "class", tasks=("stroop", "search"))
    server.start()
    yield server
    server.stop()
