"""CWE-643: an XPath expression built from strings -> XPath variables bound by lxml."""

from __future__ import annotations

import keyword as pykeyword

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    append_args,
    built_string,
    fstring_node,
    keyword,
    positional,
    string_node,
)
from mamori.fix.codemods._safety import why_safe
from mamori.fix.codemods._template import Lit, Template, Val
from mamori.fix.interface import Declined, FixerInfo

_ET_METHODS = {"find", "findall", "findtext", "iterfind"}


def _var_name(val: Val, taken: set[str], n: int) -> str:
    expr = val.expr
    if (
        isinstance(expr, cst.Name)
        and expr.value not in taken
        and not pykeyword.iskeyword(expr.value)
    ):
        return expr.value
    name = f"v{n}"
    while name in taken:
        n += 1
        name = f"v{n}"
    return name


def _quoted_values(template: Template) -> list[tuple[int, str]] | None:
    """For each value: its index in ``parts`` and the quote around it; None when a value is
    not exactly one quoted XPath string literal (``'...'`` or ``"..."``)."""
    parts = template.parts
    found: list[tuple[int, str]] = []
    for i, p in enumerate(parts):
        if not isinstance(p, Val):
            continue
        if not p.plain or i == 0 or i == len(parts) - 1:
            return None
        before, after = parts[i - 1], parts[i + 1]
        if not isinstance(before, Lit) or not isinstance(after, Lit):
            return None
        q = before.text[-1:]
        if q not in {"'", '"'} or not after.text.startswith(q):
            return None
        found.append((i, q))
    return found


class XPathVariablesFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/xpath-variables"),
        title="Bind values as XPath variables instead of building the expression",
        cwes=(643,),
        risk=RiskClass.LOW,
        risk_reason=(
            "a value that was a quoted string literal in the expression is compared as the same"
            " string when bound as a variable; only values that broke out of the quotes change"
            " meaning"
        ),
        description=(
            'Rewrites lxml `tree.xpath("//user[@name=\'" + name + "\']")` (f-string, `+`,'
            " `%` or `.format`, inline or in a variable assigned once) into"
            ' `tree.xpath("//user[@name=$name]", name=name)`, so that lxml binds the value and'
            " it cannot change the query. For ElementTree's `find/findall/findtext/iterfind`"
            " (no variables), the value is quoted with `xml.sax.saxutils.quoteattr`. Declines"
            " when a value is not inside quotes (a number, a path step) in the expression."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            func = node.func
            if not isinstance(func, cst.Attribute):
                continue
            if func.attr.value == "xpath":
                return self._lxml(ctx, node)
            if func.attr.value in _ET_METHODS:
                result = self._etree(ctx, node)
                if result is not None:
                    return result
        return None

    def _lxml(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        pos = positional(node)
        arg = pos[0] if pos else keyword(node, "_path")
        if arg is None or any(a.star for a in node.args):
            return None
        found = built_string(ctx, node, arg.value)
        if found is None:
            return None
        target, template = found
        why = why_safe(ctx, node, target)
        if why is not None:
            return Declined(reason=why)
        quoted = _quoted_values(template)
        if quoted is None:
            return Declined(reason="a value in the XPath expression is not a quoted string")
        taken = {a.keyword.value for a in node.args if a.keyword is not None} | {"_path"}
        index = {i for i, _ in quoted}
        names: dict[int, tuple[str, cst.BaseExpression]] = {}
        text = ""
        for i, p in enumerate(template.parts):
            if isinstance(p, Lit):
                t = p.text
                if i - 1 in index:
                    t = t[1:]  # the closing quote of the value before
                if i + 1 in index:
                    t = t[:-1]  # the opening quote of the value after
                text += t
            else:
                name = _var_name(p, taken, len(names) + 1)
                taken.add(name)
                names[i] = (name, p.expr)
                text += f"${name}"
        new_kwargs = [
            cst.Arg(
                expr,
                keyword=cst.Name(n),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
            for n, expr in names.values()
        ]
        literal = string_node(text, template.quote)
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        if target is arg.value:
            call = node.with_changes(
                args=[a.with_changes(value=literal) if a is arg else a for a in node.args]
            )
        else:
            replacements[target] = literal
            call = node
        replacements[node] = append_args(call, new_kwargs)
        return Edit(
            replacements=replacements,
            description=(
                "Bind the interpolated values as XPath variables (`$name`) that lxml passes"
                " as strings, instead of splicing them into the expression."
            ),
        )

    def _etree(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        pos = positional(node)
        arg = pos[0] if pos else keyword(node, "path")
        if arg is None:
            return None
        found = built_string(ctx, node, arg.value)
        if found is None:
            return None
        target, template = found
        why = why_safe(ctx, node, target)
        if why is not None:
            return Declined(reason=why)
        quoted = _quoted_values(template)
        if quoted is None:
            return Declined(reason="a value in the path expression is not a quoted string")
        if "[" not in template.literal_text:
            return None  # not a predicate: not an XPath built from data
        index = {i for i, _ in quoted}
        pieces: list[str | cst.BaseExpression] = []
        for i, p in enumerate(template.parts):
            if isinstance(p, Lit):
                t = p.text
                if i - 1 in index:
                    t = t[1:]
                if i + 1 in index:
                    t = t[:-1]
                pieces.append(t)
            else:
                pieces.append(cst.Call(func=cst.Name("quoteattr"), args=[cst.Arg(p.expr)]))
        new = fstring_node(pieces, ctx.module, template.quote)
        if new is None:
            return None
        return Edit(
            replacements={target: new},
            imports=(Import(module="xml.sax.saxutils", obj="quoteattr"),),
            description=(
                "Quote the interpolated values with `xml.sax.saxutils.quoteattr`, so that a"
                " value cannot close the string and change the path (ElementTree has no XPath"
                " variables)."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=(
                "quoteattr also turns `&`, `<`, `>` and a mixed-quote value into entities, which"
                " ElementTree does not decode: such values no longer match"
            ),
        )
