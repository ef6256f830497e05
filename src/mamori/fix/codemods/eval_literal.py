"""CWE-94/95: ``eval`` of data -> ``ast.literal_eval`` when the data is a Python literal."""

from __future__ import annotations

import ast
import re

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    built_string,
    dotted,
    has_star_args,
    keyword,
    names_in,
    positional,
    quote_text,
    single_assignment,
    string_node,
)
from mamori.fix.codemods._safety import built_from_input, why_safe
from mamori.fix.codemods._template import Lit, Template, parse_template
from mamori.fix.interface import Declined, FixerInfo

# Variable names that say the value is an expression to compute, not a literal to read.
_EXPRESSION_NAMES = re.compile(r"expr|formula|calc|code|math|script|equation|lambda", re.I)
# ... and those that say it is arithmetic, which a small evaluator can compute without eval.
_ARITHMETIC_NAMES = re.compile(r"expr|formula|calc|math|equation", re.I)
_WORD = re.compile(r"[A-Za-z_]\w*")
_ARITHMETIC_TEXT = re.compile(r"[\d\s.+\-*/%()]+")
_ARITH = "_eval_arithmetic"
_ARITH_CODE = '''def _eval_arithmetic(expression: str) -> "int | float":
    """The value of an arithmetic expression (numbers, + - * / // % **, parentheses),
    computed without running code: names, calls and attributes raise ValueError."""
    operators = {
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: operator.truediv,
        ast.FloorDiv: operator.floordiv,
        ast.Mod: operator.mod,
        ast.Pow: operator.pow,
    }

    def value(node: ast.AST) -> "int | float":
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in operators:
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise ValueError("exponent too large")
            return operators[type(node.op)](left, right)
        raise ValueError("only numbers and arithmetic operators are allowed")

    return value(ast.parse(str(expression).strip(), mode="eval").body)
'''

_FORMULA = "_eval_formula"
_FORMULA_CODE = '''def _eval_formula(expression, global_names=None, local_names=None):
    """The value of a formula, computed without running code.

    Allowed: numbers, strings, True/False/None, arithmetic (+ - * / // % **), comparisons,
    and/or/not, `a if c else b`, tuples and lists, indexing of dicts, lists, tuples and
    strings, and names looked up in ``local_names`` then ``global_names`` (as eval would).
    Anything else (calls, attributes, lambdas, comprehensions, unknown names) raises
    ValueError before any of the formula is evaluated.
    """
    if isinstance(expression, bytes):
        expression = expression.decode()
    tree = ast.parse(str(expression).strip(), mode="eval")
    binary = {
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: operator.truediv,
        ast.FloorDiv: operator.floordiv,
        ast.Mod: operator.mod,
        ast.Pow: operator.pow,
    }
    compare = {
        ast.Eq: operator.eq,
        ast.NotEq: operator.ne,
        ast.Lt: operator.lt,
        ast.LtE: operator.le,
        ast.Gt: operator.gt,
        ast.GtE: operator.ge,
        ast.Is: operator.is_,
        ast.IsNot: operator.is_not,
        ast.In: lambda a, b: a in b,
        ast.NotIn: lambda a, b: a not in b,
    }
    allowed = (
        ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.BoolOp,
        ast.Compare, ast.IfExp, ast.Tuple, ast.List, ast.Subscript, ast.UAdd, ast.USub,
        ast.Not, ast.And, ast.Or, *binary, *compare,
    )
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise ValueError(f"{type(node).__name__} is not allowed in a formula")
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            raise ValueError(f"name {node.id!r} is not allowed in a formula")
        if isinstance(node, ast.Constant) and not isinstance(
            node.value, (int, float, complex, str, type(None))
        ):
            raise ValueError(f"constant {node.value!r} is not allowed in a formula")
    scopes = [names for names in (local_names, global_names) if names is not None]
    limit = 100_000  # bits of an integer, items of a string, list or tuple

    def checked(op, left, right):
        if isinstance(op, ast.Mod) and isinstance(left, str):
            raise ValueError("string formatting is not allowed in a formula")
        if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and abs(left).bit_length() * right > limit:
                raise ValueError("number too large")
        if isinstance(op, ast.Mult):
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > limit:
                    raise ValueError("number too large")
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > limit:
                        raise ValueError("value too large")
        return binary[type(op)](left, right)

    def value(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            for names in scopes:
                if node.id in names:
                    return names[node.id]
            raise ValueError(f"unknown name {node.id!r} in formula")
        if isinstance(node, ast.Tuple):
            return tuple(value(item) for item in node.elts)
        if isinstance(node, ast.List):
            return [value(item) for item in node.elts]
        if isinstance(node, ast.UnaryOp):
            operand = value(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BinOp):
            return checked(node.op, value(node.left), value(node.right))
        if isinstance(node, ast.BoolOp):
            result = value(node.values[0])
            for item in node.values[1:]:
                if (not result) if isinstance(node.op, ast.And) else result:
                    break
                result = value(item)
            return result
        if isinstance(node, ast.Compare):
            left = value(node.left)
            result = True
            for op, item in zip(node.ops, node.comparators):
                right = value(item)
                result = compare[type(op)](left, right)
                if not result:
                    break
                left = right
            return result
        if isinstance(node, ast.IfExp):
            return value(node.body) if value(node.test) else value(node.orelse)
        if isinstance(node, ast.Subscript):
            container = value(node.value)
            if not isinstance(container, (dict, list, tuple, str)):
                raise ValueError("only dicts, lists, tuples and strings can be indexed")
            return container[value(node.slice)]
        raise ValueError(f"{type(node).__name__} is not allowed in a formula")

    return value(tree.body)
'''


