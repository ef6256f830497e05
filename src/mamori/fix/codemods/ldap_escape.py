"""CWE-90: an LDAP filter built from strings -> each value escaped with escape_filter_chars."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    built_string,
    keyword,
    positional,
)
from mamori.fix.codemods._safety import why_safe
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
            " Declines for values in a DN (base) argument and for filters it cannot read."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        mods = ctx.imported_modules()
        if "ldap3" in mods and "ldap" not in mods:
            table, imp = _LDAP3, Import(module="ldap3.utils.conv", obj="escape_filter_chars")
        elif "ldap" in mods:
            table, imp = _PYTHON_LDAP, Import(module="ldap.filter", obj="escape_filter_chars")
        else:
            return None
        for node in ctx.nodes_at_line(cst.Call):
            func = node.func
            if not isinstance(func, cst.Attribute) or func.attr.value not in table:
                continue
            index, kw = table[func.attr.value]
            pos = positional(node)
            arg = pos[index] if len(pos) > index else keyword(node, kw)
            if arg is None:
                continue
            found = built_string(ctx, node, arg.value)
            if found is None:
                return Declined(
                    reason="the filter is not built here (or the tainted part is the DN)"
                )
            built, template = found
            why = why_safe(ctx, node, built)
            if why is not None:
                return Declined(reason=why)
            replacements: dict[cst.CSTNode, cst.CSTNode] = {}
            for val in template.values:
                expr = val.expr
                if not val.plain:
                    return Declined(reason="a filter value has a format specification")
                if isinstance(expr, cst.Call) and ctx.qualified_names(expr.func) & _ESCAPERS:
                    continue
                replacements[expr] = cst.Call(
                    func=cst.Name("escape_filter_chars"), args=[cst.Arg(expr)]
                )
            if not replacements:
                return None
            return Edit(
                replacements=replacements,
                imports=(imp,),
                description=(
                    "Escape each value put into the LDAP filter with `escape_filter_chars`, so"
                    " that `*`, `(`, `)`, `\\` and NUL are matched literally."
                ),
            )
        return None
