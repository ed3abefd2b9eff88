"""attentionlab: classic attention experiments with the analysis built in.

Layers (dependencies point one way): ``core`` and ``stimuli`` are pure,
``analysis`` reads data with pandas, ``experiments`` presents with PsychoPy.
"""

__version__ = "0.1.0"
