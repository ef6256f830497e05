"""Read a string built by f-string, concatenation, ``%`` or ``str.format`` as literal parts and
interpolated values, so that fixers can rebuild it (a command list, a parameterised query) or
wrap its values (HTML escaping) without evaluating anything."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass

import libcst as cst


@dataclass(frozen=True)
class Lit:
    text: str  # the literal's value (escapes resolved)


@dataclass(frozen=True)
class Val:
    expr: cst.BaseExpression  # the interpolated expression (a node of the original tree)
    plain: bool  # interpolated as str(expr): no conversion other than str, no format spec


Part = Lit | Val


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]
    kind: str  # "literal", "fstring", "concat", "percent", "format"
    quote: str  # the original's quote character, for rebuilding

    @property
    def values(self) -> list[Val]:
        return [p for p in self.parts if isinstance(p, Val)]

    @property
    def literal_text(self) -> str:
        return "".join(p.text for p in self.parts if isinstance(p, Lit))


def merge_parts(parts: list[Part]) -> tuple[Part, ...]:
    """``parts`` with adjacent literals joined and empty ones dropped."""
    out: list[Part] = []
    for p in parts:
        if isinstance(p, Lit) and out and isinstance(out[-1], Lit):
            out[-1] = Lit(out[-1].text + p.text)
        elif not (isinstance(p, Lit) and not p.text):
            out.append(p)
    return tuple(out)


def _string_parts(node: cst.BaseExpression) -> tuple[list[Part], str] | None:
    """Parts of a string literal, implicit concatenation or f-string (None for bytes etc.)."""
    if isinstance(node, cst.SimpleString):
        if "b" in node.prefix.lower():
            return None
        value = node.evaluated_value
        if not isinstance(value, str):
            return None
        return [Lit(value)], node.quote[0]
    if isinstance(node, cst.ConcatenatedString):
        left = _string_parts(node.left)
        right = _string_parts(node.right)
        if left is None or right is None:
            return None
        return left[0] + right[0], left[1]
    if isinstance(node, cst.FormattedString):
        prefix = node.prefix.lower().replace("f", "")
        if "b" in prefix:
            return None
        quote = node.quote
        parts: list[Part] = []
        for p in node.parts:
            if isinstance(p, cst.FormattedStringText):
                try:
                    text = ast.literal_eval(prefix + quote + p.value + quote)
                except (ValueError, SyntaxError):
                    return None
                parts.append(Lit(str(text).replace("{{", "{").replace("}}", "}")))
            elif isinstance(p, cst.FormattedStringExpression):
                if p.equal is not None:
                    return None
                plain = (p.conversion in (None, "s")) and p.format_spec is None
                parts.append(Val(p.expression, plain))
            else:
                return None
        return parts, quote[0]
    return None


_PERCENT = re.compile(r"%(?:\(([^)]*)\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")


def _percent(fmt: str, values: list[cst.BaseExpression]) -> list[Part] | None:
    parts: list[Part] = []
    pos = 0
    it = iter(values)
    for m in _PERCENT.finditer(fmt):
        parts.append(Lit(fmt[pos : m.start()]))
        pos = m.end()
        name, flags, width, precision, conv = m.groups()
        if conv == "%" and not (name or flags or width or precision):
            parts.append(Lit("%"))
            continue
        if name is not None or width or precision or flags or conv not in "sdir":
            return None
        try:
            expr = next(it)
        except StopIteration:
            return None
        parts.append(Val(expr, conv in "sdi"))
    parts.append(Lit(fmt[pos:]))
    if next(it, None) is not None:
        return None
    return parts


def _format(
    fmt: str, args: list[cst.BaseExpression], kwargs: dict[str, cst.BaseExpression]
) -> list[Part] | None:
    parts: list[Part] = []
    auto = 0
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return None
    for literal, field_name, spec, conversion in parsed:
        parts.append(Lit(literal))
        if field_name is None:
            continue
        if field_name == "":
            if auto >= len(args):
                return None
            expr = args[auto]
            auto += 1
        elif field_name.isdigit():
            if int(field_name) >= len(args):
                return None
            expr = args[int(field_name)]
        elif field_name.isidentifier() and field_name in kwargs:
            expr = kwargs[field_name]
        else:
            return None  # attribute or index access inside the field
        parts.append(Val(expr, conversion in (None, "s") and not spec))
    return parts


def _has_str(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _has_str(node.left) or _has_str(node.right)
    return _string_parts(node) is not None


def _concat(node: cst.BaseExpression) -> list[Part] | None:
    if (
        isinstance(node, cst.BinaryOperation)
        and isinstance(node.operator, cst.Add)
        and _has_str(node)
    ):
        left = _concat(node.left)
        right = _concat(node.right)
        if left is None or right is None:
            return None
        return left + right
    sp = _string_parts(node)
    if sp is not None:
        return sp[0]
    return [Val(node, True)]


def parse_template(node: cst.BaseExpression) -> Template | None:
    """The parts of a string-building expression, or None when it is not one."""
    sp = _string_parts(node)
    if sp is not None:
        kind = "fstring" if isinstance(node, cst.FormattedString) else "literal"
        return Template(parts=merge_parts(sp[0]), kind=kind, quote=sp[1])
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        parts = _concat(node)
        if parts is None or not any(isinstance(p, Lit) for p in parts):
            return None
        quote = _first_quote(node) or '"'
        return Template(parts=merge_parts(parts), kind="concat", quote=quote)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        left = _string_parts(node.left)
        if left is None or not all(isinstance(p, Lit) for p in left[0]):
            return None
        fmt = "".join(p.text for p in left[0] if isinstance(p, Lit))
        right = node.right
        if isinstance(right, cst.Tuple):
            values = [e.value for e in right.elements if isinstance(e, cst.Element)]
            if len(values) != len(right.elements):
                return None
        elif isinstance(right, cst.Dict):
            return None
        else:
            values = [right]
        pparts = _percent(fmt, values)
        if pparts is None:
            return None
        return Template(parts=merge_parts(pparts), kind="percent", quote=left[1])
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
    ):
        base = _string_parts(node.func.value)
        if base is None or not all(isinstance(p, Lit) for p in base[0]):
            return None
        fmt = "".join(p.text for p in base[0] if isinstance(p, Lit))
        args: list[cst.BaseExpression] = []
        kwargs: dict[str, cst.BaseExpression] = {}
        for a in node.args:
            if a.star:
                return None
            if a.keyword is None:
                args.append(a.value)
            else:
                kwargs[a.keyword.value] = a.value
        fparts = _format(fmt, args, kwargs)
        if fparts is None:
            return None
        return Template(parts=merge_parts(fparts), kind="format", quote=base[1])
    return None


def _first_quote(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.BinaryOperation):
        return _first_quote(node.left) or _first_quote(node.right)
    sp = _string_parts(node)
    return sp[1] if sp else None


def is_string_building(node: cst.BaseExpression) -> bool:
    """An expression that builds a string with at least one interpolated value."""
    t = parse_template(node)
    return t is not None and bool(t.values)
