"""Participant and session labels, validated before anything touches the disk.

Labels end up in file and folder names and in spreadsheets, so they follow
BIDS: ASCII letters and digits only. That refuses path tricks (``../x``),
spaces, and spreadsheet formulas (``=1+1``) in one rule.
"""

import re

from attentionlab.core.errors import UsageError

_LABEL = re.compile(r"[A-Za-z0-9]{1,64}")


def check_label(value: str, what: str = "participant") -> str:
    """Return ``value`` if it is a valid label, else raise :class:`UsageError`.

    >>> check_label("P07")
    'P07'
    """
    if value is None or not _LABEL.fullmatch(value):
        shown = "an empty label" if not value else repr(value)
        raise UsageError(
            f"{what} label {shown} is not allowed: use 1-64 ASCII letters and digits "
            f"only (e.g. P07), no spaces, dashes, dots or other symbols")
    return value
