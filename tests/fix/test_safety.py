"""The shared "is this value really input?" analysis the fixers decline with."""

from __future__ import annotations

import libcst as cst
import pytest

from mamori.fix.codemods._base import FixContext
from mamori.fix.codemods._safety import why_safe
from tests.fix.helpers import line_of, make_finding, reader

SRC = """\
import base64

DEBUG = False
DEFAULT = "a: 1"
ALLOWED = {"en", "fr"}


def constant(value):
    value = DEFAULT
    return sink(value)  # constant-local


def module_constant(value):
    return sink(DEFAULT.encode())  # constant-module


def element(value):
    options = {"user": value, "fallback": "x"}
    return sink(options["fallback"])  # constant-element


def tainted_element(value):
    options = {"user": value, "fallback": "x"}
    return sink(options["user"])  # tainted-element


def allowed(value):
    if value not in ALLOWED:
        raise ValueError(value)
    return sink(value)  # allowed-guard


def allowed_inside(value):
    if value in ALLOWED:
        return sink(f"lang={value}")  # allowed-inside


def dead(value):
    if DEBUG:
        return sink(value)  # dead
    return None


def branch(value):
    if value:
        value = DEFAULT
    return sink(value)  # branch


def param(value):
    return sink(base64.b64decode(value))  # param


def partly_checked(value, other):
    if value not in ALLOWED:
        return None
    return sink(value + other)  # partly-checked


def number(value):
    value = float(value)
    return sink(value)  # number


TABLE = {"csv": "Csv()", "json": "Json()"}


def table(kind):
    return sink(TABLE.get(kind))  # table


def checked_element(value):
    if value not in ALLOWED:
        raise ValueError(value)
    options = {"doc": value, "size": 50}
    return sink(options["doc"])  # checked-element


def helper(value):
    return sink(value)  # helper-of-constant-callers


def caller_a():
    return helper(DEFAULT)


def caller_b(user):
    if DEBUG:
        return helper(user)
    return None


def open_helper(value):
    return sink(value)  # helper-of-open-callers


def caller_c(user):
    return open_helper(user)
"""


def _why(marker: str) -> str | None:
    ctx = FixContext(
        finding=make_finding(cwe=502, line=line_of(SRC, marker)), source=SRC, read=reader({})
    )
    call = next(c for c in ctx.nodes_at_line(cst.Call) if ctx.code(c.func) == "sink")
    return why_safe(ctx, call, call.args[0].value)


@pytest.mark.parametrize(
    ("marker", "reason"),
    [
        ("# constant-local", "constant"),
        ("# constant-module", "constant"),
        ("# constant-element", "constant"),
        ("# allowed-guard", "allow-list"),
        ("# allowed-inside", "allow-list"),
        ("# dead", "never holds"),
        ("# number", "number"),
        ("# table", "constant"),
        ("# checked-element", "allow-list"),
        ("# helper-of-constant-callers", "every call of `helper`"),
    ],
)
def test_safe_values_are_recognised_with_a_reason(marker: str, reason: str) -> None:
    why = _why(marker)
    assert why is not None and reason in why


@pytest.mark.parametrize("marker", ["# tainted-element", "# branch", "# param", "# partly-checked"])
def test_values_that_may_be_input_are_not_called_safe(marker: str) -> None:
    assert _why(marker) is None
