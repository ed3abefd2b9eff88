"""A student reloads the page mid-task (issue 17): the page joins again with
the token in its localStorage, gets the same label, resumes the same run at
the next trial, and the file ends with every planned trial exactly once."""

import pandas as pd
import pytest

from web_browser_helpers import (Traffic, data_files, planned_trials, student_page,
                                 teacher_status, wait_until)

# All browser tests on one xdist worker: one Chromium at a time on the 2 cores.
pytestmark = pytest.mark.xdist_group("browser")


def test_a_reload_mid_task_resumes_at_the_next_trial(browser, class_server):
    traffic = Traffic()
    page = traffic.watch(student_page(browser, class_server.student_url))
    wait_until(page, lambda: len(traffic.acked) >= 3, "the first trials of Stroop")
    page.reload()
    acked_before = {index for _, run_id, index in traffic.acked if run_id.startswith("stroop")}
    starts_before = len(traffic.starts)
    wait_until(page, lambda: len(traffic.starts) > starts_before, "the demo starting again")

    token, first = traffic.starts[0]
    again_token, again = traffic.starts[starts_before]
    assert again_token == token  # the same student (localStorage kept the token)
    assert (again["task"], again["run_id"]) == (first["task"], first["run_id"]) == \
        ("stroop", "stroop-1")
    # The next trial after the last acknowledged one, or one further when a send
    # was on its way as the page went (the server wrote it; its answer was lost).
    assert again["next_index"] in (max(acked_before) + 1, max(acked_before) + 2)

    wait_until(page, lambda: teacher_status(class_server)["tasks"]["stroop"]["finished"] == 1,
               "the student finishing Stroop after the reload")
    assert teacher_status(class_server)["students"] == 1
    files = data_files(class_server.data_dir, "stroop")
    assert len(files) == 1  # resumed, not started over in a second run
    indices = pd.read_csv(files[0])["trial_index"].tolist()
    assert indices == list(range(1, sum(planned_trials("stroop")) + 1))
    page.context.close()
