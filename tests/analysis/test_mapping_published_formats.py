"""Other labs' files read as they were published (issue 15, reading and selecting):
no header row, runs of spaces with a trailing space, mixed line endings, a folder
of per-participant files named by participant, ranges, exclusions, derived
columns and defaults for unlisted codes. Each result is compared with an
independent pandas reading of the same text."""

import io

import numpy as np
import pandas as pd
import pytest

from attentionlab.analysis.mapping import load_mapping, read_mapped
from attentionlab.analysis.mapping_text import normalise_text
from attentionlab.analysis.pipeline import AnalysisSettings, run_analysis
from attentionlab.core.errors import UsageError

from cli_runner import run_cli

CONDITIONS = {1: "congruent", 2: "incongruent", 3: "neutral"}


def fake_lab_rows(participant, rng, n=60):
    """Rows as an old lab script printed them: id block trial cond rt acc."""
    rows = []
    for trial in range(1, n + 1):
        cond = int(rng.integers(1, 4))
        rt = rng.normal(650 + 70 * (cond == 2), 80)
        acc = int(rng.random() > 0.05) if cond != 2 else int(rng.random() > 0.1)
        rows.append((participant, 1 + (trial - 1) // 30, trial, cond, round(rt, 1), acc))
    return rows


def whitespace_text(rows, endings=("\n", "\r\n")):
    """Columns padded with runs of spaces, a trailing space, line endings mixed."""
    lines = [f"{p:>4}  {b:>2} {t:>4}   {c}  {rt:>8} {a} " for p, b, t, c, rt, a in rows]
    return "".join(line + endings[i % len(endings)] for i, line in enumerate(lines))


def write_mapping(folder, body):
    path = folder / "mapping.toml"
    path.write_text(body, encoding="utf-8")
    return path


HEADERLESS = '''task = "stroop"
[read]
sep = "whitespace"
names = ["id", "block", "trial", "cond", "rt", "acc"]
{extra_read}
[columns]
{participant}congruency = "cond"
rt_ms = "rt"
correct = "acc"
[values.congruency]
"1" = "congruent"
"2" = "incongruent"
"3" = "neutral"
{rest}
'''


def independent_means(text, keep=lambda frame: frame):
    """Mean correct RT per participant and condition, read with pandas alone."""
    frame = pd.read_csv(io.StringIO(text), sep=r"\s+", header=None,
                        names=["id", "block", "trial", "cond", "rt", "acc"])
    frame = keep(frame)
    frame = frame[frame["acc"] == 1]
    return frame.groupby(["id", "cond"])["rt"].mean()


def test_normalise_text_keeps_quoted_spaces_and_joins_line_endings():
    text = 'a  "two words"  3 \r\nb "x"\t4\rc  z 5\n'
    assert normalise_text(text, whitespace=True) == 'a\t"two words"\t3\nb\t"x"\t4\nc\tz\t5\n'
    assert normalise_text("1;2\r\n3;4\r", names=["x", "y"], sep=";") == "x;y\n1;2\n3;4\n"


def test_headerless_whitespace_file_with_mixed_line_endings(tmp_path):
    rng = np.random.default_rng(3)
    rows = fake_lab_rows(7, rng) + fake_lab_rows(8, rng)
    text = whitespace_text(rows)
    data_file = tmp_path / "stroop.dat"
    data_file.write_bytes(text.encode())
    mapping = load_mapping(write_mapping(tmp_path, HEADERLESS.format(
        extra_read="", participant='participant = "id"\n', rest="")))
    data = read_mapped([data_file], mapping)
    assert data.problems == []
    assert len(data.trials) == len(rows)  # not one line lost to a \r\n
    ours = (data.trials[data.trials["correct"] == 1]
            .groupby(["participant", "congruency"])["rt_ms"].mean())
    theirs = independent_means(text)
    for (pid, cond), value in theirs.items():
        assert ours[(str(pid), CONDITIONS[cond])] == pytest.approx(value, abs=1e-9)


def test_folder_of_per_participant_files_named_by_participant(tmp_path):
    rng = np.random.default_rng(5)
    folder = tmp_path / "raw"
    folder.mkdir()
    texts = {}
    for pid in (11, 12, 13):
        rows = [(0, *r[1:]) for r in fake_lab_rows(pid, rng)]  # the id column is useless
        texts[pid] = whitespace_text(rows, endings=("\n",))
        (folder / f"stroop_sub{pid}.txt").write_text(texts[pid])
    (folder / "notes_about_the_study.txt").write_text("read me\n")
    mapping_path = write_mapping(tmp_path, HEADERLESS.format(
        extra_read="participant_from_filename = 'stroop_sub(\\d+)'", participant="", rest=""))
    result = run_analysis([folder], AnalysisSettings(mapping=str(mapping_path)))
    assert sorted(result.participants["participant"]) == ["11", "12", "13"]
    assert any("notes_about_the_study" in p.file and "file name does not match" in p.message
               for p in result.problems)
    for pid, text in texts.items():
        theirs = independent_means(text)
        mine = (result.test[(result.test["participant"] == str(pid))
                            & (result.test["correct"] == 1)]
                .groupby("congruency")["rt_ms"].mean())
        for (_, cond), value in theirs.items():
            assert mine[CONDITIONS[cond]] == pytest.approx(value)


def test_ranges_exclusions_and_files_left_out_are_listed(tmp_path):
    rng = np.random.default_rng(9)
    files = []
    for pid in (1, 2, 3):
        rows = fake_lab_rows(pid, rng)
        path = tmp_path / f"p{pid}.dat"
        path.write_text(whitespace_text(rows))
        files.append(path)
    mapping = load_mapping(write_mapping(tmp_path, HEADERLESS.format(
        extra_read="", participant='participant = "id"\n',
        rest='[keep]\ntrial = { min = 5, max = 51 }\n[drop]\nid = ["3"]\n')))
    data = read_mapped(files, mapping)
    assert sorted(data.trials["participant"].unique()) == ["1", "2"]
    assert len(data.trials) == 2 * 47  # trials 5..51 inclusive, participant 3 excluded
    assert data.n_not_kept == 3 * 60 - 2 * 47
    (gone,) = [p for p in data.problems if p.file.endswith("p3.dat")]
    assert "all rows left out" in gone.message and "drop id in {3}" in gone.message


def test_derived_column_and_default_for_unlisted_codes(tmp_path):
    text = ("pid,display,reward,ss,tp,rt,code\n"
            "1,static,high,8,yes,0.61,OK\n1,static,low,8,yes,0.65,OK\n"
            "1,dynamic,high,8,no,0.90,E12\n1,dynamic,high,8,no,0.92,OK\n"
            "1,static,high,8,yes,0.70,E3\n")
    data_file = tmp_path / "search.csv"
    data_file.write_text(text)
    mapping = load_mapping(write_mapping(tmp_path, '''task = "search"
[read]
rt_unit = "s"
[derive]
display_reward = { join = ["display", "reward"], sep = "-" }
[columns]
participant = "pid"
search_type = "display_reward"
set_size = "ss"
target_present = "tp"
rt_ms = "rt"
correct = "code"
[values.target_present]
"yes" = 1
"no" = 0
[values.correct]
"OK" = 1
[otherwise]
correct = 0
'''))
    data = read_mapped([data_file], mapping)
    assert data.problems == []
    assert data.trials["search_type"].tolist() == ["static-high", "static-low",
                                                   "dynamic-high", "dynamic-high", "static-high"]
    assert data.trials["correct"].tolist() == [1, 1, 0, 1, 0]


@pytest.mark.parametrize("body, says", [
    ('[keep]\ntrial = { from = 5 }\n', "unknown bound 'from'"),
    ('[keep]\ntrial = { min = "5" }\n', "min must be a number"),
    ('[keep]\ntrial = "5"\n', "must be a list of values"),
    ('[otherwise]\nrt_ms = 0\n', "needs a [values.rt_ms] table"),
    ('[derive]\nx = ["a", "b"]\n', "join ="),
])
def test_bad_rules_are_refused_with_what_is_allowed(tmp_path, body, says):
    path = write_mapping(tmp_path, HEADERLESS.format(extra_read="", participant='participant = "id"\n',
                                                     rest=body))
    with pytest.raises(UsageError, match=None) as caught:
        load_mapping(path)
    assert says in str(caught.value)


def test_bad_read_settings_exit_2_in_one_line(tmp_path):
    data_file = tmp_path / "x.dat"
    data_file.write_text("1 1 1 1 500 1\n")
    path = write_mapping(tmp_path, HEADERLESS.format(
        extra_read="participant_from_filename = 'sub'", participant="", rest=""))
    result = run_cli(["analyze", str(data_file), "--mapping", str(path),
                      "--out", str(tmp_path / "out")])
    assert result.returncode == 2
    assert "participant_from_filename must be a regular expression with a group" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_mixed_line_endings_in_a_file_with_a_header(tmp_path):
    """Windows, Unix and old-Mac line endings in one file: every row is read."""
    mapping = load_mapping(write_mapping(tmp_path, 'task = "stroop"\n[columns]\n'
                                         'participant = "id"\ncongruency = "c"\n'
                                         'rt_ms = "rt"\ncorrect = "a"\n'))
    data_file = tmp_path / "x.csv"
    data_file.write_bytes(b"id,c,rt,a\r\n1,congruent,500,1\n1,incongruent,600,1\r\n"
                          b"1,neutral,550,1\r1,congruent,510,1")
    data = read_mapped([data_file], mapping)
    assert data.trials["rt_ms"].tolist() == [500, 600, 550, 510] and data.problems == []


def test_problems_name_the_lines_of_a_file_without_a_header(tmp_path):
    """The header line put in front of a header-less file is not one of its
    lines: a bad RT on their line 3 and a short line 5 are reported as 3 and 5."""
    data_file = tmp_path / "x.dat"
    data_file.write_bytes(b"1 1 1 1 500 1\r\n1 1 2 2 600 1\r\n1 1 3 3 abc 1\r\n"
                          b"1 1 4 1 510 1\r\n1 1 5 2\r\n1 1 6 3 530 1\r\n")
    mapping = load_mapping(write_mapping(tmp_path, HEADERLESS.format(
        extra_read="", participant='participant = "id"\n', rest="")))
    data = read_mapped([data_file], mapping)
    assert data.trials["_line"].tolist() == [1, 2, 4, 6]
    lines = {p.line: p.message for p in data.problems}
    assert sorted(lines) == [3, 5]
    assert "RT 'abc'" in lines[3] and "4 fields where the header has 6" in lines[5]


SEARCH_MAPPING = '''task = "search"
[columns]
participant = "pid"
search_type = "kind"
set_size = "n"
target_present = "tp"
rt_ms = "rt"
correct = "ok"
[factors]
reward = "rew"
'''


def test_a_mapping_declares_the_authors_task_options(tmp_path):
    """[analysis] sets the options the command line left at their defaults;
    an option given on the command line wins."""
    from dataclasses import replace

    from attentionlab.analysis.mapping import with_mapping_options
    from attentionlab.analysis.settings import AnalysisSettings

    path = write_mapping(tmp_path, SEARCH_MAPPING
                         + '[analysis]\nslopes_from = "trials"\nby = "reward"\n')
    mapping = load_mapping(path)
    assert mapping.options == {"slopes_from": "trials", "by": "reward"}
    settings = with_mapping_options(AnalysisSettings(mapping=str(path)), mapping)
    assert (settings.slopes_from, settings.by) == ("trials", "reward")
    given = with_mapping_options(replace(AnalysisSettings(), by="kind2"), mapping)
    assert (given.slopes_from, given.by) == ("trials", "kind2")
    assert with_mapping_options(AnalysisSettings(), None) == AnalysisSettings()


@pytest.mark.parametrize("table, says", [
    ('[analysis]\nslopes_from = "median"\n', "slopes_from must be one of means, trials"),
    ('[analysis]\nby = "colour"\n', "by must name a [factors] (or [columns]) entry"),
    ('[analysis]\ntrim = "sd:2"\n', "unknown key 'trim'; allowed: slopes_from, by"),
])
def test_bad_analysis_options_are_refused(tmp_path, table, says):
    with pytest.raises(UsageError) as caught:
        load_mapping(write_mapping(tmp_path, SEARCH_MAPPING + table))
    assert says in str(caught.value)


def test_a_stroop_mapping_cannot_declare_search_options(tmp_path):
    path = write_mapping(tmp_path, HEADERLESS.format(
        extra_read="", participant='participant = "id"\n',
        rest='[analysis]\nslopes_from = "trials"\n'))
    with pytest.raises(UsageError, match="slopes_from is not an option of the stroop analysis"):
        load_mapping(path)
