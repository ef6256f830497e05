"""CWE-502: ``pickle.loads`` of untrusted data -> ``json.loads`` where the data is JSON-shaped."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    positional,
)
from mamori.fix.codemods._safety import why_safe
from mamori.fix.interface import Declined, FixerInfo

_LOADS = {"pickle.loads", "cPickle.loads", "_pickle.loads"}
_LOAD = {"pickle.load", "cPickle.load", "_pickle.load"}
_DUMPS = {"pickle.dumps", "cPickle.dumps", "_pickle.dumps"}
_OTHER = {
    "dill.loads": "dill",
    "dill.load": "dill",
    "marshal.loads": "marshal",
    "marshal.load": "marshal",
    "shelve.open": "shelve",
    "jsonpickle.decode": "jsonpickle",
    "pandas.read_pickle": "pandas.read_pickle",
    "torch.load": "torch.load",
    "joblib.load": "joblib",
    "cloudpickle.loads": "cloudpickle",
    "cloudpickle.load": "cloudpickle",
}
# What may be done with the loaded value for it still to be plain JSON data.
_JSON_METHODS = {"get", "keys", "values", "items", "copy", "index", "count", "__contains__"}
_JSON_CALLS = {"len", "list", "dict", "sorted", "str", "int", "float", "bool", "set", "tuple"}


def _uses_are_json_shaped(ctx: FixContext, call: cst.Call) -> str | None:
    """None when the unpickled value is only used as JSON data; else why not."""
    parent = ctx.parent(call)
    if isinstance(parent, cst.Arg | cst.Return | cst.Subscript):
        return None
    if isinstance(parent, cst.Attribute):
        return None if parent.attr.value in _JSON_METHODS else f"`.{parent.attr.value}` is used"
    if not (isinstance(parent, cst.Assign) and len(parent.targets) == 1):
        return "the loaded value is used in a way that needs a Python object"
    target = parent.targets[0].target
    if not isinstance(target, cst.Name):
        return "the loaded value is unpacked"
    fn = ctx.enclosing(call, cst.FunctionDef)
    scope: cst.CSTNode = fn if fn is not None else ctx.module
    var = target.value
    problems: list[str] = []

    class V(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if (
                isinstance(node.value, cst.Name)
                and node.value.value == var
                and node.attr.value not in _JSON_METHODS
            ):
                problems.append(f"`{var}.{node.attr.value}` needs a Python object")

    scope.visit(V())
    return problems[0] if problems else None


class PickleToJsonFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/pickle-to-json"),
        title="Deserialise untrusted data as JSON instead of pickle",
        cwes=(502,),
        risk=RiskClass.HIGH,
        risk_reason=(
            "the stored or transmitted format changes from pickle to JSON: data written before"
            " the fix (cookies, files, queue messages) no longer loads and needs a migration or"
            " a re-issue; only JSON types (dict, list, str, numbers, bool, None) round-trip"
        ),
        description=(
            "Replaces `pickle.loads(data)` with `json.loads(data)` when the loaded value is only"
            " used as JSON data (subscripts, `.get/.keys/.items/.values`, `len`, passed on),"
            " and turns `pickle.dumps(x)` in the same module into `json.dumps(x).encode()` so"
            " that the writer and the reader agree. Declines (for review) `pickle.load` of a"
            " file, values used as objects (attributes, methods), `pickle.dump` to a file in"
            " the module, other unsafe loaders (dill, marshal, shelve, torch, joblib), and data"
            " that cannot come from outside (a constant, an allow-listed value, dead code)."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            other = next((_OTHER[n] for n in names if n in _OTHER), None)
            if other is not None:
                return Declined(reason=f"{other} has no drop-in safe format; needs a redesign")
            if names & _LOAD:
                return Declined(reason="pickle.load of a file: the file format must change too")
            if names & _LOADS:
                pos = positional(node)
                why = why_safe(ctx, node, pos[0].value if pos else None)
                if why is not None:
                    return Declined(reason=why)
                return self._loads(ctx, node)
        return None

    def _loads(self, ctx: FixContext, node: cst.Call) -> Edit | Declined:
        if len(node.args) != 1 or len(positional(node)) != 1:
            return Declined(reason="pickle.loads with options (encoding, fix_imports)")
        why = _uses_are_json_shaped(ctx, node)
        if why is not None:
            return Declined(reason=f"the data is not JSON-shaped: {why}")
        replacements: dict[cst.CSTNode, cst.CSTNode] = {
            node: node.with_changes(func=cst.parse_expression("json.loads"))
        }
        problem: list[str] = []

        class Writers(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                qn = ctx.qualified_names(call.func)
                if qn & {"pickle.dump", "cPickle.dump", "_pickle.dump"}:
                    problem.append("the module also pickles to a file")
                elif qn & _DUMPS:
                    if len(call.args) != 1 or len(positional(call)) != 1:
                        problem.append("pickle.dumps with a protocol or options")
                        return
                    dumped = call.with_changes(func=cst.parse_expression("json.dumps"))
                    replacements[call] = cst.Call(
                        func=cst.Attribute(value=dumped, attr=cst.Name("encode")),
                        lpar=call.lpar,
                        rpar=call.rpar,
                    )

        ctx.module.visit(Writers())
        if problem:
            return Declined(reason=problem[0])
        return Edit(
            replacements=replacements,
            imports=(Import(module="json"),),
            description=(
                "Decode the data with `json.loads`, which builds only plain values and cannot"
                " run code, instead of `pickle.loads`"
                + (
                    " (and encode it with `json.dumps` where this module writes it)."
                    if len(replacements) > 1
                    else "."
                )
            ),
        )
