"""What a student's browser may send: every request body checked before use.

A body is JSON of at most :data:`MAX_BODY_BYTES`; each endpoint declares its
fields (:data:`SCHEMAS`) and nothing else is accepted. Numbers must be
finite numbers (``NaN``, ``Infinity``, a string, ``true`` are refused),
strings are short, and no value is ever evaluated or used as a path: the
server looks tokens, tasks and run ids up in its own tables.

Hand-written (about a hundred lines) rather than a schema library: the
rules are few, and the messages must be plain sentences for the browser.

>>> parse_json(b'{"student_token": null}', SCHEMAS["join"])
{'student_token': None}
>>> parse_json(b'{"student_token": null, "x": 1}', SCHEMAS["join"])
Traceback (most recent call last):
...
attentionlab.web.validation.RequestError: unknown field 'x' (allowed: student_token)
"""

import json
import math
from dataclasses import dataclass

MAX_BODY_BYTES = 64 * 1024
MAX_STRING = 200          # characters in any string a student sends ...
MAX_USER_AGENT = 512      # ... except the browser's own name, which can be longer
MAX_INT = 2**31 - 1


class RequestError(Exception):
    """A request the server refuses: ``status`` (HTTP) and a plain sentence."""

    def __init__(self, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.status = status
        self.extra = extra


@dataclass(frozen=True)
class Field:
    """One field: ``kind`` str, int, number, bool, dict (free keys, checked
    later by the task's DETAIL_FIELDS), or a nested schema (a dict of Fields);
    ``nullable`` allows null; ``choices`` fixes the strings allowed."""

    kind: object
    nullable: bool = False
    required: bool = True
    low: float | None = None
    high: float | None = None
    max_len: int = MAX_STRING
    choices: tuple = ()


DEVICE = {
    "user_agent": Field("str", max_len=MAX_USER_AGENT),
    "screen_w": Field("int", low=1, high=100_000),
    "screen_h": Field("int", low=1, high=100_000),
    "dpr": Field("number", low=0.1, high=20),
    "touch": Field("bool"),
    "frame_rate_hz": Field("number", nullable=True, low=1, high=1000),
    "input": Field("str", choices=("keys", "touch")),
}
OUTCOME = {
    "onset_s": Field("number", low=0, high=86_400),
    "response": Field("str"),
    "rt_ms": Field("number", nullable=True, low=0, high=3_600_000),
    "details": Field("dict"),
}
TOKEN = Field("str", max_len=64)
SCHEMAS = {
    "join": {"student_token": Field("str", nullable=True, max_len=64)},
    "start": {"student_token": TOKEN, "task": Field("str", max_len=40),
              "device": Field(DEVICE), "autopilot": Field("bool", required=False)},
    "trial": {"student_token": TOKEN, "run_id": Field("str", max_len=60),
              "trial_index": Field("int", low=1, high=100_000), "outcome": Field(OUTCOME),
              "dropped_frames": Field("int", low=0, high=1_000_000)},
    "finish": {"student_token": TOKEN, "run_id": Field("str", max_len=60),
               "aborted": Field("bool")},
    "heartbeat": {"student_token": TOKEN},
}
# outcome.details: a task's DETAIL_FIELDS maps names to these Python types.
DETAIL_KINDS = {float: "number", int: "int", str: "str", bool: "bool"}


def _refuse_constant(name):
    raise RequestError(f"{name} is not a number: numbers must be finite")


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise RequestError(f"field {key!r} is given twice")
        out[key] = value
    return out


def parse_json(body: bytes, schema: dict) -> dict:
    """The checked fields of a request ``body`` (bytes of JSON);
    :class:`RequestError` (413 too large, 400 otherwise) saying what is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise RequestError(f"the request is larger than {MAX_BODY_BYTES // 1024} KiB", 413)
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant,
                          object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestError("the request body is not valid JSON") from None
    return check_object(data, schema, "request")


def check_object(data, schema: dict, where: str) -> dict:
    """``data`` (a dict) checked against ``schema``: no unknown or missing
    fields, each value of its kind."""
    if not isinstance(data, dict):
        raise RequestError(f"{where} must be a JSON object")
    unknown = sorted(set(data) - set(schema))
    if unknown:
        allowed = ", ".join(schema) or "none"
        raise RequestError(f"unknown field {unknown[0]!r} (allowed: {allowed})")
    out = {}
    for name, spec in schema.items():
        if name not in data:
            if spec.required:
                raise RequestError(f"missing field {name!r}")
            continue
        out[name] = check_value(data[name], spec, name)
    return out


def check_value(value, spec: Field, name: str):
    """One value of kind ``spec.kind`` (see :class:`Field`)."""
    if value is None:
        if spec.nullable:
            return None
        raise RequestError(f"{name} must not be null")
    kind = spec.kind
    if isinstance(kind, dict):
        return check_object(value, kind, name)
    if kind == "dict":
        if not isinstance(value, dict):
            raise RequestError(f"{name} must be a JSON object")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise RequestError(f"{name} must be true or false")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise RequestError(f"{name} must be a string")
        if len(value) > spec.max_len:
            raise RequestError(f"{name} is longer than {spec.max_len} characters")
        if spec.choices and value not in spec.choices:
            raise RequestError(f"{name} must be one of {', '.join(spec.choices)}")
        return value
    # Numbers: bool is an int in Python, and "12" is not a number.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(f"{name} must be a number")
    if kind == "int" and not isinstance(value, int):
        raise RequestError(f"{name} must be a whole number")
    if not math.isfinite(value) or abs(value) > 1e15:
        raise RequestError(f"{name} must be a finite number")
    low = spec.low if spec.low is not None else -MAX_INT
    high = spec.high if spec.high is not None else MAX_INT
    if not low <= value <= high:
        raise RequestError(f"{name} must be between {low:g} and {high:g}")
    return value


def check_details(details: dict, allowed: dict) -> dict:
    """``outcome.details`` against a task's ``DETAIL_FIELDS`` (name -> float,
    int, str or bool); null is allowed for any of them (e.g. no click)."""
    schema = {name: Field(DETAIL_KINDS[kind], nullable=True, required=False)
              for name, kind in allowed.items()}
    return check_object(details, schema, "outcome.details")