def _strings_in(node: cst.CSTNode) -> list[str]:
    """The values of the plain string constants in ``node`` (defaults, examples)."""
    found: list[str] = []

    class V(cst.CSTVisitor):
        def visit_SimpleString(self, s: cst.SimpleString) -> None:
            value = s.evaluated_value
            if isinstance(value, str):
                found.append(value)

    node.visit(V())
    return found


def _is_literal(text: str) -> bool:
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


# Names that say a value is code to run (not a formula over a few values).
_CODE_NAMES = re.compile(r"code|script|source|snippet|payload|program|plugin|module", re.I)
# What `_eval_formula` accepts, to check example values the code shows.
_FORMULA_NODES = (
    ast.Expression,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Tuple,
    ast.List,
    ast.Subscript,
    ast.operator,
    ast.unaryop,
    ast.boolop,
    ast.cmpop,
)
_FORMULA_IMPORTS = (Import(module="ast"), Import(module="operator"))
_FORMULA_RISK = (
    "numbers, strings, arithmetic, comparisons, and/or/not and the names the code passes give"
    " the same result; calls, attributes, lambdas and comprehensions now raise ValueError,"
    " which the project's tests must show is not relied on"
)
# Parents in which an expression needs no parentheses.
_OPEN_PARENTS = (cst.Assign, cst.AnnAssign, cst.Return, cst.Arg, cst.Element, cst.DictElement)

# The text of a formula that compiles to no call, attribute access or indexing: keywords,
# names not followed by `(` or a quote (no calls, no string prefixes such as f''), numbers
# not followed by `.`, a letter or `(`, quoted strings without backslashes, operators,
# parentheses (a `)` not followed by `(`) and blanks. Linear: every token ends where it must.
_FORMULA_PARTS = (
    r"(?:(?:and|or|not|in|is|if|else)(?!\w)",
    r"|[A-Za-z_]\w*(?![\w'\"])(?!\s*\()",
    r"|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?![\w.(])",
    r"|(?:'[^'\\\n]*'|\"[^\"\\\n]*\")(?!\s*\()",
    r"|\*\*|//|[-+*/%<>=!,]|\(|\)(?!\s*\()|\s)+",
)
_FORMULA_TEXT = "_FORMULA_TEXT"
_FORMULA_TEXT_CODE = (
    "_FORMULA_TEXT = re.compile(\n" + "".join(f'    r"{p}"\n' for p in _FORMULA_PARTS) + ")\n"
)
# Names that say a compiled expression is a formula.
_FORMULA_HINTS = re.compile(r"formula|expr|calc|math|equation|rule|condition|predicate", re.I)


