"""attentionlab: classic attention experiments with the analysis built in.

Layers (dependencies point one way): ``core`` and ``stimuli`` are pure,
``analysis`` reads data with pandas, ``experiments`` presents with PsychoPy.

``__version__`` is the installed distribution's version: the one number,
set in pyproject.toml, that sidecars, reports and BIDS exports record.

>>> isinstance(__version__, str)
True
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("attentionlab")
except _metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
