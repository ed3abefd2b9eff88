"""The ``--set TASK.NAME=VALUE`` items of a class (``attentionlab demo`` and
``attentionlab classroom serve``), split by demo.

>>> by_demo(["stroop.trials=24", "search.blocks=1"], ["stroop", "search"])
{'stroop': ('trials=24',), 'search': ('blocks=1',)}
>>> by_demo([], ["stroop"])
{'stroop': ()}
"""

from attentionlab.core.errors import UsageError


def by_demo(items, demos) -> dict:
    """``{demo: ("NAME=VALUE", ...)}`` for every demo in ``demos`` (an empty
    tuple where none is set); :class:`UsageError` for an item that is not
    TASK.NAME=VALUE or names a demo that is not in the class."""
    out = {demo: () for demo in demos}
    for item in items:
        head, sep, value = item.partition("=")
        demo, dot, name = head.partition(".")
        if not (sep and dot and demo and name):
            raise UsageError(f"--set {item!r}: write TASK.NAME=VALUE, e.g. stroop.trials=24")
        if demo not in out:
            raise UsageError(f"--set {item!r}: {demo!r} is not one of the demos "
                             f"({', '.join(demos)})")
        out[demo] += (f"{name}={value}",)
    return out
