"""Name-based context for the rules that are not plain source-to-sink flows.

Whether md5 is a weakness depends on what it hashes (a password: CWE-916; a token or a
signature: CWE-328; an ETag: nothing); whether ``random`` is a weakness depends on what the value
becomes (a reset token: CWE-330; a shuffled quiz: nothing). The names of variables, keys,
parameters and functions are the evidence; these patterns decide.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mamori.domain import Confidence

# A value with this name is a password (hashing it with a fast hash is CWE-916).
PASSWORD_NAME = re.compile(
    r"(^|_)(pass(word|wd|phrase)?|pwd|pw|passcode|pin)(_|$)|^(password|passwd)", re.I
)
# ... but not a name that only mentions passwords.
NOT_PASSWORD = re.compile(
    r"(hash|digest|field|label|len|length|policy|reset|url|template|form|min|max|regex|pattern"
    r"|prompt|_at$|expir|changed|required|strength|input|error|message|msg|attempts)",
    re.I,
)
# A place where a hash is stored as a password hash.
PASSWORD_HASH_NAME = re.compile(r"(pass(word|wd)?|pwd|pw)_?(hash|digest)|hashed_?(pass|pw)", re.I)
# Functions that hash passwords, whatever their parameters are called.
PASSWORD_FUNCTION = re.compile(
    r"(hash|encode|encrypt|make|set|check|verify|store|digest)_?(pass(word|wd)?|pw|pwd)(_|$)"
    r"|(pass(word|wd)?|pw|pwd)_?(hash|digest)",
    re.I,
)
# A value with this name (or returned by a function with this name) must be unpredictable.
SECURITY_NAME = re.compile(
    r"token|secret|passw|pwd|nonce|otp|salt|csrf|xsrf|session_?id|sessionid|session_?key"
    r"|api_?key|private_?key|signing_?key|auth_?key|access_?key|encryption_?key"
    r"|(reset|verification|verify|confirm(ation)?|activation|auth|login|mfa|2fa)_?code"
    r"|one_?time|signature|^sig$|_sig$|activation|magic_?link|invite_?code|apikey|^sid$",
    re.I,
)
# Identifiers whose literal value is a credential (CWE-798).
SECRET_NAME = re.compile(
    r"(^|_)(secret|secret_?key|api_?key|apikey|password|passwd|pwd|access_?key|private_?key"
    r"|client_?secret|signing_?key|encryption_?key|jwt_?secret|credentials?|secret_?access_?key"
    r"|(auth|access|api|refresh|bearer|secret|bot|session|oauth|github|gitlab|slack|app|id)_?token"
    r"|authorization|proxy_authorization)$"
    r"|^token$",
    re.I,
)
PLACEHOLDER = re.compile(
    r"^(change-?me|changeit|xxx+|todo|dummy|example|test(ing)?|placeholder|secret|password"
    r"|replace[-_ ]?me|your[-_ ].*|<.*>|\$\{.*\}|\*+|none|null|default|dev|development|fake"
    r"|sample|foo|bar|admin)$",
    re.I,
)
KEYLIKE_PREFIX = re.compile(
    r"^(sk|pk|rk)_(live|test)_|^AKIA[0-9A-Z]{12}|^gh[pousr]_|^xox[abpr]-|^AIza"
)


# A URL or DSN with a password in it: scheme://user:password@host, "... password=xyz ...".
URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]*:(?P<pw>[^@\s/]+)@[^\s]+$", re.I)
DSN_PASSWORD = re.compile(r"(^|\s)password\s*=\s*'?(?P<pw>[^\s']+)", re.I)
# Calls that take a credential as a positional argument: dotted call name (or its last part
# when listed without a dot) -> argument index.
POSITIONAL_SECRETS: dict[str, int] = {
    "jwt.encode": 1,
    "jwt.decode": 1,
    "hmac.new": 0,
    "hmac.HMAC": 0,
    "HTTPBasicAuth": 1,
    "HTTPDigestAuth": 1,
    "BasicAuth": 1,
    "Fernet": 0,
    "URLSafeTimedSerializer": 0,
    "URLSafeSerializer": 0,
    "TimedJSONWebSignatureSerializer": 0,
    "login": 1,
    "simple_bind_s": 1,
    "bind_s": 1,
}


def is_password_name(name: str) -> bool:
    return bool(PASSWORD_NAME.search(name)) and not NOT_PASSWORD.search(name)


def is_secret_name(name: str) -> bool:
    """A name for a key or secret (not a password: those have their own rule)."""
    return bool(SECRET_NAME.search(name)) and not is_password_name(name)


def is_security_name(name: str) -> bool:
    if re.search(r"(tokeni[sz]|cache_?key|etag|checksum|filename|file_?name)", name, re.I):
        return False
    return bool(SECURITY_NAME.search(name))


def target_name(node: ast.expr) -> str | None:
    """The identifier that names a storage place: ``x``, ``obj.x``, ``d["x"]``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretHit:
    line: int
    end_line: int
    name: str
    confidence: Confidence


