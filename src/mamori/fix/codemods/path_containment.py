"""CWE-22: ``os.path.join(BASE, tainted)`` opened -> a join that cannot leave ``BASE``."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    names_in,
    positional,
    single_assignment,
)
from mamori.fix.interface import FixerInfo

_JOIN = {"os.path.join", "posixpath.join", "ntpath.join"}
_SINKS = {
    "open",
    "builtins.open",
    "io.open",
    "codecs.open",
    "flask.send_file",
    "os.remove",
    "os.unlink",
    "os.makedirs",
    "os.mkdir",
    "os.listdir",
    "os.rmdir",
    "shutil.rmtree",
    "shutil.copyfile",
    "shutil.copy",
}
_HELPER = "_contained_path"
_HELPER_CODE = '''def _contained_path(base, *parts):
    """Join ``parts`` under ``base``; raise ValueError when the result would leave ``base``."""
    root = os.path.realpath(base)
    path = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, path]) != root:
        raise ValueError("path escapes its base directory")
    return path
'''


class PathContainmentFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/path-containment"),
        title="Keep user-supplied paths inside their base directory",
        cwes=(22, 23, 36),
        risk=RiskClass.LOW,
        risk_reason=(
            "names inside the base directory resolve to the same file; only names that"
            " climb out of it (`..`, absolute paths) are refused"
        ),
        description=(
            "Replaces `os.path.join(BASE, name)` whose result is opened (`open`, `io.open`,"
            " `send_file`, ...) with `werkzeug.utils.safe_join(BASE, name)` followed by"
            " `if path is None: abort(404)` in Flask modules, or elsewhere with a small"
            " `_contained_path(BASE, name)` helper that resolves the real path and raises"
            " `ValueError` when it is not inside `BASE`."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | None:
        for join in self._joins(ctx):
            result = self._fix(ctx, join)
            if result is not None:
                return result
        return None

    def _joins(self, ctx: FixContext) -> list[cst.Call]:
        """The joins at the finding's line, or those feeding a sink called at that line."""
        joins: list[cst.Call] = [
            c for c in ctx.nodes_at_line(cst.Call) if ctx.qualified_names(c.func) & _JOIN
        ]
        for sink in ctx.nodes_at_line(cst.Call):
            if not ctx.qualified_names(sink.func) & _SINKS:
                continue
            args = positional(sink)
            if not args:
                continue
            first = args[0].value
            if isinstance(first, cst.Name):
                assign = single_assignment(ctx, sink, first.value)
                if (
                    assign is not None
                    and isinstance(assign.value, cst.Call)
                    and ctx.qualified_names(assign.value.func) & _JOIN
                ):
                    joins.append(assign.value)
            elif isinstance(first, cst.Call) and ctx.qualified_names(first.func) & _JOIN:
                joins.append(first)
        return joins

    def _fix(self, ctx: FixContext, join: cst.Call) -> Edit | None:
        if any(a.star or a.keyword for a in join.args) or len(join.args) < 2:
            return None
        flask = "flask" in ctx.imported_modules()
        if not flask:
            new = join.with_changes(func=cst.Name(_HELPER))
            return Edit(
                replacements={join: new},
                imports=(Import(module="os"),),
                helpers={_HELPER: _HELPER_CODE},
                description=(
                    "Resolve the joined path and refuse it (ValueError) when it is not inside"
                    " its base directory."
                ),
            )
        safe = join.with_changes(func=cst.Name("safe_join"))
        stmt = ctx.statement_of(join)
        if stmt is None:
            return None
        parent = ctx.parent(join)
        if (
            isinstance(parent, cst.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0].target, cst.Name)
            and isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1
        ):
            var = parent.targets[0].target.value
            new_stmt = stmt.deep_replace(join, safe)
            check = cst.parse_statement(f"if {var} is None:\n    abort(404)\n")
            replacement = cst.FlattenSentinel([new_stmt, check])
        else:
            used = names_in(ctx.enclosing(join, cst.FunctionDef) or ctx.module)
            var = "safe_path"
            n = 2
            while var in used:
                var, n = f"safe_path_{n}", n + 1
            assign = cst.parse_statement(f"{var} = x\n")
            assert isinstance(assign, cst.SimpleStatementLine)
            small = assign.body[0]
            assert isinstance(small, cst.Assign)
            assign = assign.with_changes(
                body=[small.with_changes(value=safe)], leading_lines=_leading(stmt)
            )
            check = cst.parse_statement(f"if {var} is None:\n    abort(404)\n")
            rest = stmt.deep_replace(join, cst.Name(var))
            assert isinstance(rest, cst.SimpleStatementLine | cst.BaseCompoundStatement)
            replacement = cst.FlattenSentinel([assign, check, rest.with_changes(leading_lines=[])])
        return Edit(
            replacements={stmt: replacement},
            imports=(
                Import(module="werkzeug.utils", obj="safe_join"),
                Import(module="flask", obj="abort"),
            ),
            description=(
                "Join the path with `werkzeug.utils.safe_join`, which refuses names that leave"
                " the base directory, and answer 404 for them."
            ),
        )


def _leading(stmt: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    if isinstance(stmt, cst.SimpleStatementLine | cst.BaseCompoundStatement):
        return stmt.leading_lines
    return ()
