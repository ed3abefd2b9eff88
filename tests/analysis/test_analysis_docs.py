"""docs/analysis.md documents every output column and every option."""

import argparse
import re

import pytest

from attentionlab.analysis import commands
from attentionlab.analysis.registry import ANALYSES, get_analysis

from analysis_helpers import REPO

DOC = (REPO / "docs" / "analysis.md").read_text(encoding="utf-8")


def table_names(doc):
    """Names in the first cell of markdown table rows: | `name` | ..."""
    return set(re.findall(r"^\| `([^`]+)`", doc, flags=re.M))


def section(task, name):
    """The text of a '### participants.csv (stroop)'-like section (case
    ignored) in docs/analysis.md or in the task's own page docs/tasks/<task>.md."""
    page = REPO / "docs" / "tasks" / f"{task}.md"
    texts = [DOC] + ([page.read_text(encoding="utf-8")] if page.exists() else [])
    pattern = rf"^### {re.escape(name)} \({re.escape(task)}\)\n(.*?)(?=^### |^## |\Z)"
    found = [m.group(1) for text in texts
             for m in re.finditer(pattern, text, flags=re.M | re.S | re.I)]
    return "\n".join(found)


@pytest.mark.parametrize("task", sorted(ANALYSES))
def test_every_output_column_is_documented(task):
    analysis = get_analysis(task)
    for name, columns in (("participants.csv", analysis.participant_columns),
                          ("group.csv", analysis.group_columns)):
        documented = table_names(section(task, name))
        missing = [c.name for c in columns if c.name not in documented]
        assert not missing, (f"{task} {name}: not documented in a '### {name} ({task})' "
                             f"table of docs/analysis.md or docs/tasks/{task}.md: {missing}")


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
