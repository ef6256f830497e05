"""Shared machinery for the LibCST fixers.

A codemod fixer implements :meth:`CodemodFixer.edit`: given a :class:`FixContext` (the parsed
module with position, qualified-name and parent metadata, and the finding) it returns an
:class:`Edit` (node replacements by identity, imports to add, module-level helpers to add) or
``None`` when this occurrence is not one it can fix safely. The base class applies the edit,
adds the imports once (LibCST's ``AddImportsVisitor``) and returns the new file text.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import (
    CodeRange,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
)

from mamori.domain import Finding, RiskClass
from mamori.fix.interface import Declined, FileReader, FixerInfo, FixProposal

N = TypeVar("N", bound=cst.CSTNode)

Replacement = cst.CSTNode | cst.FlattenSentinel[Any] | cst.RemovalSentinel


@dataclass(frozen=True, kw_only=True)
class Import:
    """An import a fix needs: ``import module`` (obj None) or ``from module import obj``."""

    module: str
    obj: str | None = None
    relative: int = 0


@dataclass(frozen=True, kw_only=True)
class Edit:
    """What a fixer wants changed in one module."""

    replacements: Mapping[cst.CSTNode, Replacement]
    description: str
    imports: tuple[Import, ...] = ()
    # Module-level definitions added after the imports, keyed by the name they define; a name
    # the module already defines at top level is not added again (idempotence).
    helpers: Mapping[str, str] = field(default_factory=dict)
    risk: RiskClass | None = None
    risk_reason: str | None = None
    # Further files changed by the same fix (path -> new full text).
    other_files: Mapping[str, str] = field(default_factory=dict)


class FixContext:
    """The module being fixed, its metadata and the finding."""

    def __init__(self, *, finding: Finding, source: str, read: FileReader) -> None:
        self.finding = finding
        self.source = source
        self.read = read
        self.wrapper = MetadataWrapper(cst.parse_module(source))
        self.module = self.wrapper.module
        self._positions = self.wrapper.resolve(PositionProvider)
        self._parents = self.wrapper.resolve(ParentNodeProvider)
        self._qnames: Mapping[cst.CSTNode, Any] | None = None

    @property
    def line(self) -> int:
        return self.finding.location.start_line

    def position(self, node: cst.CSTNode) -> CodeRange:
        return self._positions[node]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        cur = self.parent(node)
        while cur is not None:
            yield cur
            cur = self.parent(cur)

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Qualified names of ``node`` through the module's imports (``yaml.load``)."""
        if self._qnames is None:
            self._qnames = self.wrapper.resolve(QualifiedNameProvider)
        value = self._qnames.get(node)
        if value is None:
            return set()
        if callable(value):  # LibCST resolves qualified names lazily
            value = value()
        return {q.name for q in value}

    def nodes_at_line(
        self, kind: type[N], predicate: Callable[[N], bool] = lambda _: True
    ) -> list[N]:
        """Nodes of ``kind`` whose span contains the finding's line, innermost first.

        Nodes that start on the line come before nodes that merely span it, so that a finding
        reported at the first line of a multi-line call picks that call.
        """
        found: list[tuple[int, int, N]] = []
        for node, pos in self._positions.items():
            if not isinstance(node, kind):  # kind may be abstract (BaseExpression): isinstance only
                continue
            if pos.start.line <= self.line <= pos.end.line and predicate(node):
                span = pos.end.line - pos.start.line
                found.append((0 if pos.start.line == self.line else 1, span, node))
        found.sort(key=lambda t: (t[0], t[1], self._positions[t[2]].start.column))
        return [n for _, _, n in found]

    def enclosing(self, node: cst.CSTNode, kind: type[N]) -> N | None:
        for anc in self.ancestors(node):
            if isinstance(anc, kind):
                return anc
        return None

    def statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The statement (simple line or compound) that contains ``node``."""
        cur: cst.CSTNode | None = node
        while cur is not None:
            if isinstance(cur, cst.SimpleStatementLine | cst.BaseCompoundStatement):
                return cur
            cur = self.parent(cur)
        return None

    def top_level_names(self) -> set[str]:
        names: set[str] = set()
        for stmt in self.module.body:
            if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
                names.add(stmt.name.value)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign):
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                names.add(t.target.value)
                    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        names.add(small.target.value)
        return names

    def imported_modules(self) -> set[str]:
        """Top-level names of every module imported anywhere in the file."""
        mods: set[str] = set()
        for node in self._positions:
            if isinstance(node, cst.Import):
                for alias in node.names:
                    mods.add(dotted(alias.name).split(".")[0])
            elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
                mods.add(dotted(node.module).split(".")[0])
        return mods

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


def dotted(node: cst.BaseExpression | cst.Name | cst.Attribute) -> str:
    """``a.b.c`` for a Name/Attribute chain ("" for anything else)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else ""
    return ""


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: Mapping[cst.CSTNode, Replacement]) -> None:
        super().__init__()
        self._by_id = {id(k): v for k, v in replacements.items()}

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        return self._by_id.get(id(original_node), updated_node)


