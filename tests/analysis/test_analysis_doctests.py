"""The examples in the analysis modules' docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = [*(f"analysis.{name}" for name in (
    "cleaning", "stroop", "reliability", "mapping", "reading", "problems", "registry",
    "statistics", "search", "search_report")), "core.figures"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"attentionlab.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