def secret_confidence(value: str) -> Confidence | None:
    text = value.strip()
    if not text:
        return None
    if re.search(r"\s", text) and len(text.split()) > 2:
        return None  # a sentence: a prompt or a label, not a credential
    if re.fullmatch(r"%\(\w+\)s|\{\w*\}|%s", text):
        return None  # a template placeholder filled at run time
    if PLACEHOLDER.match(text):
        return Confidence.LOW
    if re.fullmatch(r"[A-Za-z]+", text) and (text.isupper() or text.islower()) and len(text) < 16:
        return Confidence.LOW  # a plain word: more likely a sentinel or a dummy than a key
    if KEYLIKE_PREFIX.match(text):
        return Confidence.HIGH
    if len(text) >= 12 and re.search(r"\d", text) and re.search(r"[A-Za-z]", text):
        return Confidence.HIGH
    return Confidence.MEDIUM


def _literal_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        v = node.value
        return v.decode("latin-1") if isinstance(v, bytes) else v
    return None


def _call_tail(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def secret_argument(called: str, positional: int) -> int | None:
    """The index of the positional argument that holds a key or password in a call of
    ``called`` (the called name as written: ``jwt.encode``, ``HTTPBasicAuth``, ``c.login``)
    with ``positional`` positional arguments; None when none does (``login`` only counts as
    ``login(user, password)``)."""
    tail = called.rpartition(".")[2]
    index = POSITIONAL_SECRETS.get(called, POSITIONAL_SECRETS.get(tail))
    if index is None or index >= positional or (tail == "login" and positional != 2):
        return None
    return index


def _called_name(func: ast.expr) -> str | None:
    """``name``, ``module.name`` or (on any other object) the attribute's name."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return _call_tail(func)


def find_hardcoded_secrets(
    tree: ast.Module, sites: Iterable[ast.AST] | None = None
) -> list[SecretHit]:
    """Literal strings bound to credential-like names (assignments, keywords, dict keys,
    comparisons with a password). Values computed at run time (environment, files) are not
    literals and so never match. ``sites``: the candidate nodes when the caller has already
    collected them (else the whole tree is walked)."""
    hits: list[SecretHit] = []

    def check(name: str | None, value: ast.expr | None, at: ast.AST) -> None:
        # Header names ("X-API-Key") use hyphens where identifiers use underscores.
        if name is None or not SECRET_NAME.search(name.replace("-", "_")):
            return
        text = _literal_str(value)
        if text is None or text.strip().lower() == name.lower():
            return
        conf = secret_confidence(text)
        if conf is None:
            return
        line = getattr(at, "lineno", 0)
        hits.append(
            SecretHit(
                line=line,
                end_line=getattr(at, "end_lineno", line) or line,
                name=name,
                confidence=conf,
            )
        )

    def check_url(value: ast.expr | None, name: str | None) -> None:
        """A connection URL or DSN literal with a password inside, whatever it is bound to."""
        text = _literal_str(value)
        if text is None or value is None:
            return
        m = URL_PASSWORD.match(text.strip()) or DSN_PASSWORD.search(text)
        if m is None:
            return
        pw = m.group("pw")
        conf = secret_confidence(pw)
        if conf is None or PLACEHOLDER.match(pw) or re.search(r"[{}$%<>]", pw):
            return
        line = getattr(value, "lineno", 0)
        hits.append(
            SecretHit(
                line=line,
                end_line=getattr(value, "end_lineno", line) or line,
                name=name or "connection URL",
                confidence=conf,
            )
        )

    for node in ast.walk(tree) if sites is None else sites:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                check(target_name(t), node.value, node)
                check_url(node.value, target_name(t))
        elif isinstance(node, ast.AnnAssign):
            check(target_name(node.target), node.value, node)
            check_url(node.value, target_name(node.target))
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg:
                    check(kw.arg, kw.value, kw.value)
                    check_url(kw.value, kw.arg)
                if kw.arg == "auth" and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2:
                    # requests' auth=("user", "password")
                    check("password", kw.value.elts[1], kw.value.elts[1])
            for arg in node.args:
                check_url(arg, None)
            called = _called_name(node.func)
            index = secret_argument(called, len(node.args)) if called else None
            if index is not None:
                check("secret", node.args[index], node.args[index])
        elif isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                check(_literal_str(k), v, v)
                check_url(v, _literal_str(k))
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Eq, ast.NotEq))
        ):
            left, right = node.left, node.comparators[0]
            for a, b in ((left, right), (right, left)):
                name = target_name(a)
                if name and is_password_name(name) and _literal_str(b):
                    check("password", b, node)
    hits.sort(key=lambda h: h.line)
    return hits
