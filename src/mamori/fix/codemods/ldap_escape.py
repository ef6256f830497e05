"""CWE-90: an LDAP filter built from strings -> each value escaped with escape_filter_chars."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    keyword,
    positional,
    single_assignment,
)
from mamori.fix.codemods._safety import built_from_input, why_safe
from mamori.fix.codemods._template import Lit, Template, Val, parse_template
from mamori.fix.interface import Declined, FixerInfo

# Method -> (positional index, keyword) of the filter argument.
_PYTHON_LDAP = {
    "search_s": (2, "filterstr"),
    "search_st": (2, "filterstr"),
    "search_ext": (2, "filterstr"),
    "search_ext_s": (2, "filterstr"),
    "search": (2, "filterstr"),
}
_LDAP3 = {"search": (1, "search_filter")}
_ESCAPERS = {
    "ldap.filter.escape_filter_chars",
    "ldap3.utils.conv.escape_filter_chars",
    "ldap.filter.filter_format",
}
# Method -> keyword of the DN argument (the first positional one).
_PYTHON_LDAP_DN = {
    "search_s": "base",
    "search_st": "base",
    "search_ext": "base",
    "search_ext_s": "base",
    "search": "base",
    "simple_bind_s": "who",
    "simple_bind": "who",
    "bind_s": "who",
    "bind": "who",
    "modify_s": "dn",
    "modify": "dn",
    "modify_ext_s": "dn",
    "delete_s": "dn",
    "delete": "dn",
    "delete_ext_s": "dn",
    "add_s": "dn",
    "add": "dn",
    "add_ext_s": "dn",
    "rename_s": "dn",
    "modrdn_s": "dn",
    "compare_s": "dn",
}
_LDAP3_DN = {
    "search": "search_base",
    "modify": "dn",
    "delete": "dn",
    "add": "dn",
    "modify_dn": "dn",
    "compare": "dn",
}
_DN_ESCAPERS = {"ldap.dn.escape_dn_chars", "ldap3.utils.dn.escape_rdn"}


class LdapEscapeFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/ldap-escape"),
        title="Escape values put into LDAP search filters",
        cwes=(90,),
        risk=RiskClass.LOW,
        risk_reason=(
            "ordinary names and addresses contain none of `*()\\` and NUL, so they are unchanged;"
            " only values that would have changed the filter's structure are escaped"
        ),
        description=(
            "Wraps each value interpolated into the filter of a `search_s/search_st/search_ext`"
            " (python-ldap) or `Connection.search` (ldap3) call with `escape_filter_chars`"
            " (from `ldap.filter` or `ldap3.utils.conv`, matching the library the module"
            " imports), whether the filter is built inline or in a variable assigned once."
            ' A filter put together by a function from filter parts (`build_filter("(a=b)",'
            ' f"(cn={group})")`) has the values of its parts escaped. Each attribute value'
            ' interpolated into a DN (`conn.modify(f"uid={user},ou=people", ...)`, bind,'
            " add, delete, search base) is escaped with `escape_rdn` (ldap3) or"
            " `escape_dn_chars` (python-ldap). Declines for a value that is more than one"
            " attribute value of a DN and for filters it cannot read."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        mods = ctx.imported_modules()
        if "ldap3" in mods and "ldap" not in mods:
            table, dns = _LDAP3, _LDAP3_DN
            imp = Import(module="ldap3.utils.conv", obj="escape_filter_chars")
            dn_imp, dn_escape = Import(module="ldap3.utils.dn", obj="escape_rdn"), "escape_rdn"
        elif "ldap" in mods:
            table, dns = _PYTHON_LDAP, _PYTHON_LDAP_DN
            imp = Import(module="ldap.filter", obj="escape_filter_chars")
            dn_imp, dn_escape = Import(module="ldap.dn", obj="escape_dn_chars"), "escape_dn_chars"
        else:
            return None
        for node in ctx.nodes_at_line(cst.Call):
            func = node.func
            if not isinstance(func, cst.Attribute):
                continue
            method = func.attr.value
            if method not in table and method not in dns:
                continue
            pos = positional(node)
            declined: Declined | None = None
            replacements: dict[cst.CSTNode, cst.CSTNode] = {}
            imports: list[Import] = []
            what: list[str] = []
            if method in table:
                index, kw = table[method]
                arg = pos[index] if len(pos) > index else keyword(node, kw)
                if arg is not None:
                    got = self._filter(ctx, node, arg)
                    if isinstance(got, Declined):
                        declined = got
                    elif got:
                        replacements.update(got)
                        imports.append(imp)
                        what.append(
                            "each value put into the LDAP filter with `escape_filter_chars`, so"
                            " that `*`, `(`, `)`, `\\` and NUL are matched literally"
                        )
            if method in dns:
                arg = pos[0] if pos else keyword(node, dns[method])
                if arg is not None:
                    dn = self._dn(ctx, node, arg, dn_escape)
                    if isinstance(dn, Declined):
                        declined = declined or dn
                    elif dn:
                        replacements.update(dn)
                        imports.append(dn_imp)
                        what.append(
                            f"each attribute value put into the DN with `{dn_escape}`, so that"
                            " `,`, `+`, `=`, quotes and the like stay part of the value"
                        )
            if replacements:
                return Edit(
                    replacements=replacements,
                    imports=tuple(imports),
                    description="Escape " + "; and ".join(what) + ".",
                )
            if declined is not None:
                return declined
            if method in table:
                return None
        return None

    def _filter(
        self, ctx: FixContext, node: cst.Call, arg: cst.Arg
    ) -> dict[cst.CSTNode, cst.CSTNode] | Declined:
        """The values of the filter wrapped with escape_filter_chars ({} when all are)."""
        found = built_from_input(ctx, node, arg.value)
        if found is None:
            return self._filter_from_parts(ctx, node, arg.value)
        if isinstance(found, Declined):
            return found
        return self._escaped(ctx, node, found[1], _ESCAPERS, "escape_filter_chars")

    def _escaped(
        self, ctx: FixContext, node: cst.Call, template: Template, done: set[str], escape: str
    ) -> dict[cst.CSTNode, cst.CSTNode] | Declined:
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        for val in template.values:
            expr = val.expr
            if not val.plain:
                return Declined(reason="a filter value has a format specification")
            if _escaped_already(ctx, node, expr, done):
                continue
            replacements[expr] = cst.Call(func=cst.Name(escape), args=[cst.Arg(expr)])
        return replacements

    def _filter_from_parts(
        self, ctx: FixContext, node: cst.Call, value: cst.BaseExpression
    ) -> dict[cst.CSTNode, cst.CSTNode] | Declined:
        """A filter built by a function from filter parts (``build_filter("(a=b)",
        f"(cn={group})")``): the values of the parts are escaped where the parts are written."""
        not_here = Declined(reason="the filter is not built here (or the tainted part is the DN)")
        built = value
        if isinstance(value, cst.Name):
            assign = single_assignment(ctx, node, value.value)
            if assign is None:
                return not_here
            built = assign.value
        if not isinstance(built, cst.Call) or ctx.qualified_names(built.func) & _ESCAPERS:
            return not_here
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        for a in built.args:
            if a.star:
                return not_here
            template = parse_template(a.value)
            if template is None or not template.values:
                if why_safe(ctx, node, a.value) is None:
                    return not_here  # a part this code does not show being built
                continue
            text = template.literal_text
            if not (text.startswith("(") and "=" in text):
                return not_here  # not a filter component
            why = why_safe(ctx, node, a.value)
            if why is not None:
                return Declined(reason=why)
            got = self._escaped(ctx, node, template, _ESCAPERS, "escape_filter_chars")
            if isinstance(got, Declined):
                return got
            replacements.update(got)
        return replacements if replacements else not_here

    def _dn(
        self, ctx: FixContext, node: cst.Call, arg: cst.Arg, escape: str
    ) -> dict[cst.CSTNode, cst.CSTNode] | Declined | None:
        """The attribute values of a DN built from strings, wrapped with the DN escaper."""
        found = built_from_input(ctx, node, arg.value)
        if found is None or isinstance(found, Declined):
            return found
        _, template = found
        parts = template.parts
        for i, p in enumerate(parts):
            if not isinstance(p, Val):
                continue
            before = parts[i - 1] if i > 0 else None
            if not isinstance(before, Lit) or not before.text.endswith("="):
                return Declined(reason="a value in the DN is more than one attribute value")
        got = self._escaped(ctx, node, template, _DN_ESCAPERS, escape)
        if isinstance(got, Declined):
            return Declined(reason="a DN value has a format specification")
        return got


def _escaped_already(
    ctx: FixContext, node: cst.Call, expr: cst.BaseExpression, escapers: set[str]
) -> bool:
    """``escape(x)``, or a variable assigned once (before ``node``) from such a call."""
    if isinstance(expr, cst.Name):
        assign = single_assignment(ctx, node, expr.value)
        if assign is not None:
            expr = assign.value
    return isinstance(expr, cst.Call) and bool(ctx.qualified_names(expr.func) & escapers)
