"""CWE-798: a secret literal in the code -> read from the environment, failing clearly."""

from __future__ import annotations

import re

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import CodemodFixer, Edit, FixContext, Import, quote_text
from mamori.fix.interface import FixerInfo

_HELPER = "_require_env"
_HELPER_CODE = '''def _require_env(name: str) -> str:
    """A secret from the environment; the deployment must provide it (no default in code)."""
    try:
        return os.environ[name]
    except KeyError:
        raise RuntimeError(f"set the environment variable {name}") from None
'''
_ENV_NAME = re.compile(r"[^A-Za-z0-9_]+")


def _env_name(name: str) -> str:
    return _ENV_NAME.sub("_", name).strip("_").upper()


def _literal(expr: cst.BaseExpression) -> bool:
    """A non-empty constant string (no interpolation)."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return bool(value)
    if isinstance(expr, cst.ConcatenatedString):
        return _literal(expr.left) and _literal(expr.right)
    return False


def _replacement(name: str) -> cst.Call:
    return cst.Call(
        func=cst.Name(_HELPER), args=[cst.Arg(cst.SimpleString(quote_text(_env_name(name))))]
    )


class HardcodedSecretFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/hardcoded-secret"),
        title="Read secrets from the environment",
        cwes=(798, 259, 321),
        risk=RiskClass.MEDIUM,
        risk_reason=(
            "every deployment (and the test set-up) must now provide the environment variable;"
            " where it is missing the code raises a clear RuntimeError instead of running with"
            " a secret everyone who can read the code knows. Rotate the leaked value."
        ),
        description=(
            'Replaces a secret literal assigned to a name (`API_KEY = "..."`), a mapping key'
            ' (`app.config["SECRET_KEY"] = "..."`) or passed as a keyword argument'
            ' (`connect(password="...")`) with `_require_env("NAME")`, a small helper that'
            ' reads `os.environ["NAME"]` and raises `RuntimeError("set the environment'
            ' variable NAME")` when it is missing. The old value is compromised: rotate it.'
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | None:
        for node in ctx.nodes_at_line(cst.CSTNode):  # type: ignore[type-abstract]
            name = self._name_of(node)
            if name is None:
                continue
            value = node.value  # type: ignore[attr-defined]
            if not _literal(value):
                continue
            env = _env_name(name)
            if not env:
                continue
            return Edit(
                replacements={value: _replacement(name)},
                imports=(Import(module="os"),),
                helpers={_HELPER: _HELPER_CODE},
                description=(
                    f"Read `{name}` from the environment variable `{env}` instead of the code;"
                    " rotate the old value, it is compromised."
                ),
            )
        return None

    @staticmethod
    def _name_of(node: cst.CSTNode) -> str | None:
        """The name a secret literal is bound to, for assignments and keyword arguments."""
        target: cst.BaseExpression | None = None
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            target = node.target
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            return node.keyword.value
        elif isinstance(node, cst.DictElement) and isinstance(node.key, cst.SimpleString):
            key = node.key.evaluated_value
            return key if isinstance(key, str) else None
        if isinstance(target, cst.Name):
            return target.value
        if isinstance(target, cst.Attribute):
            return target.attr.value
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            idx = target.slice[0].slice
            if isinstance(idx, cst.Index) and isinstance(idx.value, cst.SimpleString):
                key = idx.value.evaluated_value
                return key if isinstance(key, str) else None
        return None
