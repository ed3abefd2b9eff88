"""The HTML reports are Jinja2 templates with autoescaping: text from files
(participant labels, file and folder names, stimulus values, values a
mapping does not know) is escaped in report.html and class_report.html,
whichever way it reaches the page. Also: the notes near the top, and long
lists folded.

Labels typed into a session are validated by the session runner, but files
from other labs (--mapping) and hand-edited CSVs are not: these tests write
such files directly."""

import csv
import re

import pandas as pd
import pytest
from markupsafe import escape

from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.analysis.report import render
from attentionlab.simulation.sessions import write_sessions
from attentionlab.experiments.cli import main

from analysis_helpers import simple_rows, stroop_row, write_session

EVIL = "<script>alert(1)</script>"
ATTR = '" onmouseover="alert(2)'  # would leave an attribute if not escaped


def assert_escaped(page: str, text: str) -> None:
    """``text`` is on the page, and only in its escaped form."""
    assert text not in page
    assert str(escape(text)) in page, f"{text!r} did not reach the page"


def evil_folder(root):
    """A folder whose path, with a file name starting with 'script>', spells EVIL."""
    folder = root / "<script>alert(1)<"
    folder.mkdir(parents=True)
    return folder


def relabel(source, target, participant, **columns):
    """A copy of a session CSV as a hand edit makes it: new labels, no sidecar."""
    data = pd.read_csv(source, dtype=str, keep_default_na=False)
    data["participant"] = participant
    for name, value in columns.items():
        data.loc[data.index[0], name] = value
    target.write_text(data.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return target


def test_hand_edited_session_files_are_escaped_in_the_report(tmp_path):
    made = tmp_path / "made"
    for p in ("P1", "P2", "P3"):
        write_session(made, p, "1", simple_rows(p))
    sources = sorted(made.rglob("*.csv"))
    data = evil_folder(tmp_path / "in")
    relabel(sources[0], data / "script>.csv", EVIL, word=EVIL, congruency=EVIL)
    relabel(sources[1], data / "b.csv", "x" + ATTR, word=ATTR, congruency="neutral" + ATTR)
    relabel(sources[2], data / "c.csv", "P3")
    out = tmp_path / "out"
    assert main(["analyze", str(tmp_path / "in"), "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert_escaped(page, EVIL)  # label, file name, congruency value in a problem
    assert_escaped(page, str(data / "script>.csv"))  # the file name: spells EVIL
    assert_escaped(page, "x" + ATTR)  # the label
    assert_escaped(page, "neutral" + ATTR)  # the stimulus value, quoted in a problem
    assert "<script" not in page and "onmouseover=\"" not in page


def test_files_read_through_a_mapping_are_escaped_in_the_report(tmp_path):
    folder = evil_folder(tmp_path)
    data = folder / "script>.csv"
    with open(data, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["subject", "cond", "rt", "ok", "word"])
        for subject in (EVIL, "x" + ATTR, "S3"):
            for cond, rt in (("c", 500), ("i<b>", 570), ("c", 520), ("i<b>", 600)):
                out.writerow([subject, cond, rt, 1, EVIL])
        out.writerow(["S3", "c" + EVIL, 500, 1, "RED"])  # not in the mapping's values
        out.writerow(["S3", "c" + ATTR, 500, 1, "RED"])
    mapping = folder / "script>.toml"
    mapping.write_text('task = "stroop"\n[columns]\nparticipant = "subject"\n'
                       'congruency = "cond"\nrt_ms = "rt"\ncorrect = "ok"\nword = "word"\n'
                       '[values.congruency]\nc = "congruent"\n"i<b>" = "incongruent"\n')
    out_dir = tmp_path / "out"
    assert main(["analyze", str(data), "--mapping", str(mapping), "--out", str(out_dir)]) == 0
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    for text in (EVIL, "x" + ATTR, "c" + EVIL, "c" + ATTR, str(mapping)):
        assert_escaped(page, text)
    assert "<script" not in page and "<b>" not in page


def test_class_report_escapes_labels_file_names_and_tasks(tmp_path):
    made = tmp_path / "made"
    write_sessions("stroop", 3, made, seed=4)
    sources = sorted(made.rglob("*.csv"))
    folder = evil_folder(tmp_path / "in")
    relabel(sources[0], folder / "script>.csv", EVIL)
    relabel(sources[1], folder / "b.csv", "x" + ATTR)
    relabel(sources[2], folder / "c.csv", "sim003")
    # a file of an unknown task named with markup: listed under "Files not used"
    (folder / "d.csv").write_text(f"participant,task\nP1,{'t' + ATTR.replace(chr(34), '')}\n"
                                  f"P1,x\n", encoding="utf-8")
    for i in range(11):  # more than ten files not used: the list is folded
        (folder / f"junk{i}.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["class-report", str(tmp_path / "in"), "--out", str(out)]) == 0
    page = (out / "class_report.html").read_text(encoding="utf-8")
    assert_escaped(page, EVIL)
    assert_escaped(page, "x" + ATTR)
    assert_escaped(page, str(folder / "script>.csv"))
    assert "<script" not in page and "onmouseover=\"" not in page
    assert re.search(r"<details><summary>12 files or tasks not used</summary>", page)


@pytest.fixture
def small_result(tmp_path):
    for p in ("P1", "P2", "P3"):
        write_session(tmp_path / "data", p, "1", simple_rows(p))
    return run_analysis([tmp_path / "data"], AnalysisSettings())


def test_notes_are_shown_near_the_top_and_escaped(small_result):
    small_result.notices = [f"Two runs of {EVIL}: the later one was analysed.", "Second note"]
    page = render(small_result, {})
    assert_escaped(page, f"Two runs of {EVIL}: the later one was analysed.")
    assert page.index("<h2>Notes</h2>") < page.index("<h2>Methods")
    assert "<li>Second note</li>" in page
    small_result.notices = []
    assert "<h2>Notes</h2>" not in render(small_result, {})
    del small_result.notices  # a result from before notices existed
    assert "<h2>Notes</h2>" not in render(small_result, {})


def test_short_lists_are_open_and_long_ones_folded(tmp_path, small_result):
    page = render(small_result, {})
    assert "<details>" not in page  # 3 files, no problems, nobody excluded
    assert "<p>Files read:</p>" in page
    folder = tmp_path / "many"
    for i in range(15):
        # 12 people with 2 errors in 6 trials (excluded below), 3 without errors
        rows = [stroop_row(f"Q{i}", "1", j, c, 500.0 + 10 * j, correct=int(i >= 12 or j > 1))
                for j, c in enumerate(("congruent", "incongruent") * 3)]
        path = write_session(folder, f"Q{i}", "1", rows)
        if i < 12:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(f"Q{i},1,stroop,1,1,7,te")  # a broken last line: one problem
    result = run_analysis([folder], AnalysisSettings(min_accuracy=0.9))
    page = render(result, {})
    for summary in ("15 files read", "12 problems", "12 excluded sessions",
                    "12 participant x sessions"):
        assert f"<details><summary>{summary}</summary>" in page, summary
    assert page.count("<li><code>") == 15 + 12  # every file and problem still listed


def test_html_templates_docstring_example():
    import doctest

    from attentionlab.analysis import html_templates

    result = doctest.testmod(html_templates)
    assert result.attempted > 0 and result.failed == 0