def _beyond_formula(text: str) -> bool:
    """Whether ``text`` parses as an expression that `_eval_formula` would reject (a call, an
    attribute, ...); False for text that is not an expression at all (a key, a label)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return not all(isinstance(n, _FORMULA_NODES) for n in ast.walk(tree))


def _bound_lines(scope: cst.CSTNode, ctx: FixContext) -> dict[str, list[int]]:
    """The lines at which each name is (re)bound in ``scope``."""
    bound: dict[str, list[int]] = {}

    def note(target: cst.CSTNode, at: cst.CSTNode) -> None:
        line = ctx.position(at).start.line
        for name in names_in(target):
            bound.setdefault(name, []).append(line)

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            note(node.target, node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            note(node.target, node)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if node.value is not None:
                note(node.target, node)

        def visit_For(self, node: cst.For) -> None:
            note(node.target, node)

        def visit_CompFor(self, node: cst.CompFor) -> None:
            note(node.target, node)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            note(node.target, node)

        def visit_AsName(self, node: cst.AsName) -> None:
            note(node.name, node)

        def visit_Del(self, node: cst.Del) -> None:
            note(node.target, node)

    scope.visit(V())
    return bound


def _imported_names(module: cst.Module) -> set[str]:
    names: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    names.add(alias.asname.name.value)
                else:
                    names.add(dotted(alias.name).split(".")[0])

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    names.add(alias.asname.name.value)
                elif isinstance(alias.name, cst.Name):
                    names.add(alias.name.value)

    module.visit(V())
    return names


def _defined_callables(module: cst.Module) -> set[str]:
    return {s.name.value for s in module.body if isinstance(s, cst.FunctionDef | cst.ClassDef)}


def _other_definition(ctx: FixContext, name: str, code: str) -> bool:
    """Whether the module defines ``name`` at top level as something other than ``code``."""
    if name not in ctx.top_level_names():
        return False
    ours = cst.parse_module(code).body[0]
    return not any(
        stmt.deep_equals(ours) or ctx.code(stmt).strip() == code.strip() for stmt in ctx.module.body
    )


def _stored(ctx: FixContext, at: cst.Call, expr: cst.BaseExpression) -> cst.BaseExpression:
    """For ``d["k"]`` of a dict display assigned once to ``d``, the expression stored under
    ``"k"`` (so that a value converted before it was stored is seen as such); else ``expr``."""
    if not (
        isinstance(expr, cst.Subscript)
        and isinstance(expr.value, cst.Name)
        and len(expr.slice) == 1
        and isinstance(expr.slice[0].slice, cst.Index)
        and isinstance(expr.slice[0].slice.value, cst.SimpleString)
    ):
        return expr
    key = expr.slice[0].slice.value.evaluated_value
    assign = single_assignment(ctx, at, expr.value.value)
    if assign is None or not isinstance(assign.value, cst.Dict):
        return expr
    for el in assign.value.elements:
        if (
            isinstance(el, cst.DictElement)
            and isinstance(el.key, cst.SimpleString)
            and el.key.evaluated_value == key
        ):
            return el.value
    return expr


def _markers(template: Template) -> tuple[str, list[str]] | None:
    """The template as code with a marker identifier in place of each value, and the markers;
    None when a value is formatted (a conversion or format spec)."""
    if not all(v.plain for v in template.values):
        return None
    literal = template.literal_text
    n = 0
    markers: list[str] = []
    code = ""
    for part in template.parts:
        if isinstance(part, Lit):
            code += part.text
            continue
        marker = f"_mamori_slot{n}_"
        while marker in literal:
            n += 1
            marker = f"_mamori_slot{n}_"
        n += 1
        markers.append(marker)
        code += marker
    return code, markers


def _parenthesised(
    ctx: FixContext, node: cst.CSTNode, expr: cst.BaseExpression
) -> cst.BaseExpression:
    """``expr`` with parentheses when it replaces ``node`` inside a larger expression."""
    atomic = isinstance(
        expr, cst.Name | cst.Attribute | cst.Call | cst.Subscript | cst.SimpleString
    )
    if atomic or expr.lpar or isinstance(ctx.parent(node), _OPEN_PARENTS):
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


class EvalLiteralFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/eval-literal"),
        title="Read literal data with ast.literal_eval instead of eval",
        cwes=(94, 95),
        # Bandit files `eval` (B307) under CWE-78.
        rule_ids=("bandit:B307",),
        risk=RiskClass.MEDIUM,
        risk_reason=(
            "for data written as Python literals (numbers, strings, lists, dicts, tuples, sets,"
            " booleans, None) the result is the same; any input that was an expression"
            " (arithmetic, names, calls) now raises ValueError, which the project's tests must"
            " show is not relied on"
        ),
        description=(
            "Replaces `eval(data)` (one argument, no globals/locals) with"
            " `ast.literal_eval(data)` when nothing says the input is an expression. Declines,"
            " for a person to review, `exec`/`compile`/`__import__` of code, a string built"
            " with code around the value, a variable whose"
            " name says it holds an expression (`expr`, `formula`, ...), or an example or"
            " default value in the code that is not a literal (such as `'1+1'`). When those"
            " signs say the input is arithmetic (`expr`, `formula`, `calc`, examples made of"
            " numbers and operators), `eval` becomes `_eval_arithmetic`, a small evaluator of"
            " numbers, `+ - * / // % **` and parentheses that runs no code. Formulas over"
            " named values become `_eval_formula`, a small evaluator (numbers, strings,"
            " arithmetic, comparisons, and/or/not, `a if c else b`, indexing of dicts and"
            " lists, names only from the mapping the code passes) that rejects calls,"
            " attributes, lambdas and comprehensions with ValueError: `eval(formula, globals,"
            ' locals)` when the namespaces hold no functions or modules, `eval(f"lambda x:'
            ' {formula}")` (a lambda over the formula with its parameters as the names) and'
            ' `exec(f"name = {formula}", scope)` (the value stored in the scope). Code written'
            " around a value that sits whole inside one string literal"
            """ (`eval("lambda p: p['" + field + "']")`) is written out with the value in place"""
            ' of the literal. `compile(source, "<formula>", "eval")` of a formula is preceded by'
            " a check that the text has no call, attribute access or indexing. Declines"
            " `exec` of code, dynamic imports, namespaces with functions, constants and"
            " values checked against an allow-list (not data from outside)."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if "builtins.exec" in names:
                assigned = self._exec_assignment(ctx, node)
                if assigned is not None:
                    return assigned
            if "builtins.compile" in names:
                checked = self._compiled_formula(ctx, node)
                if checked is not None:
                    return checked
            if names & {"builtins.exec", "builtins.compile", "builtins.__import__"}:
                return Declined(reason="executing data as code has no drop-in safe form")
            if "importlib.import_module" in names:
                return Declined(reason="import a module from an allow-list instead")
            if "builtins.eval" not in names:
                continue
            return self._eval(ctx, node)
        return None

    def _eval(self, ctx: FixContext, node: cst.Call) -> Edit | Declined:
        pos = positional(node)
        if len(node.args) != len(pos) or not 1 <= len(pos) <= 3:
            return Declined(reason="eval with globals/locals evaluates expressions on purpose")
        arg = pos[0].value
        constant = why_safe(ctx, node, arg)
        if constant is not None:
            return Declined(reason=constant)
        if len(pos) > 1:
            return self._namespaced(ctx, node, arg, [p.value for p in pos[1:]])
        found = built_string(ctx, node, arg)
        if found is not None:
            rewritten = self._from_template(ctx, node, arg, *found)
            if rewritten is not None:
                return rewritten
        hint = self._expression_hint(ctx, node, arg)
        if hint is not None:
            reason, arithmetic = hint
            if not arithmetic:
                return Declined(reason=reason)
            return Edit(
                replacements={node: node.with_changes(func=cst.Name(_ARITH))},
                imports=(Import(module="ast"), Import(module="operator")),
                helpers={_ARITH: _ARITH_CODE},
                description=(
                    f"Compute the arithmetic with `{_ARITH}`, a small evaluator that accepts"
                    " numbers, `+ - * / // % **` and parentheses and never runs code, instead"
                    f" of `eval` ({reason})."
                ),
                risk=RiskClass.MEDIUM,
                risk_reason=(
                    "arithmetic gives the same result; anything else (names, functions,"
                    " comparisons) now raises ValueError, which the project's tests must show"
                    " is not relied on"
                ),
            )
        new = node.with_changes(func=cst.parse_expression("ast.literal_eval"))
        return Edit(
            replacements={node: new},
            imports=(Import(module="ast"),),
            description=(
                "Parse the value with `ast.literal_eval`, which accepts only Python literals"
                " and never runs code, instead of `eval`."
            ),
        )

    def _expression_hint(
        self, ctx: FixContext, node: cst.Call, arg: cst.BaseExpression
    ) -> tuple[str, bool] | None:
        """Why the input looks like an expression rather than a literal, and whether that
        expression is arithmetic (names and examples say so); None for a literal."""
        template = parse_template(arg)
        if template is not None and template.values:
            return "the evaluated string is built around the value: it is code", False
        inspected: list[cst.CSTNode] = [arg]
        names: list[str] = []
        if isinstance(arg, cst.Name):
            names.append(arg.value)
            assign = single_assignment(ctx, node, arg.value)
            if assign is not None:
                inspected.append(assign.value)
                names += [t.target.value for t in assign.targets if isinstance(t.target, cst.Name)]
        texts = [t for part in inspected for t in _strings_in(part) if t]
        hint: str | None = None
        for name in names:
            if _EXPRESSION_NAMES.search(name):
                hint = f"`{name}` names an expression to compute, not a literal"
                break
        for text in texts:
            if hint is not None:
                break
            if _EXPRESSION_NAMES.search(text):
                hint = f"the input is named {text!r}: an expression"
            # A default or example value (`"1+1"`) that literal_eval would reject.
            elif (
                not text.isidentifier()
                and not _is_literal(text)
                and (any(c in text for c in "+-*/%()<>=") or text.strip() != text)
            ):
                hint = f"the example value {text!r} is an expression"
        if hint is None:
            return None
        # Arithmetic: named so, and every example value is made of numbers and operators.
        arithmetic = any(_ARITHMETIC_NAMES.search(n) for n in names) or any(
            _ARITHMETIC_TEXT.fullmatch(t) for t in texts
        )
        # ... and no string around it names something else (`lambda`, `sqrt`, `open`).
        arithmetic = arithmetic and not any(
            not _ARITHMETIC_NAMES.search(word) for t in texts for word in _WORD.findall(t)
        )
        return hint, arithmetic

    # --- formulas: eval with namespaces, lambdas and slots built from a template, exec of
    # an assignment

    def _formula_edit(
        self, ctx: FixContext, replacements: dict[cst.CSTNode, cst.CSTNode], what: str
    ) -> Edit | Declined:
        if _other_definition(ctx, _FORMULA, _FORMULA_CODE):
            return Declined(reason=f"the module defines its own `{_FORMULA}`")
        return Edit(
            replacements=replacements,
            imports=_FORMULA_IMPORTS,
            helpers={_FORMULA: _FORMULA_CODE},
            description=(
                f"{what} with `{_FORMULA}`, a small evaluator of formulas (numbers, strings,"
                " arithmetic, comparisons, and/or/not, indexing of dicts and lists, and the"
                " names the code passes) that rejects calls, attributes, lambdas and every"
                " other construct with ValueError and never runs code."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=_FORMULA_RISK,
        )

    def _namespaced(
        self,
        ctx: FixContext,
        node: cst.Call,
        arg: cst.BaseExpression,
        spaces: list[cst.BaseExpression],
    ) -> Edit | Declined:
        """``eval(formula, globals[, locals])``: the names the expression may use are given."""
        if built_string(ctx, node, arg) is not None:
            return Declined(reason="the evaluated string is built around the value: it is code")
        inspected: list[cst.CSTNode] = [arg]
        names: list[str] = []
        if isinstance(arg, cst.Name):
            names.append(arg.value)
            assign = single_assignment(ctx, node, arg.value)
            if assign is not None:
                inspected.append(assign.value)
        for name in names:
            if _CODE_NAMES.search(name):
                return Declined(reason=f"`{name}` names code to run, not a formula")
        for text in (t for part in inspected for t in _strings_in(part)):
            if _beyond_formula(text):
                return Declined(
                    reason=f"the example value {text!r} calls code: it is more than a formula"
                )
        for space in spaces:
            why = self._namespace_code(ctx, node, space)
            if why is not None:
                return Declined(reason=why)
        new = node.with_changes(func=cst.Name(_FORMULA))
        return self._formula_edit(ctx, {node: new}, "Evaluate the formula over the given names")

    def _namespace_code(
        self, ctx: FixContext, at: cst.CSTNode, space: cst.BaseExpression
    ) -> str | None:
        """Why the namespace hands the expression code to call (functions, modules), or None."""
        if isinstance(space, cst.Name):
            assign = single_assignment(ctx, at, space.value)
            if assign is not None:
                space = assign.value
        values: list[cst.BaseExpression] = []
        if isinstance(space, cst.Dict):
            for el in space.elements:
                values.append(el.value)
        elif isinstance(space, cst.Call):
            qn = ctx.qualified_names(space.func)
            if qn & {"builtins.globals", "builtins.locals", "builtins.vars"}:
                return "the expression sees the module's functions and imports"
            if "builtins.dict" in qn:
                values.extend(a.value for a in space.args if a.keyword is not None)
        imported = _imported_names(ctx.module)
        defined = _defined_callables(ctx.module)
        for value in values:
            if isinstance(value, cst.Call):
                why = self._namespace_code(ctx, at, value)
                if why is not None:
                    return why
                continue
            root = dotted(value).split(".")[0]
            builtin = (
                isinstance(value, cst.Name)
                and value.value not in {"None", "True", "False"}
                and any(q.startswith("builtins.") for q in ctx.qualified_names(value))
            )
            if (
                isinstance(value, cst.Lambda)
                or root in imported
                or root in defined
                or root.startswith("__")
                or builtin
            ):
                return f"the namespace passes `{ctx.code(value)}`, code for the expression to call"
        return None

    def _stable(
        self,
        ctx: FixContext,
        node: cst.Call,
        values: list[cst.BaseExpression],
        before: cst.CSTNode,
    ) -> bool:
        """Whether the values are names that keep the value they had at ``before`` until
        ``node`` and after it (a lambda reads them when it is called)."""
        if not all(isinstance(v, cst.Name) for v in values):
            return False
        fn = ctx.enclosing(node, cst.FunctionDef)
        scope: cst.CSTNode = fn if fn is not None else ctx.module
        limit = ctx.position(before).start.line
        for anc in ctx.ancestors(node):
            if anc is scope:
                break
            if isinstance(anc, cst.For | cst.While | cst.CompFor):
                limit = min(limit, ctx.position(anc).start.line)
        bound = _bound_lines(scope, ctx)
        return all(
            line < limit
            for v in values
            if isinstance(v, cst.Name)
            for line in bound.get(v.value, [])
        )

    def _from_template(
        self,
        ctx: FixContext,
        node: cst.Call,
        arg: cst.BaseExpression,
        target: cst.BaseExpression,
        template: Template,
    ) -> Edit | Declined | None:
        """``eval`` of code written around values: a lambda whose body is the value (a formula
        over the lambda's parameters), or code in which each value is a whole string literal
        (the code itself is then written out, with the value in place of the literal)."""
        marked = _markers(template)
        if marked is None:
            return None
        for val in template.values:
            why = why_safe(ctx, node, val.expr)
            if why is not None:
                return Declined(reason=why)
        code, markers = marked
        try:
            tree = ast.parse(code.strip(), mode="eval")
        except (SyntaxError, ValueError):
            return None
        values = [v.expr for v in template.values]
        before = ctx.statement_of(target) if target is not arg else node
        if before is None:
            return None
        value_names = set().union(*(names_in(v) for v in values))
        body = tree.body
        if (
            isinstance(body, ast.Lambda)
            and isinstance(body.body, ast.Name)
            and markers == [body.body.id]
            and not body.args.defaults
            and not any(d is not None for d in body.args.kw_defaults)
        ):
            a = body.args
            params = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
            params += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
            if value_names & set(params) or not self._stable(ctx, node, values, before):
                return None
            mapping = ", ".join(f"{quote_text(p)}: {p}" for p in params)
            text = (
                f"lambda {ast.unparse(a)}: {_FORMULA}({ctx.code(values[0])}, None, {{{mapping}}})"
            )
            new: cst.BaseExpression = cst.parse_expression(text.replace("lambda :", "lambda:"))
            return self._formula_edit(
                ctx,
                {node: _parenthesised(ctx, node, new)},
                "Build the function from the formula",
            )
        # Each value must be exactly one string literal of the code.
        slots = [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and any(m in n.value for m in markers)
        ]
        if sorted(slots) != sorted(markers):
            return None
        if any(isinstance(n, ast.Name) and n.id in markers for n in ast.walk(tree)):
            return None
        code_names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        code_names |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
        if value_names & code_names:
            return None
        lazy = any(
            isinstance(n, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp)
            for n in ast.walk(tree)
        )
        if (lazy or target is not arg) and not self._stable(ctx, node, values, before):
            return None
        try:
            written = cst.parse_expression(code.strip())
        except cst.ParserSyntaxError:
            try:
                written = cst.parse_expression(f"({code.strip()})")
            except cst.ParserSyntaxError:
                return None
        by_marker = dict(zip(markers, values, strict=True))
        as_is = template.kind == "concat"  # `+` only joins strings: the value is one already

        class Fill(cst.CSTTransformer):
            def leave_SimpleString(
                self, original: cst.SimpleString, updated: cst.SimpleString
            ) -> cst.BaseExpression:
                value = original.evaluated_value
                if isinstance(value, str) and value in by_marker:
                    expr = by_marker[value]
                    return expr if as_is else cst.Call(cst.Name("str"), [cst.Arg(expr)])
                return updated

        filled = written.visit(Fill())
        assert isinstance(filled, cst.BaseExpression)
        rendered = cst.Module(body=[]).code_for_node(filled)
        if any(m in rendered for m in markers):
            return None
        return Edit(
            replacements={node: _parenthesised(ctx, node, filled)},
            description=(
                "Write the evaluated code out, with the value as the string it was quoted as,"
                " instead of building the code from it and running it with `eval`."
            ),
            risk=RiskClass.LOW,
            risk_reason=(
                "a value that stayed inside its quotes gives the same result; one that broke"
                " out of them (quotes, backslashes) is now only a string"
            ),
        )

    def _exec_assignment(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``exec(f"name = {formula}", scope)``: the assignment of a computed value."""
        pos = positional(node)
        if len(pos) != len(node.args) or len(pos) not in (2, 3):
            return None
        spaces = [p.value for p in pos[1:]]
        if not all(isinstance(s, cst.Name) for s in spaces):
            return None
        statement = ctx.parent(node)
        if not isinstance(statement, cst.Expr) or statement.value is not node:
            return None
        arg = pos[0].value
        found = built_from_input(ctx, node, arg)
        if found is None or isinstance(found, Declined):
            return found
        target, template = found
        marked = _markers(template)
        if marked is None or len(marked[1]) != 1:
            return None
        code, (marker,) = marked
        try:
            tree = ast.parse(code.strip())
        except (SyntaxError, ValueError):
            return None
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
            return None
        assign = tree.body[0]
        if (
            len(assign.targets) != 1
            or not isinstance(assign.targets[0], ast.Name)
            or assign.targets[0].id.startswith("__")
            or not isinstance(assign.value, ast.Name)
            or assign.value.id != marker
        ):
            return None
        value = template.values[0].expr
        why = why_safe(ctx, node, value) or why_safe(ctx, node, _stored(ctx, node, value))
        if why is not None:
            return Declined(reason=why)
        if target is not arg:
            before = ctx.statement_of(target)
            if before is None or not self._stable(ctx, node, [value], before):
                return None
        for space in spaces:
            why = self._namespace_code(ctx, node, space)
            if why is not None:
                return Declined(reason=why)
        store = spaces[-1]
        new = cst.Assign(
            targets=[
                cst.AssignTarget(
                    cst.Subscript(
                        value=store,
                        slice=[cst.SubscriptElement(cst.Index(string_node(assign.targets[0].id)))],
                    )
                )
            ],
            value=cst.Call(
                func=cst.Name(_FORMULA),
                args=[cst.Arg(value), *(cst.Arg(s) for s in spaces)],
            ),
        )
        return self._formula_edit(
            ctx, {statement: new}, f"Compute `{assign.targets[0].id}` from the formula"
        )

    def _compiled_formula(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``compile(formula, "<formula>", "eval")``: only formula text (no calls, attributes
        or indexing) may be compiled; None when nothing says the source is a formula."""
        pos = positional(node)
        if has_star_args(node) or not pos:
            return None
        mode = pos[2].value if len(pos) > 2 else None
        if mode is None:
            mode_arg = keyword(node, "mode")
            mode = mode_arg.value if mode_arg is not None else None
        if not (isinstance(mode, cst.SimpleString) and mode.evaluated_value == "eval"):
            return None
        source = pos[0].value
        if not isinstance(source, cst.Name):
            return None
        constant = why_safe(ctx, node, source)
        if constant is not None:
            return Declined(reason=constant)
        fn = ctx.enclosing(node, cst.FunctionDef)
        if _CODE_NAMES.search(source.value):
            return None  # (the compiled result is a code object, whatever its name)
        hints = [source.value, *(_strings_in(pos[1]) if len(pos) > 1 else [])]
        if fn is not None:
            hints.append(fn.name.value)
        if not any(_FORMULA_HINTS.search(h) for h in hints):
            return None
        stmt = ctx.statement_of(node)
        block = ctx.parent(stmt) if stmt is not None else None
        if stmt is None or not isinstance(block, cst.IndentedBlock | cst.Module):
            return None
        guard = cst.parse_statement(
            f"if not {_FORMULA_TEXT}.fullmatch({source.value}):\n"
            f"    raise ValueError({quote_text(f'{source.value} is not a formula')})\n"
        )
        if _other_definition(ctx, _FORMULA_TEXT, _FORMULA_TEXT_CODE):
            return Declined(reason=f"the module defines its own `{_FORMULA_TEXT}`")
        siblings = list(block.body)
        done = cst.Module(body=[guard]).code.strip()
        if any(ctx.code(b).strip() == done for b in siblings[: siblings.index(stmt)]):
            return None
        return Edit(
            replacements={stmt: cst.FlattenSentinel([guard, stmt])},
            imports=(Import(module="re"),),
            helpers={_FORMULA_TEXT: _FORMULA_TEXT_CODE},
            description=(
                f"Compile `{source.value}` only when it is formula text (names, numbers, quoted"
                " strings, operators and parentheses; no calls, attribute access or indexing),"
                f" checked with `{_FORMULA_TEXT}.fullmatch`; anything else raises ValueError."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=(
                "formulas of names, numbers, strings and operators compile as before;"
                " formulas that call functions or read attributes now raise ValueError"
            ),
        )
