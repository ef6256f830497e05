"""CWE-611: XML parsed with external entities -> a parser that resolves none and stays offline."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    append_args,
    calls_in,
    function_params,
    keyword,
    names_in,
    positional,
    single_assignment,
)
from mamori.fix.codemods._safety import why_safe
from mamori.fix.interface import Declined, FixerInfo

_LXML_SINKS = {
    "lxml.etree.fromstring",
    "lxml.etree.XML",
    "lxml.etree.parse",
    "lxml.etree.iterparse",
    "lxml.objectify.fromstring",
    "lxml.objectify.XML",
    "lxml.objectify.parse",
}
_LXML_PARSERS = {"lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.objectify.makeparser"}
# XMLParser flags that let a document pull in entities, DTDs or unbounded trees.
_DANGEROUS_TRUE = ("resolve_entities", "load_dtd", "huge_tree")
_SAX_FEATURES = {
    "xml.sax.handler.feature_external_ges",
    "xml.sax.handler.feature_external_pes",
}
_SAX_METHODS = {"parse", "feed", "parseString"}
# Standard-library parsers with a drop-in defusedxml counterpart.
_DEFUSED = {
    "xml.dom.pulldom.parse": "defusedxml.pulldom",
    "xml.dom.pulldom.parseString": "defusedxml.pulldom",
    "xml.dom.minidom.parse": "defusedxml.minidom",
    "xml.dom.minidom.parseString": "defusedxml.minidom",
    "xml.sax.parse": "defusedxml.sax",
    "xml.sax.parseString": "defusedxml.sax",
    "xml.etree.ElementTree.parse": "defusedxml.ElementTree",
    "xml.etree.ElementTree.fromstring": "defusedxml.ElementTree",
    "xml.etree.ElementTree.iterparse": "defusedxml.ElementTree",
    "xml.etree.ElementTree.XML": "defusedxml.ElementTree",
}


def _bound_in_function(ctx: FixContext, node: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` is a local of the function around ``node`` (assigned or a parameter),
    or declared global there."""
    fn = ctx.enclosing(node, cst.FunctionDef)
    if fn is None:
        return True
    if name in function_params(fn):
        return True
    found = False

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, n: cst.AssignTarget) -> None:
            nonlocal found
            found = found or name in names_in(n.target)

        def visit_Global(self, n: cst.Global) -> None:
            nonlocal found
            found = found or any(g.name.value == name for g in n.names)

        def visit_AugAssign(self, n: cst.AugAssign) -> None:
            nonlocal found
            found = found or name in names_in(n.target)

        def visit_AnnAssign(self, n: cst.AnnAssign) -> None:
            nonlocal found
            found = found or name in names_in(n.target)

        def visit_For(self, n: cst.For) -> None:
            nonlocal found
            found = found or name in names_in(n.target)

        def visit_AsName(self, n: cst.AsName) -> None:
            nonlocal found
            found = found or name in names_in(n.name)

    fn.visit(V())
    return found


def _module_value(module: cst.Module, name: str) -> cst.BaseExpression | None:
    """The value of the one module-level assignment of ``name`` that nothing rebinds (no
    other assignment at any level, no ``global`` declaration)."""
    values: list[cst.BaseExpression] = []
    other = False

    class V(cst.CSTVisitor):
        def visit_Assign(self, n: cst.Assign) -> None:
            nonlocal other
            for t in n.targets:
                if isinstance(t.target, cst.Name) and t.target.value == name:
                    values.append(n.value)
                elif name in names_in(t.target):
                    other = True

        def visit_AugAssign(self, n: cst.AugAssign) -> None:
            nonlocal other
            other = other or name in names_in(n.target)

        def visit_Global(self, n: cst.Global) -> None:
            nonlocal other
            other = other or any(g.name.value == name for g in n.names)

    module.visit(V())
    top = [
        small.value
        for stmt in module.body
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value == name
    ]
    if other or len(values) != 1 or len(top) != 1 or top[0] is not values[0]:
        return None
    return top[0]


def _returned_by(module: cst.Module, name: str) -> list[cst.BaseExpression]:
    """What the module-level function ``name`` returns (every return), or [] when it is not
    such a function or a return has no value."""
    fns = [s for s in module.body if isinstance(s, cst.FunctionDef) and s.name.value == name]
    if len(fns) != 1:
        return []
    returns: list[cst.Return] = []

    class V(cst.CSTVisitor):
        def visit_Return(self, n: cst.Return) -> None:
            returns.append(n)

        def visit_FunctionDef(self, n: cst.FunctionDef) -> bool:
            return n is fns[0]  # returns of nested functions are theirs

        def visit_Lambda(self, n: cst.Lambda) -> bool:
            return False

    fns[0].visit(V())
    if not returns or any(r.value is None for r in returns):
        return []
    return [r.value for r in returns if r.value is not None]


