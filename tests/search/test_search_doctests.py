"""The examples in the search modules' docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["attentionlab.stimuli.search", "attentionlab.stimuli.search_layout",
           "attentionlab.simulation.search", "attentionlab.experiments.search"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
