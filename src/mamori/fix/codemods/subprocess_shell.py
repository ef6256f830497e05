"""CWE-78: a shell command built from strings -> an argument list run without a shell."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    dotted,
    fstring_node,
    function_params,
    has_star_args,
    is_docstring,
    is_true,
    keyword,
    name_uses,
    names_in,
    positional,
    quote_text,
    remove_args,
    single_assignment,
    string_node,
)
from mamori.fix.codemods._template import Lit, Template, Val, parse_template
from mamori.fix.interface import Declined, FixerInfo

_SUBPROCESS = {
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
}
# Calls that always run their command through a shell.
_ALWAYS_SHELL = {"subprocess.getoutput", "subprocess.getstatusoutput"}
_ASYNC_SHELL = {"asyncio.create_subprocess_shell", "asyncio.subprocess.create_subprocess_shell"}
# Characters a POSIX shell gives a meaning that an argument list would not reproduce.
_META = set("|&;<>()$`\\*?[]#~{}!\n\r")
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,@+% ")
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash"}
_ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


# An argument-list element: an expression, or ``*words`` for a value that holds several words.
Item = cst.BaseExpression | cst.StarredElement


def split_command(
    template: Template,
    module: cst.Module,
    numeric: Callable[[cst.BaseExpression], bool] = lambda _: False,
    splices: Mapping[int, cst.BaseExpression] | None = None,
) -> tuple[list[Item], bool] | None:
    """The command as argument-list elements, and whether its literal parts are plain words.

    Literal parts are split with ``shlex.split`` semantics; each interpolated value becomes one
    argument (that is the point: the shell no longer re-splits or interprets it). A value that
    ``numeric`` recognises as a number is passed as ``str(value)``, as the string formatting
    did (an argument list takes only strings and paths). A value listed in ``splices`` (by
    ``id``) holds several words: it must stand as a word of its own and becomes
    ``*splices[id]``. None when the literal parts use shell syntax that the list form would
    change.
    """
    splices = splices or {}
    text = ""
    values: list[Val] = []
    for part in template.parts:
        if isinstance(part, Lit):
            if _META & set(part.text) or _MARK_OPEN in part.text or _MARK_CLOSE in part.text:
                return None
            text += part.text
        else:
            if not part.plain:
                return None
            text += f"{_MARK_OPEN}{len(values)}{_MARK_CLOSE}"
            values.append(part)
    plain = set(template.literal_text) <= _PLAIN
    try:
        tokens = shlex.split(text)
    except ValueError:
        return None
    if not tokens or _ENV_ASSIGNMENT.match(tokens[0]):
        return None  # `LANG=x cmd` sets a variable for cmd: only a shell does that
    elements: list[Item] = []
    used: set[int] = set()
    for tok in tokens:
        pieces: list[str | cst.BaseExpression] = []
        rest = tok
        while _MARK_OPEN in rest:
            before, _, after = rest.partition(_MARK_OPEN)
            idx_text, _, rest = after.partition(_MARK_CLOSE)
            if before:
                pieces.append(before)
            idx = int(idx_text)
            if idx in used:
                return None
            used.add(idx)
            pieces.append(values[idx].expr)
        if rest:
            pieces.append(rest)
        spliced = [p for p in pieces if not isinstance(p, str) and id(p) in splices]
        if spliced and len(pieces) > 1:
            return None  # several words glued to other text: no list form says the same
        if spliced:
            elements.append(cst.StarredElement(splices[id(spliced[0])]))
        elif len(pieces) == 1 and not isinstance(pieces[0], str):
            value = pieces[0]
            if template.kind != "concat" and numeric(value):
                value = cst.Call(func=cst.Name("str"), args=[cst.Arg(value)])
            elements.append(value)
        elif all(isinstance(p, str) for p in pieces):
            elements.append(string_node("".join(p for p in pieces if isinstance(p, str))))
        else:
            fs = fstring_node(pieces, module)
            if fs is None:
                return None
            elements.append(fs)
    if len(used) != len(values):
        return None  # a value vanished in the split (e.g. inside an empty quoted word)
    return elements, plain


def _list(elements: Sequence[Item]) -> cst.List:
    last = len(elements) - 1
    out: list[cst.BaseElement] = []
    for i, e in enumerate(elements):
        comma = (
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            if i < last
            else cst.MaybeSentinel.DEFAULT
        )
        if isinstance(e, cst.StarredElement):
            out.append(e.with_changes(comma=comma))
        else:
            out.append(cst.Element(e, comma=comma))
    return cst.List(elements=out)


def _join_template(node: cst.BaseExpression) -> Template | None:
    """``" ".join([...])`` with literal words and values, read as a command template."""
    if not (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "join"
        and isinstance(node.func.value, cst.SimpleString)
        and node.func.value.evaluated_value == " "
        and len(node.args) == 1
        and node.args[0].keyword is None
        and not node.args[0].star
        and isinstance(node.args[0].value, cst.List | cst.Tuple)
    ):
        return None
    parts: list[Lit | Val] = []
    for i, el in enumerate(node.args[0].value.elements):
        if not isinstance(el, cst.Element):
            return None  # *starred: the number of words is not known
        if i:
            parts.append(Lit(" "))
        sp = parse_template(el.value)
        if sp is not None and sp.kind == "literal":
            parts.extend(sp.parts)
        else:
            parts.append(Val(el.value, True))
    if not any(isinstance(p, Val) for p in parts):
        return None
    return Template(parts=tuple(parts), kind="join", quote='"')


def _template(expr: cst.BaseExpression) -> Template | None:
    t = parse_template(expr)
    if t is not None and t.values:
        return t
    return _join_template(expr)


def _joined_list(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> cst.Name | None:
    """``" ".join(args)`` where ``args`` is a list of words assigned once before: ``args``."""
    if not (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "join"
        and isinstance(expr.func.value, cst.SimpleString)
        and expr.func.value.evaluated_value == " "
        and len(expr.args) == 1
        and isinstance(expr.args[0].value, cst.Name)
    ):
        return None
    name = expr.args[0].value
    assign = single_assignment(ctx, call, name.value)
    if assign is None or not isinstance(assign.value, cst.List):
        return None
    for el in assign.value.elements:
        if not isinstance(el, cst.Element):
            return None
        t = parse_template(el.value)
        if t is not None and t.kind == "literal" and not (set(t.literal_text) <= _PLAIN - {" "}):
            return None  # a literal element with spaces or shell syntax: the shell split it
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    if _writes_to(scope, name.value):
        return None  # appended to or changed after the assignment
    return name


def _writes_to(scope: cst.CSTNode, var: str) -> bool:
    """Whether ``var`` is changed in place (``var.append(...)``, ``var += ...``, ``var[i] =``)."""
    changed = False

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal changed
            f = node.func
            if (
                isinstance(f, cst.Attribute)
                and isinstance(f.value, cst.Name)
                and f.value.value == var
                and f.attr.value in {"append", "extend", "insert", "pop", "remove", "clear"}
            ):
                changed = True

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            nonlocal changed
            if isinstance(node.target, cst.Name) and node.target.value == var:
                changed = True

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            nonlocal changed
            t = node.target
            if (
                isinstance(t, cst.Subscript)
                and isinstance(t.value, cst.Name)
                and t.value.value == var
            ):
                changed = True

    scope.visit(V())
    return changed


_NUMERIC_CALLS = {"int", "float", "len", "round", "abs", "sum", "min", "max"}


def _numeric(ctx: FixContext) -> Callable[[cst.BaseExpression], bool]:
    """Whether an expression is (evidently, or may be) a number: a number literal, ``int(...)``,
    a ``.get`` with a number as default, a parameter annotated or defaulted as one, or a
    variable assigned once from one."""

    def check(expr: cst.BaseExpression, depth: int = 0) -> bool:
        if isinstance(expr, cst.Integer | cst.Float):
            return True
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            return expr.func.value in _NUMERIC_CALLS
        if (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "get"
            and len(expr.args) == 2
        ):
            # `options.get("width", 640)`: a number whenever the key is missing
            return check(expr.args[1].value, depth)
        if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.Add):
            return check(expr.left, depth) or check(expr.right, depth)
        if not isinstance(expr, cst.Name) or depth > 3:
            return False
        fn = ctx.enclosing(expr, cst.FunctionDef)
        if fn is not None:
            p = fn.params
            for param in (*p.posonly_params, *p.params, *p.kwonly_params):
                if param.name.value != expr.value:
                    continue
                ann = param.annotation
                if ann is not None and dotted(ann.annotation) in {"int", "float"}:
                    return True
                return param.default is not None and check(param.default, depth + 1)
        assign = single_assignment(ctx, expr, expr.value)
        return assign is not None and check(assign.value, depth + 1)

    return check


def _steps(ctx: FixContext, call: cst.Call, var: str) -> _Command | str:
    """A command built in steps: ``cmd = "..."`` then ``cmd += "..." + value`` (also under
    ``if``), used only by the call."""
    fn = ctx.enclosing(call, cst.FunctionDef)
    why = f"`{var}` is not assigned exactly once before the call in this function"
    if fn is None:
        return why
    steps: list[cst.Assign | cst.AugAssign] = []

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if any(isinstance(t.target, cst.Name) and t.target.value == var for t in node.targets):
                steps.append(node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                steps.append(node)

    fn.body.visit(V())
    line = ctx.position(call).start.line
    if (
        len(steps) < 2
        or not isinstance(steps[0], cst.Assign)
        or len(steps[0].targets) != 1
        or any(isinstance(st, cst.Assign) for st in steps[1:])
        or any(not isinstance(st.operator, cst.AddAssign) for st in steps[1:])  # type: ignore[union-attr]
        or any(ctx.position(st).start.line > line for st in steps)
        or len(name_uses(fn, var)) != len(steps) + 1
    ):
        return why
    for st in steps:
        for anc in ctx.ancestors(st):
            if anc is fn:
                break
            if isinstance(anc, cst.For | cst.While):
                return f"`{var}` is built in a loop"
    templates: list[Template] = []
    for st in steps:
        t = parse_template(st.value)
        if t is None:
            return f"a step of `{var}` is not built from literal text and values"
        templates.append(t)
    if not any(t.values for t in templates):
        return f"`{var}` is not built from interpolated values"
    combined = Template(parts=tuple(p for t in templates for p in t.parts), kind="steps", quote='"')
    return _Command(combined, steps[0].value, None, False, steps=tuple(templates))


def _shell_quotes(text: str, quote: str | None) -> tuple[str | None, bool]:
    """Follow shell quoting through ``text`` from the open ``quote`` (None: unquoted); return the
    quote still open at its end and whether it ends on a dangling backslash."""
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote is None and ch in "'\"":
            quote = ch
        elif ch == quote:
            quote = None
    return quote, escaped


def _unquoted_values(template: Template) -> bool:
    """Whether every interpolated value sits outside shell quotes (so that quoting it with
    ``shlex.quote`` yields exactly one word with the value's text)."""
    quote: str | None = None
    for part in template.parts:
        if isinstance(part, Val):
            if quote is not None or not part.plain:
                return False
            continue
        quote, escaped = _shell_quotes(part.text, quote)
        if escaped:
            return False
    return quote is None


@dataclass
class _Splice:
    """A value holding several words joined with " " for the shell to split, as list words."""

    star: cst.BaseExpression  # the list spliced into the argument list (``*star``)
    replacements: dict[cst.CSTNode, Replacement]  # where that list is built instead
    plain: bool


@dataclass
class _Command:
    template: Template
    node: cst.BaseExpression  # the expression that builds the command string
    # What becomes the argument list when only the call uses it: a variable's value or a
    # lambda's body (None: the command is built in the call itself).
    holder: cst.BaseExpression | None
    sole_use: bool  # the variable is used only by the call (so it may become a list)
    words: cst.Name | None = None  # a list of words joined with " ": pass the list itself
    steps: tuple[Template, ...] = ()  # built in steps (cmd = ...; cmd += ...): quote each
    # The template's values are expressions written for the call site (``params["src"]`` for
    # ``%(src)s``, ``job.name`` for ``self.name``), not nodes of the file: they cannot be
    # quoted where they are.
    synthetic: bool = False
    # The list may be built at the call instead (the holder stays for its other uses): the
    # values read the same there as where the string was built.
    rebuild: bool = False
    splices: dict[int, _Splice] = field(default_factory=dict)
    extra: dict[cst.CSTNode, Replacement] = field(default_factory=dict)  # made with the list
    # Assigned in branches (``if ...: cmd = A`` / ``else: cmd = B``): each becomes a list.
    alternatives: tuple[_Command, ...] = ()


def _several_words(ctx: FixContext, expr: cst.BaseExpression) -> str:
    return (
        f"`{ctx.code(expr)}` holds several words joined for the shell to split: as one argument"
        " (or one quoted word) it would change the command"
    )


def _join_items(node: cst.BaseExpression | None) -> cst.BaseExpression | bool | None:
    """``X`` of ``" ".join(X)``; True for a join with another separator holding a space;
    None when ``node`` is not a join."""
    if not (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "join"
        and isinstance(node.func.value, cst.SimpleString)
        and " " in str(node.func.value.evaluated_value)
    ):
        return None
    if (
        node.func.value.evaluated_value != " "
        or len(node.args) != 1
        or node.args[0].keyword is not None
        or node.args[0].star
    ):
        return True
    return node.args[0].value


def _item_words(ctx: FixContext, elt: cst.BaseExpression) -> tuple[list[Item], bool] | None:
    """The words one item of a joined comprehension stands for (``f"-{k} {v}"``: two)."""
    inner = _quote_arg(ctx, elt)
    if inner is not None:
        return [inner], True  # quoted for the shell: exactly that word
    t = parse_template(elt)
    if t is None:
        return [elt], True  # the item itself, one word like any interpolated value
    split = split_command(t, ctx.module)
    if split is None or any(isinstance(e, cst.StarredElement) for e in split[0]):
        return None
    return split


def _words_comp(
    ctx: FixContext, comp: cst.ListComp | cst.GeneratorExp, words: list[Item]
) -> cst.BaseExpression | None:
    """A list comprehension giving each item's words in turn."""
    loops = ctx.code(comp.for_in).strip()
    codes = [ctx.module.code_for_node(w) for w in words]
    if len(codes) == 1:
        code = f"[{codes[0]} {loops}]"
    else:
        taken = names_in(comp)
        word = next(n for n in ("word", "word_", "word__", "_word") if n not in taken)
        code = f"[{word} {loops} for {word} in ({', '.join(codes)})]"
    try:
        return cst.parse_expression(code)
    except cst.ParserSyntaxError:
        return None


def _shlex_joined(ctx: FixContext, node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``X`` of ``shlex.join(X)`` or ``" ".join(map(shlex.quote, X))``."""
    if not (
        isinstance(node, cst.Call)
        and len(node.args) == 1
        and not node.args[0].star
        and node.args[0].keyword is None
    ):
        return None
    if "shlex.join" in ctx.qualified_names(node.func):
        return node.args[0].value
    items = _join_items(node)
    if (
        isinstance(items, cst.Call)
        and isinstance(items.func, cst.Name)
        and items.func.value == "map"
        and len(items.args) == 2
        and not any(a.star or a.keyword for a in items.args)
        and ctx.qualified_names(items.args[0].value) & _QUOTE_CALLS
    ):
        return items.args[1].value
    return None


def _splice(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Splice | str | None:
    """A value that holds several words joined for the shell to split, passed as list words.

    ``" ".join(<comprehension>)``, directly or through variables assigned once and used only
    here: each item of the comprehension becomes the words its own text splits into (a value
    in it stays one word, which is the point of the fix). None when ``expr`` is not such a
    value; why not, when it holds several words in another way (a list from elsewhere, other
    separators) that the list form cannot reproduce.
    """
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    joined: cst.BaseExpression = expr
    var: str | None = None
    if isinstance(expr, cst.Name):
        assign = single_assignment(ctx, expr, expr.value)
        if assign is None or (
            _join_items(assign.value) is None and _shlex_joined(ctx, assign.value) is None
        ):
            return None
        joined, var = assign.value, expr.value
    why = _several_words(ctx, expr)
    if var is not None and len(name_uses(scope, var)) != 2:
        return why
    words = _shlex_joined(ctx, joined)
    if words is not None:  # each word quoted for the shell: exactly the words of the list
        if var is None:
            return _Splice(words, {}, True)
        return _Splice(cst.Name(var), {joined: words}, True)
    items = _join_items(joined)
    if items is None:
        return None
    if not isinstance(items, cst.BaseExpression):
        return why
    comp: cst.BaseExpression = items
    comp_var: str | None = None
    if isinstance(items, cst.Name):
        assign = single_assignment(ctx, items, items.value)
        if assign is None or len(name_uses(scope, items.value)) != 2:
            return why
        comp, comp_var = assign.value, items.value
    if not isinstance(comp, cst.ListComp | cst.GeneratorExp):
        return why
    item_words = _item_words(ctx, comp.elt)
    new_comp = None if item_words is None else _words_comp(ctx, comp, item_words[0])
    if item_words is None or new_comp is None:
        return why
    replacements: dict[cst.CSTNode, Replacement] = {}
    star: cst.BaseExpression = new_comp
    if comp_var is not None:
        replacements[comp] = new_comp
        star = cst.Name(comp_var)
    if var is not None:
        replacements[joined] = star
        star = cst.Name(var)
    return _Splice(star, replacements, item_words[1])


def _command(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Command | str:
    """The command string passed to ``call``, or why it cannot be read."""
    cmd = _read_command(ctx, call, expr)
    if isinstance(cmd, str):
        return cmd
    for alt in cmd.alternatives:
        done = _finish(ctx, call, alt)
        if isinstance(done, str):
            return done
    return _finish(ctx, call, cmd)


def _finish(ctx: FixContext, call: cst.Call, cmd: _Command) -> _Command | str:
    """Find the values that hold several words, and variables holding quoted values."""
    if cmd.synthetic or cmd.alternatives:
        return cmd
    for t in cmd.steps or (cmd.template,):
        for v in t.values:
            found = _splice(ctx, call, v.expr)
            if isinstance(found, str):
                return found
            if found is not None:
                if cmd.steps:
                    return _several_words(ctx, v.expr)
                cmd.splices[id(v.expr)] = found
    if not cmd.steps and (cmd.holder is None or cmd.sole_use):
        _unquote_variables(ctx, call, cmd)
    return cmd


def _unquote_variables(ctx: FixContext, call: cst.Call, cmd: _Command) -> None:
    """A value that is a variable assigned ``shlex.quote(x)`` and used only in this command
    gets ``x`` instead (in ``cmd.extra``): without the shell, the quoting would become part of
    the argument."""
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    quote: str | None = None
    for part in cmd.template.parts:
        if isinstance(part, Lit):
            quote, _ = _shell_quotes(part.text, quote)
            continue
        if quote is not None or not part.plain or not isinstance(part.expr, cst.Name):
            continue
        assign = single_assignment(ctx, part.expr, part.expr.value)
        inner = _quote_arg(ctx, assign.value) if assign is not None else None
        if assign is not None and inner is not None and len(name_uses(scope, part.expr.value)) == 2:
            cmd.extra[assign.value] = inner


def _pure(expr: cst.BaseExpression) -> bool:
    """Whether reading ``expr`` twice gives the same value with no side effect (names,
    attributes, subscripts with constant keys, ``.get``, ``str``/``int`` of those)."""
    if isinstance(expr, cst.Name | cst.SimpleString | cst.Integer | cst.Float):
        return True
    if isinstance(expr, cst.Attribute):
        return _pure(expr.value)
    if isinstance(expr, cst.Subscript):
        return _pure(expr.value) and all(
            isinstance(s.slice, cst.Index) and _pure(s.slice.value) for s in expr.slice
        )
    if isinstance(expr, cst.Call) and not any(a.star or a.keyword for a in expr.args):
        f = expr.func
        known = (isinstance(f, cst.Name) and f.value in {"str", "int", "float"}) or (
            isinstance(f, cst.Attribute) and f.attr.value == "get" and _pure(f.value)
        )
        return known and all(_pure(a.value) for a in expr.args)
    return False


def _bound_names(node: cst.CSTNode) -> set[str]:
    """Names (re)bound or deleted anywhere in ``node`` (targets of ``x.a = ...`` count ``x``)."""
    bound: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, n: cst.AssignTarget) -> None:
            bound.update(names_in(n.target))

        def visit_AugAssign(self, n: cst.AugAssign) -> None:
            bound.update(names_in(n.target))

        def visit_AnnAssign(self, n: cst.AnnAssign) -> None:
            bound.update(names_in(n.target))

        def visit_For(self, n: cst.For) -> None:
            bound.update(names_in(n.target))

        def visit_AsName(self, n: cst.AsName) -> None:
            bound.update(names_in(n.name))

        def visit_NamedExpr(self, n: cst.NamedExpr) -> None:
            bound.update(names_in(n.target))

        def visit_Del(self, n: cst.Del) -> None:
            bound.update(names_in(n.target))

        def visit_Global(self, n: cst.Global) -> None:
            bound.update(x.name.value for x in n.names)

        def visit_Nonlocal(self, n: cst.Nonlocal) -> None:
            bound.update(x.name.value for x in n.names)

        def visit_ImportAlias(self, n: cst.ImportAlias) -> None:
            bound.update(names_in(n.name))

    node.visit(V())
    return bound


def _rebuild_ok(ctx: FixContext, assign: cst.Assign, call: cst.Call, template: Template) -> bool:
    """Whether the values of a command string assigned before ``call`` read the same at the
    call: the assignment and the call are statements of the same block, every value can be
    read again without side effects, and nothing in between rebinds or changes what they
    read."""
    stmt_a, stmt_c = ctx.statement_of(assign), ctx.statement_of(call)
    block = ctx.parent(stmt_a) if stmt_a is not None else None
    if stmt_a is None or stmt_c is None or block is None or ctx.parent(stmt_c) is not block:
        return False
    body = getattr(block, "body", None)
    if not isinstance(body, Sequence):
        return False
    position = {id(st): i for i, st in enumerate(body)}
    start, end = position.get(id(stmt_a), -1), position.get(id(stmt_c), -1)
    if start < 0 or start >= end or not all(_pure(v.expr) for v in template.values):
        return False
    used = {n for v in template.values for n in names_in(v.expr)}
    for stmt in body[start + 1 : end + 1]:
        if used & _bound_names(stmt) or any(_writes_to(stmt, n) for n in used):
            return False
    return True


def _percent_mapping(ctx: FixContext, node: cst.BaseExpression) -> tuple[Template, bool] | None:
    """``"... %(key)s ..." % mapping`` as a template, and whether its values are synthetic.

    With a dict literal the values are the dict's own expressions (each used once); with a
    name, ``name["key"]``, read at the same place as the ``%`` read it. A value that may be a
    number is passed as ``str(...)``, as ``%`` formatted it.
    """
    if not (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo)):
        return None
    fmt_t = parse_template(node.left)
    if fmt_t is None or fmt_t.kind != "literal":
        return None
    fmt, right = fmt_t.literal_text, node.right
    known: dict[str, cst.BaseExpression] = {}  # the dict literal's values, when known
    literal = right
    if isinstance(right, cst.Name):
        assign = single_assignment(ctx, node, right.value)
        literal = assign.value if assign is not None else right
    if isinstance(literal, cst.Dict):
        for el in literal.elements:
            if not (isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString)):
                return None
            key = el.key.evaluated_value
            if not isinstance(key, str) or key in known:
                return None
            known[key] = el.value
    elif not isinstance(right, cst.Name | cst.Attribute):
        return None
    numeric = _numeric(ctx)
    parts: list[Lit | Val] = []
    seen: set[str] = set()
    synthetic = False
    pos = 0
    for m in _PERCENT_NAMED.finditer(fmt):
        parts.append(Lit(fmt[pos : m.start()]))
        pos = m.end()
        name, flags, width, precision, conv = m.groups()
        if conv == "%" and not (name or flags or width or precision):
            parts.append(Lit("%"))
            continue
        if name is None or flags or width or precision or conv not in "sdi":
            return None
        if isinstance(right, cst.Dict):
            if name not in known or (name in seen and not _pure(known[name])):
                return None  # read twice: only when reading it again changes nothing
            value: cst.BaseExpression = known[name]
        elif isinstance(literal, cst.Dict) and name not in known:
            return None  # a KeyError either way: leave it as it is
        else:
            value = cst.Subscript(
                value=right, slice=[cst.SubscriptElement(cst.Index(string_node(name)))]
            )
            synthetic = True
        seen.add(name)
        if conv != "s" or (name in known and numeric(known[name])):
            value = cst.Call(func=cst.Name("str"), args=[cst.Arg(value)])
            synthetic = True
        parts.append(Val(value, True))
    parts.append(Lit(fmt[pos:]))
    if not seen:
        return None
    merged: list[Lit | Val] = []
    for p in parts:
        if isinstance(p, Lit) and merged and isinstance(merged[-1], Lit):
            merged[-1] = Lit(merged[-1].text + p.text)
        elif not (isinstance(p, Lit) and not p.text):
            merged.append(p)
    return Template(parts=tuple(merged), kind="percent", quote=fmt_t.quote), synthetic


_PERCENT_NAMED = re.compile(r"%(?:\(([^)]*)\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")


def _method_command(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Command | None:
    """``obj.method()`` where ``obj`` is assigned once from ``Class(...)`` and ``method`` (a
    plain method of that class in this module) only returns a string built from literal text
    and ``self.<attribute>`` values: the same template, read from ``obj`` at the call."""
    if not (
        isinstance(expr, cst.Call)
        and not expr.args
        and isinstance(expr.func, cst.Attribute)
        and isinstance(expr.func.value, cst.Name)
    ):
        return None
    obj, method = expr.func.value.value, expr.func.attr.value
    assign = single_assignment(ctx, call, obj)
    if assign is None or not isinstance(assign.value, cst.Call):
        return None
    cls = [
        s
        for s in ctx.module.body
        if isinstance(s, cst.ClassDef) and s.name.value == dotted(assign.value.func)
    ]
    if len(cls) != 1 or any(not _plain_class_decorator(d) for d in cls[0].decorators):
        return None
    body = cls[0].body.body if isinstance(cls[0].body, cst.IndentedBlock) else ()
    defs = [s for s in body if isinstance(s, cst.FunctionDef) and s.name.value == method]
    other = [s for s in body if not isinstance(s, cst.FunctionDef) and method in _bound_names(s)]
    if len(defs) != 1 or other or defs[0].decorators or defs[0].asynchronous:
        return None
    fn = defs[0]
    p = fn.params
    if (
        len(p.params) != 1
        or p.posonly_params
        or p.kwonly_params
        or isinstance(p.star_arg, cst.Param)
        or p.star_kwarg
    ):
        return None
    self_name = p.params[0].name.value
    stmts = list(fn.body.body) if isinstance(fn.body, cst.IndentedBlock) else []
    if stmts and is_docstring(stmts[0]):
        stmts = stmts[1:]
    if not (
        len(stmts) == 1
        and isinstance(stmts[0], cst.SimpleStatementLine)
        and len(stmts[0].body) == 1
        and isinstance(stmts[0].body[0], cst.Return)
        and stmts[0].body[0].value is not None
    ):
        return None
    returned = stmts[0].body[0].value
    template = parse_template(returned)
    if template is None or not template.values:
        return None
    numbers = {
        s.body[0].target.value
        for s in body
        if isinstance(s, cst.SimpleStatementLine)
        and isinstance(s.body[0], cst.AnnAssign)
        and isinstance(s.body[0].target, cst.Name)
        and dotted(s.body[0].annotation.annotation) in {"int", "float"}
    }
    parts: list[Lit | Val] = []
    for part in template.parts:
        if isinstance(part, Lit):
            parts.append(part)
            continue
        v = part.expr
        if not (
            part.plain
            and isinstance(v, cst.Attribute)
            and isinstance(v.value, cst.Name)
            and v.value.value == self_name
        ):
            return None
        value: cst.BaseExpression = v.with_changes(value=cst.Name(obj))
        if v.attr.value in numbers and template.kind != "concat":
            value = cst.Call(func=cst.Name("str"), args=[cst.Arg(value)])
        parts.append(Val(value, True))
    new_template = Template(parts=tuple(parts), kind=template.kind, quote=template.quote)
    return _Command(new_template, returned, None, True, synthetic=True)


def _plain_class_decorator(d: cst.Decorator) -> bool:
    target = d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator
    return dotted(target) in {"dataclass", "dataclasses.dataclass"}


def _lambda_command(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Command | None:
    """``f()`` where ``f`` is assigned once, in this function, a lambda without parameters that
    builds the command: the same template, read at the call as the lambda read it."""
    if not (isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Name)):
        return None
    assign = single_assignment(ctx, call, expr.func.value)
    if assign is None or not isinstance(assign.value, cst.Lambda):
        return None
    lam = assign.value
    p = lam.params
    if (
        p.params
        or p.posonly_params
        or p.kwonly_params
        or isinstance(p.star_arg, cst.Param)
        or p.star_kwarg
    ):
        return None
    template = _template(lam.body)
    if template is None:
        return None
    # The lambda's body runs at the call, so the list is built there; a lambda only the call
    # used goes (unless comments sit above it).
    extra: dict[cst.CSTNode, Replacement] = {}
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    stmt = ctx.statement_of(assign)
    block = ctx.parent(stmt) if stmt is not None else None
    if (
        len(name_uses(scope, expr.func.value)) == 2
        and isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and all(line.comment is None for line in stmt.leading_lines)
        and isinstance(block, cst.IndentedBlock | cst.Module)
        and len(block.body) > 1
    ):
        extra[stmt] = cst.RemovalSentinel.REMOVE
    return _Command(template, lam.body, None, True, extra=extra)


def _branches(ctx: FixContext, call: cst.Call, var: str) -> _Command | None:
    """A command variable assigned a built (or constant) string in each of several branches
    before the call, outside loops, and read only by the call: each assignment becomes a list."""
    fn = ctx.enclosing(call, cst.FunctionDef)
    if fn is None or var in function_params(fn):
        return None
    assigns: list[cst.Assign] = []

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if any(isinstance(t.target, cst.Name) and t.target.value == var for t in node.targets):
                assigns.append(node)

    fn.body.visit(V())
    line = ctx.position(call).start.line
    if (
        len(assigns) < 2
        or len(name_uses(fn, var)) != len(assigns) + 1  # no other binding or use of the name
        or any(len(a.targets) != 1 or ctx.position(a).start.line > line for a in assigns)
    ):
        return None
    alternatives: list[_Command] = []
    for a in assigns:
        for anc in ctx.ancestors(a):
            if anc is fn:
                break
            if isinstance(anc, cst.For | cst.While | cst.FunctionDef | cst.Lambda):
                return None
        template = parse_template(a.value)
        synthetic = False
        if template is None:
            mapping = _percent_mapping(ctx, a.value)
            if mapping is None:
                return None
            template, synthetic = mapping
        alternatives.append(_Command(template, a.value, a.value, True, synthetic=synthetic))
    if not any(alt.template.values for alt in alternatives):
        return None  # constants only: nothing from outside reaches the command
    first = alternatives[0]
    return _Command(first.template, first.node, None, True, alternatives=tuple(alternatives))


def _read_command(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Command | str:
    words = _joined_list(ctx, call, expr)
    if words is not None:
        return _Command(Template(parts=(), kind="list", quote='"'), expr, None, True, words)
    template = _template(expr)
    if template is not None:
        return _Command(template, expr, None, True)
    mapping = _percent_mapping(ctx, expr)
    if mapping is not None:
        return _Command(mapping[0], expr, None, True, synthetic=mapping[1])
    built = _lambda_command(ctx, call, expr) or _method_command(ctx, call, expr)
    if built is not None:
        return built
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
        return (
            f"the command comes whole from `{ctx.code(expr)}`, set outside this function: the"
            " fix belongs where it is built, or the commands need an allow-list"
        )
    if not isinstance(expr, cst.Name):
        return "the command is not built from a string in this function"
    fn = ctx.enclosing(call, cst.FunctionDef)
    if fn is not None and expr.value in function_params(fn):
        return (
            f"the command comes whole from the caller (parameter `{expr.value}`): the fix"
            " belongs where it is built, or the commands need an allow-list"
        )
    assign = single_assignment(ctx, call, expr.value)
    if assign is None:
        steps = _steps(ctx, call, expr.value)
        if isinstance(steps, str):
            return _branches(ctx, call, expr.value) or steps
        return steps
    template = _template(assign.value)
    synthetic = False
    if template is None:
        mapping = _percent_mapping(ctx, assign.value)
        if mapping is None:
            return (
                f"`{expr.value}` is not built from literal text and values (the whole command"
                " may come from outside: an allow-list of commands is needed)"
            )
        template, synthetic = mapping
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    return _Command(
        template,
        assign.value,
        assign.value,
        len(name_uses(scope, expr.value)) == 2,
        synthetic=synthetic,
        rebuild=_rebuild_ok(ctx, assign, call, template),
    )


def _quoted(ctx: FixContext, cmd: _Command) -> dict[cst.CSTNode, Replacement] | None:
    """Replacements that wrap each interpolated value in ``shlex.quote`` (the shell stays)."""
    if cmd.words is not None:
        join = cst.Call(func=cst.parse_expression("shlex.join"), args=[cst.Arg(cmd.words)])
        return {cmd.node: join}
    if cmd.synthetic or cmd.splices or cmd.alternatives or not _unquoted_values(cmd.template):
        return None
    out: dict[cst.CSTNode, Replacement] = {}
    values = [(t.kind, v) for t in cmd.steps or (cmd.template,) for v in t.values]
    for kind, val in values:
        if isinstance(val.expr, cst.Call) and "shlex.quote" in ctx.qualified_names(val.expr.func):
            continue  # quoted already (idempotence)
        expr = val.expr
        if kind not in ("concat", "join"):
            # f-strings, % and .format convert with str(); shlex.quote needs a str
            expr = cst.Call(func=cst.Name("str"), args=[cst.Arg(val.expr)])
        out[val.expr] = cst.Call(func=cst.parse_expression("shlex.quote"), args=[cst.Arg(expr)])
    return out


def _sh_c(ctx: FixContext, cmd: _Command) -> list[Item] | None:
    """``["sh", "-c", SCRIPT, "sh", v1, v2, ...]``: the command's own shell code as a constant
    script, each interpolated value passed as a positional parameter (``"${1}"``), which the
    shell expands as one word and never parses as code. A value holding several words (one at
    most) comes last and is read as ``"$@"``, the others first kept in variables
    (``_1="${1}"; shift 1; ... "${_1}" ... "$@"``). None when a value's formatting cannot be
    reproduced (a format specification) or the words are not a whole part of the command."""
    if cmd.words is not None or cmd.steps or cmd.alternatives or len(cmd.splices) > 1:
        return None
    template = _unquoted(ctx, cmd.template)
    numeric = _numeric(ctx)
    script = ""
    args: list[Item] = []
    spliced: cst.BaseExpression | None = None
    boundary = False  # the words were just written: a blank must follow
    index: dict[str, int] = {}
    quote: str | None = None
    for part in template.parts:
        if isinstance(part, Lit):
            if boundary and not part.text[:1].isspace():
                return None
            boundary = False
            quote, escaped = _shell_quotes(part.text, quote)
            if escaped:
                return None
            script += part.text
            continue
        if id(part.expr) in cmd.splices:
            if quote is not None or (script and not script[-1].isspace()):
                return None
            spliced, boundary = cmd.splices[id(part.expr)].star, True
            script += '"$@"'
            continue
        if not part.plain or boundary:
            return None
        code = ctx.code(part.expr)
        simple = isinstance(part.expr, cst.Name | cst.Attribute | cst.Subscript)
        if simple and code in index:
            n = index[code]
        else:
            value = part.expr
            if template.kind not in ("concat", "join") and numeric(value):
                value = cst.Call(func=cst.Name("str"), args=[cst.Arg(value)])
            args.append(value)
            n = index[code] = len(args)
        ref = "${" + ("_" if cmd.splices else "") + str(n) + "}"
        script += {None: f'"{ref}"', '"': ref, "'": f"'\"{ref}\"'"}[quote]
    if quote is not None or not (args or spliced):
        return None
    if spliced is not None:
        if args:
            saved = "; ".join(f'_{n}="${{{n}}}"' for n in range(1, len(args) + 1))
            script = f"{saved}; shift {len(args)}; {script}"
        args.append(cst.StarredElement(spliced))
    q = "'" if '"' in script and "'" not in script else '"'
    return [
        string_node("sh"),
        string_node("-c"),
        cst.SimpleString(quote_text(script, q)),
        string_node("sh"),
        *args,
    ]


# World-writable directories: a literal naming a path in them is what linters report as a
# hard-coded temporary file (Bandit B108), however it is written.
_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")


def _temp_literals(nodes: Sequence[cst.CSTNode]) -> int:
    """How many string literals (or f-string literal pieces) in ``nodes`` start with a path in
    a world-writable temporary directory."""
    count = 0

    class V(cst.CSTVisitor):
        def visit_SimpleString(self, n: cst.SimpleString) -> None:
            nonlocal count
            value = n.evaluated_value
            if isinstance(value, str) and value.startswith(_TEMP_DIRS):
                count += 1

        def visit_FormattedStringText(self, n: cst.FormattedStringText) -> None:
            nonlocal count
            if n.value.startswith(_TEMP_DIRS):
                count += 1

    for node in nodes:
        node.visit(V())
    return count


_QUOTE_CALLS = {"shlex.quote", "pipes.quote"}


def _quote_arg(ctx: FixContext, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """``x`` of ``shlex.quote(x)``."""
    if (
        isinstance(expr, cst.Call)
        and len(expr.args) == 1
        and not expr.args[0].star
        and expr.args[0].keyword is None
        and ctx.qualified_names(expr.func) & _QUOTE_CALLS
    ):
        return expr.args[0].value
    return None


def _unquoted(ctx: FixContext, template: Template) -> Template:
    """The template with ``shlex.quote(x)`` outside shell quotes read as ``x``: the shell read
    the quoted text as exactly the word ``x``, which is what a list argument (or a positional
    parameter) passes without the quoting."""
    parts: list[Lit | Val] = []
    quote: str | None = None
    for part in template.parts:
        if isinstance(part, Lit):
            quote, _ = _shell_quotes(part.text, quote)
            parts.append(part)
            continue
        inner = _quote_arg(ctx, part.expr) if quote is None and part.plain else None
        parts.append(part if inner is None else Val(inner, True))
    return replace(template, parts=tuple(parts))


def _split(ctx: FixContext, cmd: _Command) -> tuple[list[Item] | cst.Name, bool] | None:
    """The argument list (elements, or the name of a list of words) and whether it is plain.

    A temporary-file path that the command wrote inside a longer literal stays inside one: when
    splitting would make it a literal of its own, the command becomes the constant ``sh -c``
    script (written as it was, values as positional parameters) if it can. The path itself is
    a separate question the fix neither answers nor hides.
    """
    if cmd.words is not None:
        return cmd.words, True
    if cmd.steps:
        return None  # a string built in steps stays a string for the shell
    splices = {k: s.star for k, s in cmd.splices.items()}
    split = split_command(_unquoted(ctx, cmd.template), ctx.module, _numeric(ctx), splices)
    if split is not None:
        elements, plain = split
        if _temp_literals([e for e in elements if isinstance(e, cst.CSTNode)]) > _temp_literals(
            [cmd.node]
        ):
            script = _sh_c(ctx, cmd)
            if script is not None:
                return script, False
        return elements, plain and all(s.plain for s in cmd.splices.values())
    script = _sh_c(ctx, cmd)
    return None if script is None else (script, False)


def _as_list(elements: list[Item] | cst.Name) -> cst.BaseExpression:
    return elements if isinstance(elements, cst.Name) else _list(elements)


def _place(
    cmd: _Command, elements: list[Item] | cst.Name, arg: cst.BaseExpression
) -> tuple[cst.BaseExpression, dict[cst.CSTNode, Replacement]] | None:
    """Where the argument list goes: the call's new argument and the other replacements.

    In the call when the command is built there (or may be built again there); in place of the
    variable's value (or the lambda's body) when only the call uses it, the call keeping its
    argument. None when neither is safe.
    """
    replacements: dict[cst.CSTNode, Replacement] = dict(cmd.extra)
    for s in cmd.splices.values():
        replacements.update(s.replacements)
    if cmd.holder is None:
        return _as_list(elements), replacements
    if cmd.sole_use:
        replacements[cmd.holder] = _as_list(elements)
        return arg, replacements
    if cmd.rebuild and not cmd.splices and cmd.words is None:
        return _as_list(elements), replacements
    return None


_QUOTE_DESC = (
    "Quote each interpolated value with `shlex.quote`, so that the shell (still needed for the"
    " command's own shell syntax) reads it as one plain word."
)
_RISK_QUOTING = (
    "the command's literal parts use quoting or shell syntax (kept in a constant `sh -c`"
    " script); check the argument list"
)


class SubprocessShellFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/subprocess-shell"),
        title="Run commands as an argument list, without a shell",
        cwes=(78,),
        risk=RiskClass.LOW,
        risk_reason=(
            "for the plain words the command is built from, the argument list runs the same"
            " program with the same arguments; only shell interpretation of the interpolated"
            " values goes away"
        ),
        description=(
            "Rewrites `subprocess.run/call/check_call/check_output/Popen(cmd, "
            "shell=True)` where `cmd` is built by f-string, concatenation, `%` (also with"
            ' a mapping), `.format` or `" ".join([...])` (inline, in a variable assigned once '
            "before the call or once in each of several branches, in a lambda without "
            "parameters, or returned by a method of a class of the same module) into an "
            "argument list (the literal parts split like `shlex.split`, each interpolated"
            " value its own argument, `shlex.quote(x)` read as `x`) and drops "
            "`shell=True` (and the shell's `executable=`); several words joined from a "
            "comprehension, `shlex.join(xs)` or `map(shlex.quote, xs)` become `*words`. "
            "`os.system(cmd)` becomes `subprocess.run([...], check=False).returncode`, "
            "`os.popen(cmd).read()` becomes `subprocess.run([...], capture_output=True, "
            "text=True, check=False).stdout`, a pipe object that is only read (also "
            "through a variable or `with`) becomes an `io.StringIO` of that output, and "
            "`asyncio.create_subprocess_shell(cmd)` becomes "
            "`asyncio.create_subprocess_exec(program, *args)`. A command variable used "
            "elsewhere too keeps its string and the list is built at the call when its "
            "values read the same there. When the literal parts use shell syntax (pipes, "
            "redirections, `;`, `&&`, `$`, globbing, `VAR=x cmd`) that an argument list "
            "would not reproduce, or splitting would turn a temporary-file path written "
            "inside the command into a literal of its own, the command becomes a constant"
            ' script run as `["sh", "-c", SCRIPT, "sh", value, ...]` with each value a '
            'quoted positional parameter (`"${1}"`), as does a built script in `["sh", '
            '"-c", script]` and `subprocess.getoutput(cmd)` (whose output, stderr '
            "included, stays the same); a command built in steps (`+=`) or read "
            "elsewhere, and `subprocess.getstatusoutput`, keep their string and wrap each"
            " value in `shlex.quote`. Numbers formatted into the command are passed as "
            "`str(n)`. Declines, saying why, when the whole command or program comes from"
            " outside, or a value holds several words for the shell to split in a way a "
            "list cannot repeat."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        declined: Declined | None = None
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if names & _SUBPROCESS:
                result = self._subprocess(ctx, node)
            elif "os.system" in names:
                result = self._os_system(ctx, node)
            elif "os.popen" in names:
                result = self._os_popen(ctx, node)
            elif names & _ALWAYS_SHELL:
                result = self._always_shell(ctx, node)
            elif names & _ASYNC_SHELL:
                result = self._async_shell(ctx, node)
            else:
                continue
            if isinstance(result, Edit):
                return result
            if isinstance(result, Declined) and declined is None:
                declined = result
        return declined

    def _quote_fallback(self, ctx: FixContext, cmd: _Command, why: str) -> Edit | Declined | None:
        quoted = _quoted(ctx, cmd)
        if quoted == {}:
            return None  # every value is quoted already
        if quoted is None:
            return Declined(
                reason=f"{why}; and an interpolated value sits inside shell quotes, uses a format"
                " specification or is not written in this function, where `shlex.quote` cannot"
                " be applied without changing the command"
            )
        return Edit(
            replacements=quoted,
            imports=(Import(module="shlex"),),
            description=_QUOTE_DESC,
        )

    def _placed(
        self,
        ctx: FixContext,
        cmd: _Command,
        arg: cst.BaseExpression,
        shell: cst.BaseExpression | None = None,
    ) -> tuple[cst.BaseExpression, dict[cst.CSTNode, Replacement], bool] | str:
        """The call's new argument, the other replacements and whether the list is plain; or
        why the command keeps its string. ``shell``: the program the command ran with
        (``executable=``), which runs an ``sh -c`` script in its place."""
        if cmd.alternatives:
            return self._placed_alternatives(ctx, cmd, arg, shell)
        split = _split(ctx, cmd)
        if split is None:
            return "the command uses shell syntax an argument list would not reproduce"
        elements = split[0]
        if (
            shell is not None
            and isinstance(elements, list)
            and len(elements) > 2
            and all(isinstance(e, cst.SimpleString) for e in elements[:2])
            and [e.evaluated_value for e in elements[:2] if isinstance(e, cst.SimpleString)]
            == ["sh", "-c"]
        ):
            elements = [shell, *elements[1:]]
        placed = _place(cmd, elements, arg)
        if placed is None:
            return "the command variable is used elsewhere too"
        return placed[0], placed[1], split[1]

    def _placed_alternatives(
        self,
        ctx: FixContext,
        cmd: _Command,
        arg: cst.BaseExpression,
        shell: cst.BaseExpression | None,
    ) -> tuple[cst.BaseExpression, dict[cst.CSTNode, Replacement], bool] | str:
        """Each assignment of the command variable becomes its list; the call keeps the name."""
        replacements: dict[cst.CSTNode, Replacement] = {}
        plain = True
        for alt in cmd.alternatives:
            placed = self._placed(ctx, replace(alt, holder=None), arg, shell)
            if isinstance(placed, str) and not alt.template.values:
                # a constant command with shell syntax: the same text as a constant script
                text = alt.template.literal_text
                script = cst.SimpleString(quote_text(text, "'" if '"' in text else '"'))
                placed = (_list([shell or string_node("sh"), string_node("-c"), script]), {}, False)
            if isinstance(placed, str):
                return f"{placed} (in one of the branches that assign `{ctx.code(arg)}`)"
            new_list, more, alt_plain = placed
            replacements.update(more)
            replacements[alt.node] = new_list
            plain = plain and alt_plain
        return arg, replacements, plain

    def _subprocess(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        shell = keyword(node, "shell")
        if shell is None or not is_true(shell.value):
            pos = positional(node)
            first = pos[0].value if pos else None
            script = self._sh_c_list(ctx, node, first)
            if script is not None:
                return script
            if (
                isinstance(first, cst.List | cst.Tuple)
                and first.elements
                and parse_template(first.elements[0].value) is None
            ):
                return Declined(
                    reason="the program to run is not a literal (it may come from input): that"
                    " needs an allow-list of programs, not a rewrite"
                )
            return None
        pos = positional(node)
        cmd_arg = pos[0] if pos else keyword(node, "args")
        if cmd_arg is None:
            return None
        cmd = _command(ctx, node, cmd_arg.value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        # With shell=True, `executable` names the shell; without, it would replace the program.
        executable = keyword(node, "executable")
        placed = self._placed(
            ctx, cmd, cmd_arg.value, executable.value if executable is not None else None
        )
        if isinstance(placed, str):
            return self._quote_fallback(ctx, cmd, placed)
        arg, replacements, plain = placed
        with_list = node.with_changes(
            args=[a.with_changes(value=arg) if a is cmd_arg else a for a in node.args]
        )
        new = remove_args(
            with_list,
            lambda a: a.keyword is not None and a.keyword.value in {"shell", "executable"},
        )
        replacements[node] = new
        return Edit(
            replacements=replacements,
            description=(
                "Pass the command as an argument list without `shell=True`, so that interpolated"
                " values are single arguments the shell never interprets."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None if plain else _RISK_QUOTING,
        )

    def _sh_c_list(
        self, ctx: FixContext, node: cst.Call, first: cst.BaseExpression | None
    ) -> Edit | Declined | None:
        """``["sh", "-c", script]`` with a script built from values: a constant script with the
        values as positional parameters."""
        if not (isinstance(first, cst.List) and len(first.elements) == 3):
            return None
        els = [e.value for e in first.elements]
        prog, flag = (parse_template(e) for e in els[:2])
        if not (
            prog is not None
            and prog.kind == "literal"
            and prog.literal_text in _SHELLS
            and flag is not None
            and flag.literal_text == "-c"
        ):
            return None
        cmd = _command(ctx, node, els[2])
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        built = _sh_c(ctx, cmd)
        if built is None:
            return Declined(
                reason="a value in the script uses a format specification or holds several words"
            )
        script, values = built[2], built[4:]
        placed = _place(cmd, [script], els[2])
        if placed is None:
            return Declined(reason="the script variable is used elsewhere too")
        where, replacements = placed
        third: cst.BaseExpression = script
        if where is els[2] and cmd.holder is not None:
            # only the call used the variable: it holds the constant script now
            replacements[cmd.holder] = script
            third = els[2]
        new_list = _list([els[0], els[1], third, string_node("sh"), *values])
        replacements[first] = new_list.with_changes(lpar=first.lpar, rpar=first.rpar)
        return Edit(
            replacements=replacements,
            description=(
                "Keep the shell script constant and pass the interpolated values as positional"
                ' parameters (`"${1}"`), which the shell expands as single words and never'
                " runs as code."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=_RISK_QUOTING,
        )

    def _always_shell(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``subprocess.getoutput(cmd)`` runs a shell, merges stderr into the text, strips the
        last newline and never raises for a failing command: the same call on a constant
        ``sh -c`` script with the values as positional parameters keeps all of that (a missing
        program is still the shell's message, not an exception). ``getstatusoutput`` keeps its
        string and quotes the values."""
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        cmd = _command(ctx, node, pos[0].value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        names = ctx.qualified_names(node.func)
        script = _sh_c(ctx, cmd) if "subprocess.getoutput" in names else None
        placed = None if script is None else _place(cmd, script, pos[0].value)
        if placed is None:
            return self._quote_fallback(
                ctx, cmd, "`getoutput` and `getstatusoutput` always run a shell"
            )
        arg, replacements = placed
        run = cst.parse_expression(
            "subprocess.run(CMD, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,"
            ' check=False).stdout.removesuffix("\\n")'
        )
        assert isinstance(run, cst.Call) and isinstance(run.func, cst.Attribute)
        stdout = run.func.value
        assert isinstance(stdout, cst.Attribute) and isinstance(stdout.value, cst.Call)
        inner = stdout.value.with_changes(
            args=[stdout.value.args[0].with_changes(value=arg), *stdout.value.args[1:]]
        )
        new = run.with_changes(
            func=run.func.with_changes(value=stdout.with_changes(value=inner)),
            lpar=node.lpar,
            rpar=node.rpar,
        )
        replacements[node] = new
        return Edit(
            replacements=replacements,
            imports=(Import(module="subprocess"),),
            description=(
                "Replace `subprocess.getoutput(command string)` with `subprocess.run` of a"
                ' constant `sh -c` script whose values are positional parameters (`"${1}"`),'
                " with stderr merged into the text and the last newline stripped as before, so"
                " that the shell never runs a value as code."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=_RISK_QUOTING,
        )

    def _os_popen(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``os.popen(cmd).read()`` -> ``subprocess.run([...], ...).stdout``; a pipe object kept
        in a variable and only read -> ``io.StringIO`` of that output (other uses of the pipe
        object keep `os.popen` with quoted values)."""
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        cmd = _command(ctx, node, pos[0].value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        attr = ctx.parent(node)
        outer = ctx.parent(attr) if attr is not None else None
        read_all = (
            isinstance(attr, cst.Attribute)
            and attr.attr.value == "read"
            and isinstance(outer, cst.Call)
            and outer.func is attr
            and not outer.args
        )
        if not read_all and not _only_read(ctx, node):
            return self._quote_fallback(ctx, cmd, "the pipe object is used for more than reading")
        placed = self._placed(ctx, cmd, pos[0].value)
        if isinstance(placed, str):
            return self._quote_fallback(ctx, cmd, placed)
        arg, replacements, plain = placed
        if read_all:
            assert isinstance(outer, cst.Call)
            template = "subprocess.run(CMD, capture_output=True, text=True, check=False).stdout"
            target: cst.BaseExpression = outer
        else:
            # os.popen's stderr is not captured, and its text is read in full by the reads
            template = (
                "io.StringIO(subprocess.run(CMD, stdout=subprocess.PIPE, text=True,"
                " check=False).stdout)"
            )
            target = node
        replacements[target] = _fill(template, arg).with_changes(lpar=target.lpar, rpar=target.rpar)
        imports = (Import(module="subprocess"),) + (() if read_all else (Import(module="io"),))
        return Edit(
            replacements=replacements,
            imports=imports,
            description=(
                "Replace `os.popen(command string)` with `subprocess.run([...], ...,"
                " check=False).stdout` and an argument list, so that no shell interprets the"
                " interpolated values."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None if plain else _RISK_QUOTING,
        )

    def _async_shell(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``asyncio.create_subprocess_shell(cmd, ...)`` ->
        ``asyncio.create_subprocess_exec(program, *args, ...)`` (same keyword arguments)."""
        pos = positional(node)
        if not pos or pos[0] is not node.args[0] or has_star_args(node):
            return None
        first = pos[0]
        cmd = _command(ctx, node, first.value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        placed = self._placed(ctx, cmd, first.value)
        if isinstance(placed, str):
            return self._quote_fallback(ctx, cmd, placed)
        arg, replacements, plain = placed
        sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if isinstance(arg, cst.List):
            words = [
                cst.Arg(e.value, star="*" if isinstance(e, cst.StarredElement) else "", comma=sep)
                for e in arg.elements
            ]
        else:
            words = [cst.Arg(arg, star="*", comma=sep)]
        words[-1] = words[-1].with_changes(comma=first.comma)
        replacements[node] = node.with_changes(
            func=cst.parse_expression("asyncio.create_subprocess_exec"),
            args=[*words, *node.args[1:]],
        )
        return Edit(
            replacements=replacements,
            imports=(Import(module="asyncio"),),
            description=(
                "Replace `asyncio.create_subprocess_shell(command string)` with"
                " `asyncio.create_subprocess_exec(program, *args)`, so that interpolated values"
                " are single arguments the shell never interprets."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None if plain else _RISK_QUOTING,
        )

    def _os_system(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        cmd = _command(ctx, node, pos[0].value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        placed = self._placed(ctx, cmd, pos[0].value)
        if isinstance(placed, str):
            return self._quote_fallback(ctx, cmd, placed)
        arg, replacements, plain = placed
        run = cst.Call(
            func=cst.parse_expression("subprocess.run"),
            args=[
                cst.Arg(arg, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                cst.Arg(
                    cst.Name("False"),
                    keyword=cst.Name("check"),
                    equal=cst.AssignEqual(
                        whitespace_before=cst.SimpleWhitespace(""),
                        whitespace_after=cst.SimpleWhitespace(""),
                    ),
                ),
            ],
        )
        new = cst.Attribute(value=run, attr=cst.Name("returncode"), lpar=node.lpar, rpar=node.rpar)
        replacements[node] = new
        # os.system returns a wait status (exit code << 8 on POSIX), returncode the exit code:
        # equal for the common `== 0` test, different when the number itself is used.
        parent = ctx.parent(node)
        used = not isinstance(parent, cst.Expr)
        risky = used or not plain
        return Edit(
            replacements=replacements,
            imports=(Import(module="subprocess"),),
            description=(
                "Replace `os.system(command string)` with `subprocess.run([...], check=False)`"
                " and an argument list, so that no shell interprets the interpolated values."
            ),
            risk=RiskClass.MEDIUM if risky else None,
            risk_reason=(
                "os.system returned a wait status, `.returncode` is the exit code; and/or the"
                " command's literal parts use quoting"
                if risky
                else None
            ),
        )


def _fill(template: str, arg: cst.BaseExpression) -> cst.BaseExpression:
    """``template`` (code with the name ``CMD``) with ``arg`` in place of ``CMD``."""

    class Fill(cst.CSTTransformer):
        def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
            return arg if updated.value == "CMD" else updated

    filled = cst.parse_expression(template).visit(Fill())
    assert isinstance(filled, cst.BaseExpression)
    return filled


_READS = {"read", "readline", "readlines"}


def _read_use(ctx: FixContext, node: cst.CSTNode) -> bool:
    """Whether this use of a pipe object only reads from it: ``.read()``, ``.readline()``,
    ``.readlines()``, ``for line in it``, or a bare ``.close()`` (os.popen's close() returns
    the exit status, which a file's does not: only when the result is discarded)."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.For | cst.CompFor) and parent.iter is node:
        return True
    call = ctx.parent(parent) if parent is not None else None
    if not (
        isinstance(parent, cst.Attribute)
        and parent.value is node
        and isinstance(call, cst.Call)
        and call.func is parent
        and not call.args
    ):
        return False
    if parent.attr.value == "close":
        return isinstance(ctx.parent(call), cst.Expr)
    return parent.attr.value in _READS


def _only_read(ctx: FixContext, popen: cst.Call) -> bool:
    """Whether the pipe object of ``popen`` is only read from: directly, through a variable
    assigned once, or through ``with os.popen(...) as f``."""
    if _read_use(ctx, popen):
        return True
    parent = ctx.parent(popen)
    target: cst.BaseExpression | None = None
    if (
        isinstance(parent, cst.Assign)
        and parent.value is popen
        and len(parent.targets) == 1
        and isinstance(parent.targets[0].target, cst.Name)
        and single_assignment(ctx, popen, parent.targets[0].target.value) is parent
    ):
        target = parent.targets[0].target
    elif isinstance(parent, cst.WithItem) and parent.item is popen and parent.asname is not None:
        target = parent.asname.name
    if not isinstance(target, cst.Name):
        return False
    name = target
    scope = ctx.enclosing(popen, cst.FunctionDef) or ctx.module
    uses: list[cst.Name] = []

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            if n.value == name.value and n is not name:
                uses.append(n)

    scope.visit(V())
    return bool(uses) and all(_read_use(ctx, n) for n in uses)
