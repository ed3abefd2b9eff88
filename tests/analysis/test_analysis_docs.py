"""docs/analysis.md documents every output column and every option."""

import argparse
import re

import pytest

from attentionlab.analysis import commands
from attentionlab.analysis.stroop import GROUP_COLUMNS, PARTICIPANT_COLUMNS

from analysis_helpers import REPO

DOC = (REPO / "docs" / "analysis.md").read_text(encoding="utf-8")


def table_names(doc):
    """Names in the first cell of markdown table rows: | `name` | ..."""
    return set(re.findall(r"^\| `([^`]+)`", doc, flags=re.M))


@pytest.mark.parametrize("column", [c.name for c in PARTICIPANT_COLUMNS + GROUP_COLUMNS])
def test_every_output_column_is_documented(column):
    assert column in table_names(DOC)


def options_of(command):
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers())
    sub = parser._subparsers._group_actions[0].choices[command]
    return [o for action in sub._actions for o in action.option_strings
            if o.startswith("--") and action.help != argparse.SUPPRESS and o != "--help"]


def test_every_analyze_option_is_documented():
    documented = {name.split()[0] for name in table_names(DOC)}
    missing = [o for o in options_of("analyze") if o not in documented]
    assert not missing


def test_references_are_given():
    for author in ("Hedge", "Cousineau", "Morey"):
        assert re.search(rf"^- {author}, ", DOC, flags=re.M)
