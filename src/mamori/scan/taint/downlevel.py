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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["DownlevelError", "downlevel", "parse_any"]


class DownlevelError(Exception):
    """The text cannot be turned into something this interpreter's ``ast`` parses."""


def downlevel(text: str, module: cst.Module | None = None) -> str:
    """``text`` rewritten into 3.11 syntax, lines preserved. Raises :class:`DownlevelError`
    when LibCST cannot parse it either."""
    import libcst as cst

    from mamori.scan.taint._downleveller import Downleveller

    if module is None:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as e:
            raise DownlevelError(
                f"syntax error at line {e.editor_line}, column {e.editor_column}: {e.message}"
            ) from e
    return module.visit(Downleveller()).code


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
        import libcst as cst  # only for the files this interpreter's ast rejects

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
