"""Down-level newer Python syntax so that the interpreter's :mod:`ast` can parse it.

The engine walks :mod:`ast` trees (fast, with line numbers), but Mamori may run on an older
Python than the code it scans. Files that this interpreter's ``ast`` rejects but LibCST (whose
native parser knows 3.12 and 3.13 syntax) accepts are rewritten into equivalent 3.11 syntax
that keeps every statement on its original line, then parsed again:

- PEP 695: ``type X[T] = Y`` becomes ``X = Y``; type parameter lists on classes and functions
  are dropped (they carry no data flow).
- PEP 701: an f-string whose replacement fields reuse the enclosing quote character
  (``f"{d["k"]}"``) is re-quoted with a quote style its fields do not use.

Anything else LibCST parses but this ``ast`` does not stays unanalysed, with the reason.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable

import libcst as cst

__all__ = ["DownlevelError", "downlevel", "parse_any"]


class DownlevelError(Exception):
    """The text cannot be turned into something this interpreter's ``ast`` parses."""


class _Downleveller(cst.CSTTransformer):
    def leave_TypeAlias(
        self, original_node: cst.TypeAlias, updated_node: cst.TypeAlias
    ) -> cst.Assign:
        return cst.Assign(
            targets=[cst.AssignTarget(target=updated_node.name)], value=updated_node.value
        )

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        if updated_node.type_parameters is None:
            return updated_node
        return updated_node.with_changes(type_parameters=None)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated_node.type_parameters is None:
            return updated_node
        return updated_node.with_changes(type_parameters=None)

    def leave_FormattedString(
        self, original_node: cst.FormattedString, updated_node: cst.FormattedString
    ) -> cst.FormattedString:
        start = updated_node.start
        prefix = start.rstrip("'\"")
        quote = start[len(prefix) :]
        empty = cst.Module(body=[])
        fields = "".join(
            empty.code_for_node(p)
            for p in updated_node.parts
            if isinstance(p, cst.FormattedStringExpression)
        )
        literal = "".join(
            p.value for p in updated_node.parts if isinstance(p, cst.FormattedStringText)
        )
        if quote not in {'"', "'"} or (quote not in fields and "\n" not in fields):
            return updated_node
        # 3.11 forbids the enclosing quote inside replacement fields and newlines inside
        # single-quoted f-strings; pick the first quote style that neither the fields nor the
        # literal text would end early.
        other = "'" if quote == '"' else '"'
        for candidate in (other, quote * 3, other * 3):
            if "\n" in fields and len(candidate) == 1:
                continue
            if candidate in fields or candidate[0] in literal.replace("\\" + candidate[0], ""):
                continue
            return updated_node.with_changes(start=prefix + candidate, end=candidate)
        return updated_node


def downlevel(text: str, module: cst.Module | None = None) -> str:
    """``text`` rewritten into 3.11 syntax, lines preserved. Raises :class:`DownlevelError`
    when LibCST cannot parse it either."""
    if module is None:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as e:
            raise DownlevelError(
                f"syntax error at line {e.editor_line}, column {e.editor_column}: {e.message}"
            ) from e
    return module.visit(_Downleveller()).code


def parse_any(
    path: str, text: str, cst_module: Callable[[], cst.Module] | None = None
) -> ast.Module:
    """Parse ``text`` with :mod:`ast`, down-levelling newer syntax first when needed.

    ``cst_module`` returns the file's LibCST tree when the caller already has one (parse once);
    it is called only for files this interpreter's ``ast`` rejects.
    Raises :class:`DownlevelError` with a reason for people when the file cannot be analysed.
    """
    with warnings.catch_warnings():
        # Invalid escape sequences in old code are the author's problem, not the scan's.
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            return ast.parse(text, filename=path)
        except SyntaxError as first:
            reason = f"{first.msg}, line {first.lineno}"
        except (ValueError, RecursionError, MemoryError) as e:
            raise DownlevelError(f"cannot be parsed: {type(e).__name__}: {e}") from e
        try:
            lowered = downlevel(text, cst_module() if cst_module is not None else None)
        except cst.ParserSyntaxError as e:
            raise DownlevelError(
                f"not valid Python (syntax error at line {e.editor_line}, "
                f"column {e.editor_column}: {e.message})"
            ) from e
        except DownlevelError as e:
            raise DownlevelError(f"not valid Python ({e})") from e
        except RecursionError as e:
            raise DownlevelError(f"cannot be parsed: {type(e).__name__}") from e
        try:
            return ast.parse(lowered, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
            raise DownlevelError(
                f"uses syntax this Python's ast cannot parse and Mamori cannot down-level "
                f"({reason})"
            ) from e
