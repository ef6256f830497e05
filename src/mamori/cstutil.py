"""Small LibCST helpers shared by triage and the fixers."""

from __future__ import annotations

import libcst as cst

__all__ = ["storage_name"]


def storage_name(expr: cst.BaseExpression) -> str | None:
    """The identifier that names a storage place: ``x``, ``obj.x``, ``d["x"]`` (a constant
    string key); None for anything else."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            key = index.value.evaluated_value
            return key if isinstance(key, str) else None
    return None