def _is_import_line(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Import | cst.ImportFrom) for s in stmt.body
    )


def is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def add_helpers(module: cst.Module, helpers: Mapping[str, str], existing: set[str]) -> cst.Module:
    """Insert module-level helper definitions after the leading import block."""
    new_stmts: list[cst.BaseStatement] = []
    for name, code in helpers.items():
        if name in existing:
            continue
        parsed = cst.parse_module(code).body
        new_stmts.extend(parsed)
    if not new_stmts:
        return module
    body: list[cst.BaseStatement] = list(module.body)
    insert_at = 0
    for i, stmt in enumerate(body):
        if _is_import_line(stmt) or (i == 0 and is_docstring(stmt)):
            insert_at = i + 1
        else:
            break
    spaced: list[cst.BaseStatement] = []
    for j, stmt in enumerate(new_stmts):
        is_def = isinstance(stmt, cst.FunctionDef | cst.ClassDef)
        prev_def = j > 0 and isinstance(new_stmts[j - 1], cst.FunctionDef | cst.ClassDef)
        lines = [cst.EmptyLine(), cst.EmptyLine()] if (j == 0 or is_def or prev_def) else []
        spaced.append(_with_leading_lines(stmt, lines))
    if insert_at < len(body):
        following = body[insert_at]
        if isinstance(following, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            empties = 0
            for line in following.leading_lines:
                if line.comment is not None:
                    break
                empties += 1
            if empties < 2:
                lines = [cst.EmptyLine()] * (2 - empties) + list(following.leading_lines)
                body[insert_at] = following.with_changes(leading_lines=lines)
    body[insert_at:insert_at] = spaced
    return module.with_changes(body=body)


def _with_leading_lines(stmt: cst.BaseStatement, lines: list[cst.EmptyLine]) -> cst.BaseStatement:
    if isinstance(stmt, cst.SimpleStatementLine | cst.BaseCompoundStatement):
        return stmt.with_changes(leading_lines=lines)
    return stmt


def apply_edit(ctx: FixContext, edit: Edit) -> str:
    new = ctx.module.visit(_Replace(edit.replacements))
    assert isinstance(new, cst.Module)
    new = add_helpers(new, edit.helpers, ctx.top_level_names())
    if edit.imports:
        context = CodemodContext()
        for imp in edit.imports:
            AddImportsVisitor.add_needed_import(context, imp.module, imp.obj, relative=imp.relative)
        new = AddImportsVisitor(context).transform_module(new)
    return new.code


class CodemodFixer(abc.ABC):
    """Base of the LibCST fixers: file handling, parsing, applying the edit."""

    info: FixerInfo

    def applies_to(self, finding: Finding) -> bool:
        if not finding.location.path.endswith(".py"):
            return False
        return finding.cwe in self.info.cwes or finding.rule_id in self.info.rule_ids

    @abc.abstractmethod
    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        """The change for this finding, or None / :class:`Declined` when the occurrence is not
        fixable safely."""

    def fix(self, finding: Finding, read: FileReader) -> FixProposal | Declined | None:
        path = finding.location.path
        source = read(path)
        try:
            ctx = FixContext(finding=finding, source=source, read=read)
        except cst.ParserSyntaxError:
            return None  # not Python we can parse: leave it to a person
        edit = self.edit(ctx)
        if edit is None or isinstance(edit, Declined):
            return edit
        new_code = apply_edit(ctx, edit)
        changes = dict(edit.other_files)
        if new_code != source:
            changes[path] = new_code
        if not changes:
            return None
        return FixProposal(
            changes=changes,
            description=edit.description,
            risk=edit.risk,
            risk_reason=edit.risk_reason,
        )


# --- building code -----------------------------------------------------------------------


def quote_text(text: str, quote: str = '"') -> str:
    """A Python string literal for ``text`` using ``quote`` where possible."""
    if quote not in {'"', "'"}:
        quote = '"'
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def string_node(text: str, quote: str = '"') -> cst.SimpleString:
    return cst.SimpleString(quote_text(text, quote))


def fstring_node(
    pieces: Sequence[str | cst.BaseExpression], module: cst.Module, quote: str = '"'
) -> cst.BaseExpression | None:
    """An f-string of literal text and expressions; None when it cannot be written safely
    (an expression containing both quote characters would need Python 3.12 syntax)."""
    exprs = [module.code_for_node(p) for p in pieces if not isinstance(p, str)]
    if not exprs:
        return string_node("".join(p for p in pieces if isinstance(p, str)), quote)
    for q in (quote, "'" if quote == '"' else '"'):
        if all(q not in e and "\\" not in e for e in exprs):
            quote = q
            break
    else:
        return None
    parts: list[cst.BaseFormattedStringContent] = []
    for p in pieces:
        if isinstance(p, str):
            lit = quote_text(p, quote)[1:-1].replace("{", "{{").replace("}", "}}")
            parts.append(cst.FormattedStringText(lit))
        else:
            parts.append(cst.FormattedStringExpression(expression=p))
    end: Literal['"', "'"] = '"' if quote == '"' else "'"
    return cst.FormattedString(parts=parts, start="f" + end, end=end)


def call(func: str, *args: cst.BaseExpression | cst.Arg) -> cst.Call:
    return cst.Call(
        func=cst.parse_expression(func),
        args=[a if isinstance(a, cst.Arg) else cst.Arg(a) for a in args],
    )


def append_args(node: cst.Call, new: Sequence[cst.Arg]) -> cst.Call:
    """Append arguments following the call's comma style (trailing comma in multi-line calls)."""
    args = list(node.args)
    if not new:
        return node
    if not args:
        return node.with_changes(args=[*_commas(new[:-1]), new[-1]])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        # A trailing comma (one argument per line): new arguments follow the separator style
        # between the existing ones, and the last keeps the comma before the closing paren.
        between = args[-2].comma if len(args) > 1 else last.comma
        if not isinstance(between, cst.Comma):
            between = last.comma
        head = [*args[:-1], last.with_changes(comma=between)]
        tail = [a.with_changes(comma=between) for a in new[:-1]]
        return node.with_changes(args=[*head, *tail, new[-1].with_changes(comma=last.comma)])
    args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return node.with_changes(args=[*args, *_commas(new[:-1]), new[-1]])


def _commas(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    return [
        a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in args
    ]


def remove_args(node: cst.Call, drop: Callable[[cst.Arg], bool]) -> cst.Call:
    """Remove arguments, keeping the original comma style of the last remaining one."""
    args = list(node.args)
    kept = [a for a in args if not drop(a)]
    if len(kept) == len(args):
        return node
    if kept:
        kept[-1] = kept[-1].with_changes(comma=args[-1].comma)
    return node.with_changes(args=kept)


def keyword(node: cst.Call, name: str) -> cst.Arg | None:
    for a in node.args:
        if a.keyword is not None and a.keyword.value == name:
            return a
    return None


def positional(node: cst.Call) -> list[cst.Arg]:
    return [a for a in node.args if a.keyword is None and not a.star]


def has_star_args(node: cst.Call) -> bool:
    return any(a.star for a in node.args)


def needs_parens(expr: cst.BaseExpression) -> bool:
    """Whether ``expr`` must be parenthesised as an operand of + or -."""
    if expr.lpar:
        return False
    return not isinstance(
        expr,
        cst.Name
        | cst.Attribute
        | cst.Call
        | cst.Subscript
        | cst.Integer
        | cst.Float
        | cst.SimpleString
        | cst.List
        | cst.Tuple,
    )


def paren(expr: cst.BaseExpression) -> cst.BaseExpression:
    if needs_parens(expr):
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expr


def is_true(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"


def function_params(fn: cst.FunctionDef) -> list[str]:
    p = fn.params
    names = [x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)]
    if isinstance(p.star_arg, cst.Param):
        names.append(p.star_arg.name.value)
    if p.star_kwarg is not None:
        names.append(p.star_kwarg.name.value)
    return names


def names_in(node: cst.CSTNode) -> set[str]:
    """Every Name used in ``node``."""
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(V())
    return found


def name_uses(scope: cst.CSTNode, var: str) -> list[cst.Name]:
    """Every read or write of the name ``var`` in ``scope``, in source order."""
    found: list[cst.Name] = []

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            if n.value == var:
                found.append(n)

    scope.visit(V())
    return found


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call in ``node`` (``node`` itself included), outermost first."""
    found: list[cst.Call] = []

    class V(cst.CSTVisitor):
        def visit_Call(self, n: cst.Call) -> None:
            found.append(n)

    node.visit(V())
    return found


def single_assignment(ctx: FixContext, call: cst.CSTNode, var: str) -> cst.Assign | None:
    """The one assignment of ``var`` in the function around ``call``, before it."""
    fn = ctx.enclosing(call, cst.FunctionDef)
    scope: cst.CSTNode = fn if fn is not None else ctx.module
    assigns: list[cst.Assign] = []
    other = False

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for t in node.targets:
                if isinstance(t.target, cst.Name) and t.target.value == var:
                    assigns.append(node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            nonlocal other
            if isinstance(node.target, cst.Name) and node.target.value == var:
                other = True

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            nonlocal other
            if isinstance(node.target, cst.Name) and node.target.value == var:
                other = True

        def visit_For(self, node: cst.For) -> None:
            nonlocal other
            if var in names_in(node.target):
                other = True

    scope.visit(V())
    if other or len(assigns) != 1 or len(assigns[0].targets) != 1:
        return None
    if ctx.position(assigns[0]).start.line > ctx.position(call).start.line:
        return None
    return assigns[0]


def built_string(
    ctx: FixContext, call: cst.Call, expr: cst.BaseExpression
) -> tuple[cst.BaseExpression, Any] | None:
    """The string-building expression behind an argument, and its template.

    The argument itself when it builds the string (f-string, ``+``, ``%``, ``.format``), or the
    value of the one assignment of a variable argument in the same function. Returns (the node
    to rewrite, :class:`~mamori.fix.codemods._template.Template`).
    """
    from mamori.fix.codemods._template import parse_template

    template = parse_template(expr)
    if template is not None and template.values:
        return expr, template
    if isinstance(expr, cst.Name):
        assign = single_assignment(ctx, call, expr.value)
        if assign is None:
            return None
        template = parse_template(assign.value)
        if template is not None and template.values:
            return assign.value, template
    return None
