"""The teacher page in a real browser (issue 17): without the token (or with a
wrong one) it is 403 and shows nothing of the class; with it, the QR code of
the student page and the counts. SIGTERM (as Ctrl-C) ends the class with its
one line and exit status 0."""

import pytest

from web_browser_helpers import teacher_status

# All browser tests on one xdist worker: one Chromium at a time on the 2 cores.
pytestmark = pytest.mark.xdist_group("browser")


@pytest.mark.parametrize("query", ["", "?token=", "?token=0123456789abcdef"])
def test_the_teacher_page_without_the_token_is_403(browser, class_server, query):
    page = browser.new_page()
    response = page.goto(f"{class_server.base_url}/teacher{query}")
    assert response.status == 403
    assert "<svg" not in page.content() and class_server.token not in page.content()
    for path in ("/api/teacher/status", "/teacher/report"):
        assert page.goto(f"{class_server.base_url}{path}{query}").status == 403
    closing = page.request.post(f"{class_server.base_url}/api/teacher/close{query}")
    assert closing.status == 403
    assert teacher_status(class_server)["closed"] is False
    page.close()


def test_the_teacher_page_with_the_token(browser, class_server):
    page = browser.new_page()
    response = page.goto(class_server.teacher_url)
    assert response.status == 200
    assert page.locator(".qr svg").count() == 1  # the student URL as a QR code
    assert page.text_content("#students").strip() == "0"
    assert class_server.student_url in page.text_content("body")
    page.close()


def test_sigterm_ends_the_class_with_exit_status_0(browser, class_server):
    page = browser.new_page()  # a class that has begun: the teacher page is up
    assert page.goto(class_server.teacher_url).status == 200
    page.close()
    assert class_server.stop() == 0
    assert class_server.output[-1].startswith("Class server stopped")
