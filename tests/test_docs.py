"""Every declared column and parameter is documented where users look."""

import dataclasses
import re
from pathlib import Path

import pytest

from attentionlab.core.columns import COMMON_COLUMNS
from attentionlab.stimuli import stroop
from attentionlab.stimuli.registry import PARAMS, TASKS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _documented_names(path):
    return set(re.findall(r"^\| `([a-z_0-9]+)` \|", path.read_text(encoding="utf-8"), re.M))


def test_common_columns_are_in_data_format():
    assert {c.name for c in COMMON_COLUMNS} <= _documented_names(DOCS / "data-format.md")


@pytest.mark.parametrize("task", list(TASKS))
def test_task_columns_and_parameters_are_on_the_task_page(task):
    page = _documented_names(DOCS / "tasks" / f"{task}.md")
    assert {c.name for c in TASKS[task].COLUMNS} <= page
    assert {f.name for f in dataclasses.fields(PARAMS[task])} <= page


def test_counterbalancing_table_matches_the_code():
    text = (DOCS / "tasks" / "stroop.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([0-3]) \| (\w+) \| (\w+) \| (\w+) \| (\w+) \|$", text, re.M)
    assert len(rows) == 4
    for group, *colours in rows:
        mapping = stroop.colour_to_key(stroop.StroopParams(), f"P{group}")
        assert dict(zip(colours, "dfjk")) == mapping


def test_simulation_parameters_are_documented_with_sources():
    from attentionlab.simulation.registry import population_for
    from attentionlab.tasks import TASKS as SIMULATIONS

    page = _documented_names(DOCS / "simulation.md")
    for cls in map(population_for, SIMULATIONS):
        assert {f.name for f in dataclasses.fields(cls)} <= page