def _kw(name: str, value: str) -> cst.Arg:
    return cst.Arg(
        cst.Name(value),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def harden_parser_call(node: cst.Call) -> cst.Call:
    """``XMLParser(...)`` with ``resolve_entities=False, no_network=True`` and the other
    entity-enabling flags turned off; every other argument is kept."""
    args: list[cst.Arg] = []
    for a in node.args:
        name = a.keyword.value if a.keyword is not None else None
        if name in _DANGEROUS_TRUE or name == "no_network":
            value = "True" if name == "no_network" else "False"
            args.append(a.with_changes(value=cst.Name(value)))
        else:
            args.append(a)
    new = node.with_changes(args=args)
    missing = [
        _kw(n, v)
        for n, v in (("resolve_entities", "False"), ("no_network", "True"))
        if keyword(node, n) is None
    ]
    return append_args(new, missing)


class XmlParserHardenFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/xml-parser-harden"),
        title="Parse XML without external entities or network access",
        cwes=(611,),
        # Bandit files its XML parser calls (B313-B320) under CWE-20.
        rule_ids=tuple(f"bandit:B{n}" for n in range(313, 321)),
        risk=RiskClass.LOW,
        risk_reason=(
            "documents without DTD entities parse to the same tree; only entity expansion and"
            " network fetches, which untrusted XML must not trigger, stop working"
        ),
        description=(
            "For lxml, sets `resolve_entities=False, no_network=True` (and turns off `load_dtd`"
            " and `huge_tree`) on the `etree.XMLParser(...)` that the flagged"
            " `fromstring/XML/parse/iterparse` (or `objectify.makeparser(...)` for"
            " `objectify.fromstring/XML/parse`) uses, whether it is passed inline, assigned to"
            " a variable in the same function, assigned once at module level or returned by a"
            " function of the module; a call without a parser gets one. For `xml.sax`,"
            " turns `parser.setFeature(feature_external_ges/pes, True)` into `False` for the"
            " parser the flagged `parse/feed` call uses. Standard-library `pulldom`, `minidom`,"
            " `sax.parse` and `ElementTree` parse functions become their `defusedxml`"
            " counterparts (which adds that dependency: medium risk). Declines when the parser"
            " comes from elsewhere (a parameter, another module)."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if names & (_LXML_SINKS | _DEFUSED.keys()):
                pos = positional(node)
                why = why_safe(ctx, node, pos[0].value if pos else None)
                if why is not None:
                    return Declined(reason=why)
            if names & _LXML_SINKS:
                return self._lxml(ctx, node)
            defused = next((n for n in sorted(names) if n in _DEFUSED), None)
            if defused is not None:
                if ctx.finding.cwe != 611:
                    # Bandit flags every standard-library parse (B313-B319, CWE-20); without
                    # a traced flow there is nothing beyond the library's own defaults.
                    return Declined(
                        reason="the standard-library parser resolves no external entities"
                        " (Python 3.7.1+) and expat 2.4.1+ limits entity expansion: already"
                        " safe by default"
                    )
                return self._defused(node, defused)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _SAX_METHODS:
                result = self._sax(ctx, node)
                if result is not None:
                    return result
            if "xml.sax.make_parser" in names:
                return self._make_parser(ctx, node)
        return None

    def _make_parser(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``parser = xml.sax.make_parser()`` (where Bandit reports): harden what the function
        turns on for that parser; without such a feature the parser is already safe."""
        assign = ctx.parent(node)
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
        ):
            return None
        name = assign.targets[0].target.value
        fn = ctx.enclosing(node, cst.FunctionDef)
        docs = [
            c
            for c in calls_in(fn if fn is not None else ctx.module)
            if isinstance(c.func, cst.Attribute)
            and c.func.attr.value in _SAX_METHODS
            and isinstance(c.func.value, cst.Name)
            and c.func.value.value == name
            and positional(c)
        ]
        reasons = [why_safe(ctx, c, positional(c)[0].value) for c in docs]
        if docs and all(reasons):
            return Declined(reason=f"the parsed document is not input: {reasons[0]}")
        edit = self._sax_features(ctx, node, name)
        if edit is None:
            return Declined(
                reason="the SAX parser does not turn on external entities (off by default"
                " since Python 3.7.1): already safe"
            )
        # defusedxml's parser also refuses entity declarations (billion laughs) outright.
        replacements = dict(edit.replacements)
        replacements[node] = node.with_changes(
            func=cst.parse_expression("defusedxml.sax.make_parser")
        )
        return Edit(
            replacements=replacements,
            imports=(Import(module="defusedxml.sax"),),
            description=(
                "Make the SAX parser with `defusedxml.sax.make_parser` (which refuses entity"
                " declarations and external references) and turn external entities off"
                " (`setFeature(feature_external_ges/pes, False)`)."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason="adds the `defusedxml` package to the project's dependencies",
        )

    def _lxml(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        pos = positional(node)
        parser_arg = pos[1] if len(pos) > 1 else keyword(node, "parser")
        desc = (
            "Parse with an lxml parser that resolves no entities and makes no network access"
            " (`resolve_entities=False, no_network=True`)."
        )
        if parser_arg is None:
            # lxml's default parser resolves internal entities; give the call a hardened one.
            if any(a.star for a in node.args) or len(pos) != 1:
                return None
            func = ctx.code(node.func).rsplit(".", 1)[0]
            if not isinstance(node.func, cst.Attribute):
                return Declined(reason="cannot name etree.XMLParser here (imported by name)")
            # objectify looks its element classes up through its own parser.
            objectify = any(n.startswith("lxml.objectify.") for n in ctx.qualified_names(node.func))
            make = "makeparser" if objectify else "XMLParser"
            parser = cst.parse_expression(f"{func}.{make}(resolve_entities=False, no_network=True)")
            return Edit(
                replacements={
                    node: append_args(
                        node,
                        [
                            cst.Arg(
                                parser,
                                keyword=cst.Name("parser"),
                                equal=cst.AssignEqual(
                                    whitespace_before=cst.SimpleWhitespace(""),
                                    whitespace_after=cst.SimpleWhitespace(""),
                                ),
                            )
                        ],
                    )
                },
                description=desc,
            )
        value = parser_arg.value
        if isinstance(value, cst.Call) and ctx.qualified_names(value.func) & _LXML_PARSERS:
            return Edit(replacements={value: harden_parser_call(value)}, description=desc)
        built: cst.BaseExpression | None = value
        if isinstance(value, cst.Name):
            assign = single_assignment(ctx, node, value.value)
            if assign is None and not _bound_in_function(ctx, node, value.value):
                # A parser made once for the module (`_PARSER = etree.XMLParser(...)`).
                built = _module_value(ctx.module, value.value)
                if built is None:
                    return Declined(reason=f"the parser `{value.value}` is assigned more than once")
                desc += " The parser is the module's: every use of it is hardened."
            elif assign is None:
                return Declined(reason=f"the parser `{value.value}` is assigned more than once")
            else:
                built = assign.value
        makers: list[cst.BaseExpression] = [built] if isinstance(built, cst.Call) else []
        if (
            isinstance(built, cst.Call)
            and isinstance(built.func, cst.Name)
            and not built.args
            and not ctx.qualified_names(built.func) & _LXML_PARSERS
        ):
            # A parser made by a function of this module (`make_parser()`): what it returns.
            makers = _returned_by(ctx.module, built.func.value)
            desc += " The parser is made by a function of the module: it is hardened there."
        if makers and all(
            isinstance(m, cst.Call) and ctx.qualified_names(m.func) & _LXML_PARSERS for m in makers
        ):
            replacements: dict[cst.CSTNode, cst.CSTNode] = {}
            for m in makers:
                assert isinstance(m, cst.Call)
                hardened = harden_parser_call(m)
                if not hardened.deep_equals(m):
                    replacements[m] = hardened
            if not replacements:
                return None
            return Edit(replacements=replacements, description=desc)
        return Declined(reason="the parser is not built by etree.XMLParser in this function")

    def _defused(self, node: cst.Call, qname: str) -> Edit:
        module = _DEFUSED[qname]
        func = cst.parse_expression(f"{module}.{qname.rsplit('.', 1)[1]}")
        return Edit(
            replacements={node: node.with_changes(func=func)},
            imports=(Import(module=module),),
            description=(
                f"Parse with `{module}`, the drop-in replacement for `{qname}` that refuses"
                " entity expansion, external entities and DTD retrieval."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason="adds the `defusedxml` package to the project's dependencies",
        )

    def _sax(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        assert isinstance(node.func, cst.Attribute)
        receiver = node.func.value
        if not isinstance(receiver, cst.Name):
            return None
        return self._sax_features(ctx, node, receiver.value)

    def _sax_features(self, ctx: FixContext, node: cst.Call, recv_name: str) -> Edit | None:
        fn = ctx.enclosing(node, cst.FunctionDef)
        scope: cst.CSTNode = fn if fn is not None else ctx.module
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}

        class V(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                f = call.func
                if not (
                    isinstance(f, cst.Attribute)
                    and f.attr.value == "setFeature"
                    and isinstance(f.value, cst.Name)
                    and f.value.value == recv_name
                ):
                    return
                pos = positional(call)
                if len(pos) != 2 or not ctx.qualified_names(pos[0].value) & _SAX_FEATURES:
                    return
                flag = pos[1].value
                if isinstance(flag, cst.Name) and flag.value == "False":
                    return
                replacements[flag] = cst.Name("False")

        scope.visit(V())
        if not replacements:
            return None
        return Edit(
            replacements=replacements,
            description=(
                "Turn off external general and parameter entities on the SAX parser"
                " (`setFeature(feature_external_ges/pes, False)`)."
            ),
        )
