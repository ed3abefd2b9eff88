"""Option tables in the docs stay in step with the commands' ``--help`` (issue 13, item 9).

Every markdown table whose first column is headed ``option`` documents one
command, named in TABLES. For each: every option in the table exists in
that command's argparse parser, every option of the parser (except those
hidden from --help, and -h) is in the table, positional arguments listed in
the table exist, and a default given in the table matches the parser's.
A new option table must be added to TABLES (the discovery test fails
until it is), so no table of options goes unchecked.
"""

import argparse
import re
from pathlib import Path

import pytest

from attentionlab.experiments.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
         *sorted((REPO / "docs" / "tasks").glob("*.md"))]

# (page, the line just above the table, which command it documents)
TABLES = [
    ("README.md", "Options of `attentionlab run TASK --participant LABEL`:", ("run",)),
    ("docs/analysis.md", "## Options of `analyze`", ("analyze",)),
    ("docs/classroom.md", "## `attentionlab demo`", ("demo",)),
    ("docs/classroom.md", "## `attentionlab class-report PATH... --out DIR`",
     ("class-report",)),
    ("docs/classroom-web.md", "## `attentionlab classroom serve`", ("classroom", "serve")),
]


def option_tables():
    """``(page, intro line, rows)`` for every table headed ``| option |``; ``rows``
    are lists of cells. The intro is the nearest non-empty line above the table."""
    found = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^\|\s*option\s*\|", line):
                intro = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
                rows = []
                for row in lines[i + 2:]:
                    if not row.startswith("|"):
                        break
                    rows.append([c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]])
                found.append((page.relative_to(REPO).as_posix(), intro.strip(), lines[i], rows))
    return found


def command_parser(path):
    parser = build_parser()
    for name in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return parser


def documented(rows):
    """Options (``--name``) and positional metavars (``PATH``) named in the first column."""
    options, positionals = set(), set()
    for cells in rows:
        first = cells[0].strip("`")
        names = re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", first)
        if names:
            options.update(names)
        else:
            positionals.add(re.sub(r"\W+$", "", first.split()[0]))
    return options, positionals


def parser_options(parser):
    """Option strings shown by ``--help`` (each action by all its spellings)."""
    shown = [a for a in parser._actions if a.help != argparse.SUPPRESS and a.option_strings
             and not isinstance(a, argparse._HelpAction)]
    positional = {a.metavar or a.dest for a in parser._actions
                  if not a.option_strings and not isinstance(a, argparse._SubParsersAction)}
    return shown, positional


def test_every_option_table_is_checked():
    known = {(page, intro) for page, intro, _ in TABLES}
    unchecked = [(page, intro) for page, intro, _, _ in option_tables()
                 if (page, intro) not in known]
    assert not unchecked, (f"option tables not in TABLES of {Path(__file__).name}: "
                           f"{unchecked}; add each with the command it documents")
    listed = {(page, intro) for page, intro, _, _ in option_tables()}
    assert known <= listed, f"TABLES names tables that are gone: {known - listed}"


@pytest.mark.parametrize("page, intro, command", TABLES,
                         ids=[f"{p}:{' '.join(c)}" for p, _, c in TABLES])
def test_option_table_matches_the_parser(page, intro, command):
    table = next(t for t in option_tables() if t[:2] == (page, intro))
    header, rows = table[2], table[3]
    parser = command_parser(command)
    actions, positionals = parser_options(parser)
    in_table, positional_in_table = documented(rows)
    in_parser = {s for a in actions for s in a.option_strings}
    where = f"{page} (table after {intro!r}) vs 'attentionlab {' '.join(command)} --help'"
    assert in_table - in_parser == set(), f"{where}: not options of the command"
    missing = [a.option_strings[-1] for a in actions if not set(a.option_strings) & in_table]
    assert not missing, f"{where}: options missing from the table: {missing}"
    assert positional_in_table <= positionals, f"{where}: unknown positional arguments"

    # A default in the table must be the parser's (numbers compared as numbers).
    columns = [c.strip() for c in header.strip().strip("|").split("|")]
    if "default" not in columns:
        return
    at = columns.index("default")
    for cells in rows:
        names = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", cells[0]))
        action = next((a for a in actions if names & set(a.option_strings)), None)
        if action is None or action.default in (None, False, [], argparse.SUPPRESS):
            continue
        text = cells[at].strip("`")
        value = action.default
        if isinstance(value, (int, float)):
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text.replace(",", ""))]
            assert float(value) in numbers, f"{where}: {cells[0]} default {text!r}, parser {value!r}"
        else:
            assert str(value) in text, f"{where}: {cells[0]} default {text!r}, parser {value!r}"


def test_every_environment_variable_the_code_reads_is_in_the_readme():
    """The README's "Environment variables" table lists exactly the ATTENTIONLAB_*
    variables read from the environment anywhere in the package."""
    read = set()
    for path in (REPO / "attentionlab").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"environ(?:\.get)?[(\[]\s*[\"'](ATTENTIONLAB_\w+)", text))
        read |= set(re.findall(r"getenv\(\s*[\"'](ATTENTIONLAB_\w+)", text))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `(ATTENTIONLAB_\w+)` \|", readme, re.M))
    assert "ATTENTIONLAB_CAPTURE_DIR" in read  # the scan itself works
    assert read - table == set(), f"read by the code, missing from the README: {read - table}"
    assert table - read == set(), f"in the README, read by no code: {table - read}"
