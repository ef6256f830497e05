"""CWE-502: ``yaml.load(x, Loader=yaml.Loader)`` -> ``yaml.safe_load(x)``."""

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
    remove_args,
)
from mamori.fix.codemods._safety import why_safe
from mamori.fix.interface import Declined, FixerInfo

# yaml functions that construct arbitrary Python objects -> their safe counterpart.
_UNSAFE = {
    "yaml.load": "safe_load",
    "yaml.load_all": "safe_load_all",
    "yaml.unsafe_load": "safe_load",
    "yaml.unsafe_load_all": "safe_load_all",
    "yaml.full_load": "safe_load",
    "yaml.full_load_all": "safe_load_all",
}
_UNSAFE_LOADERS = {
    f"yaml.{n}"
    for n in ("Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader")
}
_SAFE_LOADERS = {"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader"}


class YamlSafeLoadFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/yaml-safe-load"),
        title="Load YAML with the safe loader",
        cwes=(502,),
        # Bandit files `yaml.load` (B506) under CWE-20.
        rule_ids=("bandit:B506",),
        risk=RiskClass.LOW,
        risk_reason=(
            "documents made of plain YAML types (mappings, lists, strings, numbers, dates) load"
            " the same; only Python-object tags, which no legitimate input should carry, are"
            " rejected"
        ),
        description=(
            "Replaces `yaml.load(data, Loader=yaml.Loader)` (also `UnsafeLoader`, `FullLoader`,"
            " no Loader, `yaml.unsafe_load`, `yaml.full_load` and the `_all` variants) with"
            " `yaml.safe_load(data)`, which builds only plain Python types and cannot be made"
            " to instantiate arbitrary objects or run code."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func) & _UNSAFE.keys()
            if not names:
                continue
            pos = positional(node)
            why = why_safe(ctx, node, pos[0].value if pos else None)
            if why is not None:
                return Declined(reason=why)
            return self._rewrite(ctx, node, next(iter(names)))
        return None

    def _rewrite(self, ctx: FixContext, node: cst.Call, qname: str) -> Edit | None:
        loader = keyword(node, "Loader")
        pos = positional(node)
        if loader is None and len(pos) > 1:
            loader = pos[1]
        if loader is not None:
            lnames = ctx.qualified_names(loader.value)
            if lnames & _SAFE_LOADERS or not lnames & _UNSAFE_LOADERS:
                return None  # already safe, or a custom loader we cannot judge
        if len(pos) > 2 or any(a.keyword and a.keyword.value != "Loader" for a in node.args):
            return None
        safe = _UNSAFE[qname]
        imports: tuple[Import, ...] = ()
        if isinstance(node.func, cst.Attribute):
            func: cst.BaseExpression = node.func.with_changes(attr=cst.Name(safe))
        else:
            func = cst.Attribute(value=cst.Name("yaml"), attr=cst.Name(safe))
            imports = (Import(module="yaml"),)
        new = remove_args(node, lambda a: a is loader).with_changes(func=func)
        return Edit(
            replacements={node: new},
            imports=imports,
            description=f"Load YAML with `yaml.{safe}` instead of `{qname}` with an unsafe loader.",
        )
