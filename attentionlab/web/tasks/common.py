"""Checks every web module's ``outcome`` makes on what a browser reported.

The server has already checked the payload's types (finite numbers, short
strings, known keys: ``attentionlab/web/validation.py``); these are the
checks that need the trial: an answer the trial offers, an RT inside the
response window. Each failure is a ``ValueError`` with one plain sentence.

>>> timing({"onset_s": 1.5, "rt_ms": 420.0}, 2000)
(1.5, 420.0)
>>> timing({"onset_s": 1.5, "rt_ms": 2500.0}, 2000)
Traceback (most recent call last):
...
ValueError: rt_ms 2500.0 is outside the response window (0 to 2000 ms)
"""

import math


def _number(payload: dict, name: str):
    value = payload.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def timing(payload: dict, deadline_ms: float | None) -> tuple:
    """``(onset_s, rt_ms)`` of the payload: onset a number >= 0 (seconds since
    the run started), RT None or within 0..``deadline_ms`` (None: no deadline)."""
    onset = _number(payload, "onset_s")
    if onset is None or onset < 0:
        raise ValueError(f"onset_s must be a number of seconds >= 0, got "
                         f"{payload.get('onset_s')!r}")
    rt = _number(payload, "rt_ms")
    if rt is not None and (rt < 0 or (deadline_ms is not None and rt > deadline_ms)):
        limit = f"{deadline_ms:g} ms" if deadline_ms is not None else "no limit"
        raise ValueError(f"rt_ms {rt} is outside the response window (0 to {limit})")
    return onset, rt


def response(payload: dict, rt_ms, allowed) -> str:
    """The payload's response: one of ``allowed`` when answered, '' when not."""
    value = payload.get("response", "")
    if not isinstance(value, str):
        raise ValueError(f"response must be text, got {value!r}")
    if rt_ms is None:
        if value:
            raise ValueError(f"response {value!r} without rt_ms: an answer needs its time")
        return ""
    if value not in allowed:
        raise ValueError(f"response {value!r} is not an answer of this trial; allowed: "
                         f"{', '.join(allowed)}")
    return value


def details(payload: dict, fields: dict) -> dict:
    """The payload's details, only the keys ``fields`` ({name: type}) allows."""
    value = payload.get("details") or {}
    if not isinstance(value, dict):
        raise ValueError("details must be an object")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        allowed = ", ".join(fields) or "none"
        raise ValueError(f"details {', '.join(unknown)} not allowed for this task; "
                         f"allowed: {allowed}")
    out = {}
    for name, kind in fields.items():
        if name in value:
            item = value[name]
            ok = (isinstance(item, (int, float)) and not isinstance(item, bool)
                  and math.isfinite(item)) if kind is float else isinstance(item, kind)
            if not ok:
                raise ValueError(f"details {name} must be {kind.__name__}, got {item!r}")
            out[name] = float(item) if kind is float else item
    return out


def check_input(task: str, inputs: tuple, input: str) -> str:
    """``input`` if the task's browser version allows it (one of ``inputs``)."""
    if input not in inputs:
        raise ValueError(f"input {input!r} is not available for {task}; "
                         f"allowed: {', '.join(inputs)}")
    return input


def css_rgb(rgb255) -> str:
    """A CSS colour from an sRGB 0-255 triple (the desktop's colours).

    >>> css_rgb((235, 40, 40))
    'rgb(235, 40, 40)'
    """
    return "rgb({}, {}, {})".format(*rgb255)
