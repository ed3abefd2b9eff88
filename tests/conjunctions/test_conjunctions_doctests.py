"""The examples in the conjunctions modules' docstrings run and give what they show."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["attentionlab.stimuli.conjunctions",
                                  "attentionlab.analysis.conjunctions",
                                  "attentionlab.simulation.conjunctions",
                                  "attentionlab.experiments.conjunctions"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
