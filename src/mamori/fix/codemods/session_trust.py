"""CWE-501: untrusted data stored in the session -> validated against the module's allow-list."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Replacement,
    keyword,
    positional,
    single_assignment,
)
from mamori.fix.interface import Declined, FixerInfo


def _string_collection(value: cst.BaseExpression) -> set[str] | None:
    """The strings of a tuple/list/set literal (or frozenset(...) of one) of plain strings."""
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
        if value.func.value in {"frozenset", "set", "tuple"} and len(value.args) == 1:
            return _string_collection(value.args[0].value)
        return None
    if not isinstance(value, cst.Tuple | cst.List | cst.Set):
        return None
    out: set[str] = set()
    for e in value.elements:
        if not isinstance(e, cst.Element) or not isinstance(e.value, cst.SimpleString):
            return None
        s = e.value.evaluated_value
        if not isinstance(s, str):
            return None
        out.add(s)
    return out or None


def _allow_lists(module: cst.Module) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                t = small.targets[0].target
                values = _string_collection(small.value)
                if isinstance(t, cst.Name) and t.value.isupper() and values is not None:
                    found[t.value] = values
    return found


class SessionTrustFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/session-allowlist"),
        title="Store only allow-listed values in the session",
        cwes=(501,),
        risk=RiskClass.MEDIUM,
        risk_reason=(
            "values in the module's allow-list are stored as before; any other value is"
            " replaced by the default, which changes what an unexpected request gets"
        ),
        description=(
            "For `session[key] = request...get(name, default)`, when the module defines an"
            " upper-case allow-list constant whose name contains the key (`ROLES` for"
            " `session['role']`) and the default is in it, stores the value only when it is in"
            " that allow-list and the default otherwise. With no such allow-list it declines:"
            " which values may cross the trust boundary is a decision for a person."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Assign):
            if len(node.targets) != 1:
                continue
            target = node.targets[0].target
            if not isinstance(target, cst.Subscript) or "session" not in ctx.code(target.value):
                continue
            sl = target.slice
            if len(sl) != 1 or not isinstance(sl[0].slice, cst.Index):
                continue
            key_node = sl[0].slice.value
            key = key_node.evaluated_value if isinstance(key_node, cst.SimpleString) else None
            if not isinstance(key, str) or not key:
                return Declined(reason="the session key is not a constant")
            return self._guard(ctx, node, key)
        return None

    def _guard(self, ctx: FixContext, node: cst.Assign, key: str) -> Edit | Declined:
        lists = _allow_lists(ctx.module)
        stem = key.lower().rstrip("s")
        name = next((n for n in sorted(lists) if stem and stem in n.lower()), None)
        no_list = Declined(
            reason=(
                f"no allow-list for session[{key!r}] in the module: decide which values may be"
                " stored (or store a server-side lookup instead)"
            )
        )
        if name is None:
            return no_list
        value = node.value
        call = value
        var: str | None = None
        if isinstance(value, cst.Name):
            # `role = request...get("role", "user")` then `session["role"] = role`.
            assign = single_assignment(ctx, value, value.value)
            if assign is None:
                return no_list
            call, var = assign.value, value.value
        default = self._default(call)
        if default is None or default.evaluated_value not in lists[name]:
            return no_list
        if var is not None:
            return self._edit(key, name, {value: _ifexp(cst.Name(var), name, default)})
        # The value is read in the statement: bind it to a local first, so that the check and
        # the stored value are the same read (and the engine sees the guard on a variable).
        line = ctx.parent(node)
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return no_list
        local = f"_{key}" if key.isidentifier() else "_value"
        if local in ctx.top_level_names():
            return no_list
        bind = cst.parse_statement(f"{local} = {ctx.code(value)}")
        assert isinstance(bind, cst.SimpleStatementLine)
        bind = bind.with_changes(leading_lines=line.leading_lines)
        stored = line.with_changes(
            leading_lines=[],
            body=[node.with_changes(value=_ifexp(cst.Name(local), name, default))],
        )
        return self._edit(key, name, {line: cst.FlattenSentinel([bind, stored])})

    @staticmethod
    def _default(call: cst.BaseExpression) -> cst.SimpleString | None:
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return None
        if call.func.attr.value != "get":
            return None
        pos = positional(call)
        d = pos[1] if len(pos) > 1 else keyword(call, "default")
        if d is None or not isinstance(d.value, cst.SimpleString):
            return None
        return d.value

    @staticmethod
    def _edit(key: str, name: str, replacements: dict[cst.CSTNode, Replacement]) -> Edit:
        return Edit(
            replacements=replacements,
            description=(
                f"Store the value in `session[{key!r}]` only when it is in `{name}`; otherwise"
                " the default."
            ),
        )


def _ifexp(value: cst.Name, allow: str, default: cst.SimpleString) -> cst.IfExp:
    return cst.IfExp(
        test=cst.Comparison(
            left=value,
            comparisons=[cst.ComparisonTarget(operator=cst.In(), comparator=cst.Name(allow))],
        ),
        body=value,
        orelse=default,
    )
