"""The LibCST transformer behind :mod:`mamori.scan.taint.downlevel`, in a module of its own so
that LibCST is imported only when a file needs down-levelling (most scans never do)."""

from __future__ import annotations

import libcst as cst


class Downleveller(cst.CSTTransformer):
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
