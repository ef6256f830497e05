"""CWE-798: a secret literal in the code -> read from the environment, failing clearly."""

from __future__ import annotations

import re

import libcst as cst

from mamori.cstutil import storage_name
from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    dotted,
    quote_text,
)
from mamori.fix.codemods._base import (
    positional as positional_args,
)
from mamori.fix.interface import Declined, FixerInfo
from mamori.scan.taint.context import secret_argument

_HELPER = "_require_env"
_HELPER_CODE = '''def _require_env(name: str) -> str:
    """A secret from the environment; the deployment must provide it (no default in code)."""
    try:
        return os.environ[name]
    except KeyError:
        raise RuntimeError(f"set the environment variable {name}") from None
'''
_ENV_NAME = re.compile(r"[^A-Za-z0-9_]+")
# Names whose value is a credential ...
_SECRET_NAME = re.compile(
    r"passw|pwd|secret|token|key|credential|auth|private|salt|signature|dsn|cert|session",
    re.IGNORECASE,
)
# A URL with a password in it (`postgresql://user:password@host/db`), whatever its name.
_CREDENTIAL_URL = re.compile(r"://[^/@\s:]+:[^/@\s]+@")
# ... unless they name something about it (a header, a field, a length) rather than the value.
_LABEL_NAME = re.compile(
    r"(^|_)(header|name|field|param|label|prefix|suffix|url|uri|path|file|dir|env|var|type"
    r"|length|len|min|max|format|pattern|regex|id|column|attr|attribute|cookie)s?$",
    re.IGNORECASE,
)


# The environment variable for a credential passed by position (the detection rule's
# ``POSITIONAL_SECRETS``): by the call's dotted name or its last part.
_POSITIONAL_ENV = {
    "jwt.encode": "JWT_SECRET_KEY",
    "jwt.decode": "JWT_SECRET_KEY",
    "hmac.new": "HMAC_KEY",
    "hmac.HMAC": "HMAC_KEY",
    "Fernet": "FERNET_KEY",
    "URLSafeTimedSerializer": "SIGNING_SECRET_KEY",
    "URLSafeSerializer": "SIGNING_SECRET_KEY",
    "TimedJSONWebSignatureSerializer": "SIGNING_SECRET_KEY",
    "simple_bind_s": "LDAP_BIND_PASSWORD",
    "bind_s": "LDAP_BIND_PASSWORD",
}


def _password_env(user: cst.BaseExpression | None, default: str) -> str:
    """``METRICS_READER_PASSWORD`` for the literal user ``metrics-reader``, else ``default``."""
    text = _text(user) if user is not None else None
    env = _env_name(text) if isinstance(text, str) else ""
    return f"{env}_PASSWORD" if env and len(env) <= 40 and env[0].isalpha() else default


