"""The examples in the flicker modules' docstrings run and give what they show."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["attentionlab.stimuli.flicker",
                                  "attentionlab.stimuli.flicker_pairs",
                                  "attentionlab.stimuli.flicker_photos",
                                  "attentionlab.stimuli.flicker_scenes",
                                  "attentionlab.simulation.flicker"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