def _positional_secret(call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    """The credential literal a call takes by position or in ``auth=(user, password)``, and
    the environment variable to read it from."""
    func = call.func
    # ``ldap.initialize(url).simple_bind_s(...)``: a method of a computed object.
    called = dotted(func) or (func.attr.value if isinstance(func, cst.Attribute) else "")
    positional = positional_args(call)
    index = secret_argument(called, len(positional)) if called else None
    if index is not None and _literal(positional[index].value):
        tail = called.rpartition(".")[2]
        env = _POSITIONAL_ENV.get(called) or _POSITIONAL_ENV.get(tail)
        if env is None:  # HTTPBasicAuth(user, password), login(user, password)
            env = _password_env(positional[0].value if index else None, "AUTH_PASSWORD")
        return positional[index].value, env
    for arg in call.args:
        if (
            arg.keyword is not None
            and arg.keyword.value == "auth"
            and isinstance(arg.value, cst.Tuple)
            and len(arg.value.elements) == 2
            and _literal(arg.value.elements[1].value)
        ):
            user, password = (e.value for e in arg.value.elements)
            return password, _password_env(user, "HTTP_AUTH_PASSWORD")
    return None


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


def _text(expr: cst.BaseExpression) -> str | bytes | None:
    if isinstance(expr, cst.SimpleString):
        return expr.evaluated_value
    if isinstance(expr, cst.ConcatenatedString):
        left, right = _text(expr.left), _text(expr.right)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(left, bytes) and isinstance(right, bytes):
            return left + right
    return None


def _not_a_secret(expr: cst.BaseExpression) -> str | None:
    """Why the literal is data rather than a credential (None when it may be one).

    A credential is one token: text with spaces, line breaks or markup is a document, a
    message or a fixture (an XML user list with a ``password=`` attribute), not a key.
    """
    value = _text(expr)
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if any(c.isspace() for c in text):
        return "the literal is text with spaces or line breaks (data, not a credential)"
    if text.lstrip().startswith("<") and text.rstrip().endswith(">"):
        return "the literal is markup (data, not a credential)"
    return None


class _Uses(cst.CSTVisitor):
    """Where a module-level name is read: inside functions, at module level, or rebound."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.depth = 0
        self.in_functions: list[cst.Name] = []
        self.elsewhere = 0
        self.shadowed = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        params = node.params
        every = (*params.posonly_params, *params.params, *params.kwonly_params)
        if any(p.name.value == self.name for p in every):
            self.shadowed = True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.depth += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.depth -= 1

    def visit_Global(self, node: cst.Global) -> None:
        if any(n.name.value == self.name for n in node.names):
            self.shadowed = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if self.depth and isinstance(node.target, cst.Name) and node.target.value == self.name:
            self.shadowed = True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False  # `obj.NAME` is another object's attribute

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False  # `f(NAME=...)` names a parameter

    def visit_Name(self, node: cst.Name) -> None:
        if node.value != self.name:
            return
        if self.depth:
            self.in_functions.append(node)
        else:
            self.elsewhere += 1


def _replacement(name: str, quote: str = '"') -> cst.Call:
    return cst.Call(
        func=cst.Name(_HELPER),
        args=[cst.Arg(cst.SimpleString(quote_text(_env_name(name), quote)))],
    )


def _env_edit(value: cst.BaseExpression, env: str, what: str) -> Edit:
    return Edit(
        replacements={value: _replacement(env)},
        imports=(Import(module="os"),),
        helpers={_HELPER: _HELPER_CODE},
        description=(
            f"Read {what} from the environment variable `{env}` instead of the code;"
            " rotate the old value, it is compromised."
        ),
    )


def _quote_inside(ctx: FixContext, node: cst.CSTNode) -> str | None:
    """The quote a string literal at ``node`` can use (inside f-strings, the other one), or
    None when there is none (nested f-strings using both)."""
    used = {
        anc.start.lstrip("rRbBfFuU")[:1]
        for anc in ctx.ancestors(node)
        if isinstance(anc, cst.FormattedString)
    }
    return next((q for q in ('"', "'") if q not in used), None)


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
            ' variable NAME")` when it is missing. A credential passed by position to a call'
            ' that takes one there (`jwt.encode(payload, "...")`, `hmac.new`, `Fernet`,'
            ' `HTTPBasicAuth(user, "...")`) or in `auth=(user, "...")` is read from a variable'
            " named for its use (`JWT_SECRET_KEY`, `<USER>_PASSWORD`). A module constant read"
            " only inside this"
            " module's functions (and imported by no other file) is removed and read where it"
            " is used, so that importing the module does not need the secret. Declines text"
            " with spaces or markup (a document or fixture, not a credential). The old value"
            " is compromised: rotate it."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        other: list[str] = []
        for node in ctx.nodes_at_line(cst.CSTNode):  # type: ignore[type-abstract]
            name = self._name_of(node)
            if name is None:
                continue
            value = node.value  # type: ignore[attr-defined]
            if not _literal(value):
                continue
            env = _env_name(name)
            with_credentials = _CREDENTIAL_URL.search(str(_text(value)))
            if not env or not (_SECRET_NAME.search(name) or with_credentials):
                other.append(name)  # `user="cn=svc"` next to the flagged `password=...`
                continue
            if _LABEL_NAME.search(name) and not with_credentials:
                return Declined(
                    reason=f"`{name}` names something about a secret (a header, a field, a"
                    " length), not the secret itself"
                )
            why = _not_a_secret(value)
            if why is not None:
                return Declined(reason=why)
            lazy = self._lazy(ctx, node, name)
            if lazy is not None:
                return lazy
            return _env_edit(value, env, f"`{name}`")
        for call in ctx.nodes_at_line(cst.Call):
            found = _positional_secret(call)
            if found is None or ctx.position(found[0]).start.line != ctx.line:
                continue
            value, env = found
            why = _not_a_secret(value)
            if why is not None:
                return Declined(reason=why)
            return _env_edit(value, env, "the credential passed to this call")
        if other:
            return Declined(reason=f"`{other[0]}` does not name a credential")
        return None

    def _lazy(self, ctx: FixContext, node: cst.CSTNode, name: str) -> Edit | None:
        """A module constant read only inside this module's functions: drop the constant and
        read the environment where it is used, so that importing the module (its tests, other
        code paths) does not need the secret, and a missing one fails clearly when used."""
        if not isinstance(node, cst.Assign | cst.AnnAssign):
            return None
        target = node.targets[0].target if isinstance(node, cst.Assign) else node.target
        stmt = ctx.parent(node)
        if (
            not isinstance(target, cst.Name)
            or not isinstance(stmt, cst.SimpleStatementLine)
            or len(stmt.body) != 1
            or ctx.parent(stmt) is not ctx.module
            or self._imported_elsewhere(ctx, name)
        ):
            return None
        uses = _Uses(name)
        ctx.module.visit(uses)
        # The target itself is the one module-level occurrence.
        if uses.shadowed or uses.elsewhere != 1 or not uses.in_functions:
            return None
        replacements: dict[cst.CSTNode, Replacement] = {stmt: cst.RemovalSentinel.REMOVE}
        for use in uses.in_functions:
            quote = _quote_inside(ctx, use)
            if quote is None:
                return None
            replacements[use] = _replacement(name, quote)
        env = _env_name(name)
        return Edit(
            replacements=replacements,
            imports=(Import(module="os"),),
            helpers={_HELPER: _HELPER_CODE},
            description=(
                f"Read `{name}` from the environment variable `{env}` where it is used"
                " (importing the module no longer needs it; a missing variable raises a clear"
                " error at first use) instead of the code; rotate the old value, it is"
                " compromised."
            ),
        )

    @staticmethod
    def _imported_elsewhere(ctx: FixContext, name: str) -> bool:
        """Whether another file of the repository may import the constant (when the fix stage
        passes the file list; without it, assume it may)."""
        paths = getattr(ctx.read, "paths", None)
        if paths is None:
            return True
        here = ctx.finding.location.path
        for path in paths:
            if path == here or not path.endswith(".py"):
                continue
            try:
                if name in ctx.read(path):
                    return True
            except (OSError, LookupError, ValueError):
                return True
        return False

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
        return storage_name(target) if target is not None else None
