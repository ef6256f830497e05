"""CWE-916 / CWE-328: fast or broken hashes.

Passwords hashed with ``hashlib.md5/sha1/...(...).hexdigest()`` get a salted KDF (PBKDF2-SHA256,
600 000 iterations, stored as ``pbkdf2_sha256$iterations$salt$hash``) and a verify function;
comparisons ``hash_password(x) == stored`` become ``verify_password(x, stored)`` in the module
and, when the fix stage passes the repository's file list, in the modules that import it.
MD5/SHA-1 used for something other than security (a checksum) gets ``usedforsecurity=False``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import Any

import libcst as cst

from mamori.domain import Finding, FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    append_args,
    calls_in,
    dotted,
    function_params,
    keyword,
    names_in,
    positional,
)
from mamori.fix.interface import FixerInfo

_WEAK = {"hashlib.md5", "hashlib.sha1"}
_FAST = _WEAK | {
    f"hashlib.{n}"
    for n in ("sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256", "sha3_512")
}
_PASSWORDISH = re.compile(r"passw(or)?d|passphrase|pwd", re.IGNORECASE)
_COMPARE_DIGEST = {"hmac.compare_digest", "secrets.compare_digest"}

_KDF = "_pbkdf2_sha256"
_KDF_VERIFY = "_pbkdf2_sha256_verify"
_ITERATIONS = "_PBKDF2_ITERATIONS"
_HELPERS = {
    _ITERATIONS: "_PBKDF2_ITERATIONS = 600_000\n",
    _KDF: '''def _pbkdf2_sha256(
    secret: bytes, salt: "bytes | None" = None, iterations: int = _PBKDF2_ITERATIONS
) -> str:
    """A salted, slow hash of a secret, stored as pbkdf2_sha256$iterations$salt$hash."""
    if salt is None:
        salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret, salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"
''',
    _KDF_VERIFY: '''def _pbkdf2_sha256_verify(secret: bytes, stored: str) -> bool:
    """Whether ``secret`` matches a value made by _pbkdf2_sha256 (constant-time compare)."""
    try:
        algorithm, iterations, salt, _digest = stored.split("$")
        expected = _pbkdf2_sha256(secret, bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return algorithm == "pbkdf2_sha256" and hmac.compare_digest(expected, stored)
''',
}
_KDF_HEX = "_pbkdf2_sha256_hex"
_KDF_HEX_CODE = '''def _pbkdf2_sha256_hex(secret: bytes) -> str:
    """A slow, deterministic hash of a secret (PBKDF2-HMAC-SHA256) as a hex string."""
    return hashlib.pbkdf2_hmac("sha256", secret, b"password-kdf", _PBKDF2_ITERATIONS).hex()
'''
_SALTISH = re.compile(r"salt", re.IGNORECASE)
_MIGRATION = (
    " Migration: hashes already stored in the old format no longer verify; rehash at the next"
    " successful login (verify the old way once, store the new format) or ask those users to"
    " reset their password, and re-create seed/fixture data."
)


def _verify_name(fn_name: str) -> str:
    if "hash" in fn_name:
        return fn_name.replace("hash", "verify", 1)
    return f"verify_{fn_name}"


class _Subst(cst.CSTTransformer):
    """Replace parameter names by argument expressions (not attribute or keyword names)."""

    def __init__(self, mapping: dict[str, cst.BaseExpression]) -> None:
        super().__init__()
        self.mapping = mapping

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.mapping.get(original_node.value, updated_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)


def _comparison_parts(
    node: cst.Comparison,
) -> tuple[cst.BaseExpression, cst.BaseExpression, bool] | None:
    """(left, right, negated) of ``a == b`` / ``a != b``."""
    if len(node.comparisons) != 1:
        return None
    target = node.comparisons[0]
    if isinstance(target.operator, cst.Equal):
        return node.left, target.comparator, False
    if isinstance(target.operator, cst.NotEqual):
        return node.left, target.comparator, True
    return None


class WeakPasswordHashFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/weak-password-hash"),
        title="Hash passwords with a salted, slow KDF",
        cwes=(916, 328, 327, 759, 760),
        risk=RiskClass.HIGH,
        risk_reason=(
            "stored password hashes change format: existing hashes stop verifying until they are"
            " migrated (rehash at login or reset)"
        ),
        description=(
            "For a password hashed with `hashlib.md5/sha1/sha256(...).hexdigest()`, returns"
            " `_pbkdf2_sha256(...)` instead (PBKDF2-HMAC-SHA256, random 16-byte salt, 600 000"
            " iterations, stored as `pbkdf2_sha256$iterations$salt$hash`), adds a"
            " `verify_password(..., stored)` function next to it and rewrites comparisons"
            " `hash_password(x) == stored` (and `hmac.compare_digest`) into"
            " `verify_password(x, stored)` in that module and in the modules that import it."
            " Where the hash is not returned by such a function (stored in a variable, compared"
            " by re-computing it), every fast hash of a password in the module becomes"
            " `_pbkdf2_sha256_hex(...)` (deterministic PBKDF2-HMAC-SHA256, 600 000 iterations),"
            " so that storing and re-computing still agree; a salt already mixed into the input"
            " is kept. Hashes already stored must be migrated (see the patch description)."
            " MD5/SHA-1 used for checksums are handled by `mamori:fix/hash-not-for-security`."
        ),
    )

    def applies_to(self, finding: Finding) -> bool:
        if not finding.location.path.endswith(".py"):
            return False
        if finding.cwe == 916:
            return True
        return finding.cwe in self.info.cwes and _mentions_password(finding)

    def edit(self, ctx: FixContext) -> Edit | None:
        for node in ctx.nodes_at_line(cst.Call):
            if not _is_weak_hash_call(ctx, node):
                continue
            fn = ctx.enclosing(node, cst.FunctionDef)
            if self._is_password(ctx, node, fn):
                return self._password(ctx, node, fn) or self._deterministic(ctx)
        return None

    @staticmethod
    def _new_algo(node: cst.Call) -> str | None:
        args = positional(node)
        if args and isinstance(args[0].value, cst.SimpleString):
            value = args[0].value.evaluated_value
            return value.lower() if isinstance(value, str) else None
        return None

    @staticmethod
    def _is_password(ctx: FixContext, node: cst.Call, fn: cst.FunctionDef | None) -> bool:
        if ctx.finding.cwe == 916:
            return True
        words = set(names_in(node))
        if fn is not None:
            words.add(fn.name.value)
            words |= set(function_params(fn))
        return any(_PASSWORDISH.search(w) for w in words)

    @staticmethod
    def _not_for_security(node: cst.Call) -> Edit | None:
        if keyword(node, "usedforsecurity") is not None or any(a.star for a in node.args):
            return None
        arg = cst.Arg(
            value=cst.Name("False"),
            keyword=cst.Name("usedforsecurity"),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace(""),
            ),
        )
        return Edit(
            replacements={node: append_args(node, [arg])},
            description=(
                "Declare the hash as not used for security (`usedforsecurity=False`): it"
                " computes a checksum, not a password or signature."
            ),
            risk=RiskClass.LOW,
            risk_reason="no behaviour change: the same digest, declared as non-security use",
        )

    def _deterministic(self, ctx: FixContext) -> Edit | None:
        """Every ``fast_hash(password).hexdigest()`` of the module -> one slow, deterministic
        KDF, so that the places that store a hash and those that recompute it to compare keep
        agreeing (stored values still need migrating)."""
        replacements: dict[cst.CSTNode, Replacement] = {}
        salted = False
        for call in calls_in(ctx.module):
            if not _is_weak_hash_call(ctx, call):
                continue
            fn = ctx.enclosing(call, cst.FunctionDef)
            if not self._is_password(ctx, call, fn):
                continue
            outer = ctx.parent(call)
            hexcall = ctx.parent(outer) if outer is not None else None
            if not (
                isinstance(outer, cst.Attribute)
                and outer.attr.value == "hexdigest"
                and isinstance(hexcall, cst.Call)
                and not hexcall.args
            ):
                return None  # .digest(), .update(): not a drop-in string
            args = positional(call)
            is_new = "hashlib.new" in ctx.qualified_names(call.func)
            if len(call.args) != len(args) or len(args) != (2 if is_new else 1):
                return None
            secret = args[-1].value
            salted = salted or any(_SALTISH.search(n) for n in names_in(secret))
            replacements[hexcall] = cst.Call(
                func=cst.Name(_KDF_HEX), args=[cst.Arg(secret)]
            ).with_changes(lpar=hexcall.lpar, rpar=hexcall.rpar)
        if not replacements:
            return None
        salt_note = (
            " The hashed value already includes a per-user salt."
            if salted
            else " The input has no per-user salt: add one (or move to `_pbkdf2_sha256`, which"
            " stores a random salt with the hash) when the stored values are migrated."
        )
        return Edit(
            replacements=replacements,
            imports=(Import(module="hashlib"),),
            helpers={_ITERATIONS: _HELPERS[_ITERATIONS], _KDF_HEX: _KDF_HEX_CODE},
            description=(
                f"Hash passwords with PBKDF2-HMAC-SHA256 (600 000 iterations) instead of a fast"
                f" hash at {len(replacements)} place(s) in this module, keeping the hex-string"
                " form so that stored values and the comparisons that recompute them agree."
                + salt_note
                + _MIGRATION
            ),
        )

    def _password(self, ctx: FixContext, node: cst.Call, fn: cst.FunctionDef | None) -> Edit | None:
        outer = ctx.parent(node)
        hexcall = ctx.parent(outer) if outer is not None else None
        if not (
            isinstance(outer, cst.Attribute)
            and outer.attr.value == "hexdigest"
            and isinstance(hexcall, cst.Call)
            and not hexcall.args
        ):
            return None
        args = positional(node)
        if len(node.args) != 1 or len(args) != 1 or fn is None:
            return None
        if ctx.enclosing(fn, cst.FunctionDef) or ctx.enclosing(fn, cst.ClassDef):
            return None  # methods and nested functions: callers are too hard to follow
        secret = args[0].value
        ret = ctx.parent(hexcall)
        if not isinstance(ret, cst.Return):
            return None
        verify = _verify_name(fn.name.value)
        params = function_params(fn)
        simple_sig = (
            not fn.params.posonly_params
            and not fn.params.kwonly_params
            and fn.params.star_arg is cst.MaybeSentinel.DEFAULT
            and fn.params.star_kwarg is None
            and all(p.default is None for p in fn.params.params)
        )
        existing = ctx.top_level_names()
        if verify in existing or not simple_sig or "stored" in params:
            return None
        # verify_<name>: the same body with the final hash compared instead of returned.
        new_ret = ret.with_changes(
            value=cst.Call(
                func=cst.Name(_KDF_VERIFY),
                args=[
                    cst.Arg(secret, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                    cst.Arg(cst.Name("stored")),
                ],
            )
        )
        verify_fn = fn.deep_replace(ret, new_ret)
        assert isinstance(verify_fn, cst.FunctionDef)
        new_params = [
            *[
                p.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for p in fn.params.params
            ],
            cst.Param(name=cst.Name("stored"), annotation=_str_annotation(fn)),
        ]
        verify_fn = verify_fn.with_changes(
            name=cst.Name(verify),
            params=fn.params.with_changes(params=new_params),
            returns=_bool_annotation(fn),
            decorators=[],
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
        doc = cst.parse_statement(f'"""Whether ``stored`` (made by {fn.name.value}) matches."""\n')
        block = verify_fn.body
        if isinstance(block, cst.IndentedBlock):
            stmts = list(block.body)
            if stmts and _is_docstring(stmts[0]):
                stmts[0] = doc
            else:
                stmts.insert(0, doc)
            verify_fn = verify_fn.with_changes(body=block.with_changes(body=stmts))
        # fn is replaced as a whole (it is followed by verify_fn), so the hash call inside it is
        # replaced here rather than through the replacement map.
        new_fn = fn.deep_replace(hexcall, cst.Call(func=cst.Name(_KDF), args=[cst.Arg(secret)]))
        replacements: dict[cst.CSTNode, Replacement] = {
            fn: cst.FlattenSentinel([new_fn, verify_fn])
        }
        count = self._rewrite_comparisons(ctx.module, {fn.name.value}, set(), verify, replacements)
        other_files, other_count = self._other_files(ctx, fn.name.value, verify)
        compared = count + other_count
        return Edit(
            replacements=replacements,
            imports=(Import(module="hashlib"), Import(module="hmac"), Import(module="secrets")),
            helpers=_HELPERS,
            other_files=other_files,
            description=(
                f"Hash passwords in `{fn.name.value}` with salted PBKDF2-SHA256 (600 000"
                f" iterations) instead of a fast hash, add `{verify}(..., stored)` and use it"
                f" at {compared} comparison(s)." + _MIGRATION
            ),
        )

    @staticmethod
    def _rewrite_comparisons(
        module: cst.Module,
        names: set[str],
        modules: set[str],
        verify: str,
        replacements: dict[cst.CSTNode, Replacement],
        verify_expr: str | None = None,
    ) -> int:
        """Rewrite ``F(x) == y`` / ``y == F(x)`` / ``!=`` / ``compare_digest(F(x), y)``.

        ``names`` are local names of F, ``modules`` local names of its module (``mod.F``).
        """
        target = verify_expr or verify
        found = 0

        def is_f(expr: cst.BaseExpression) -> bool:
            if not isinstance(expr, cst.Call) or any(a.keyword or a.star for a in expr.args):
                return False
            if isinstance(expr.func, cst.Name):
                return expr.func.value in names
            if isinstance(expr.func, cst.Attribute):
                return dotted(expr.func.value) in modules and expr.func.attr.value in names
            return False

        def verify_call(f_call: cst.Call, other: cst.BaseExpression) -> cst.Call:
            sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            func = cst.parse_expression(target)
            if isinstance(f_call.func, cst.Attribute):
                func = f_call.func.with_changes(attr=cst.Name(verify))
            return cst.Call(
                func=func,
                args=[*(a.with_changes(comma=sep) for a in f_call.args), cst.Arg(other)],
            )

        class V(cst.CSTVisitor):
            def visit_Comparison(self, node: cst.Comparison) -> None:
                nonlocal found
                parts = _comparison_parts(node)
                if parts is None:
                    return
                left, right, negated = parts
                if is_f(left):
                    assert isinstance(left, cst.Call)
                    new: cst.BaseExpression = verify_call(left, right)
                elif is_f(right):
                    assert isinstance(right, cst.Call)
                    new = verify_call(right, left)
                else:
                    return
                if negated:
                    new = cst.UnaryOperation(operator=cst.Not(), expression=new)
                replacements[node] = new.with_changes(lpar=node.lpar, rpar=node.rpar)
                found += 1

            def visit_Call(self, node: cst.Call) -> None:
                nonlocal found
                func = dotted(node.func)
                if func.split(".")[-1] != "compare_digest" or len(node.args) != 2:
                    return
                a, b = node.args[0].value, node.args[1].value
                if is_f(a):
                    assert isinstance(a, cst.Call)
                    replacements[node] = verify_call(a, b)
                elif is_f(b):
                    assert isinstance(b, cst.Call)
                    replacements[node] = verify_call(b, a)
                else:
                    return
                found += 1

        module.visit(V())
        return found

    def _other_files(self, ctx: FixContext, fname: str, verify: str) -> tuple[dict[str, str], int]:
        paths: Sequence[str] = getattr(ctx.read, "paths", ())
        here = ctx.finding.location.path
        out: dict[str, str] = {}
        total = 0
        for path in paths:
            if path == here or not path.endswith(".py"):
                continue
            try:
                text = ctx.read(path)
            except (OSError, LookupError, ValueError):
                continue
            if fname not in text:
                continue
            try:
                module = cst.parse_module(text)
            except cst.ParserSyntaxError:
                continue
            names, modules, imports = _imports_of(module, path, here, fname, verify)
            if not names and not modules:
                continue
            replacements: dict[cst.CSTNode, Replacement] = {}
            n = self._rewrite_comparisons(module, names, modules, verify, replacements)
            if not n:
                continue
            new = module.visit(_ReplaceById(replacements))
            if imports:
                from libcst.codemod import CodemodContext
                from libcst.codemod.visitors import AddImportsVisitor

                context = CodemodContext()
                for imp in imports:
                    AddImportsVisitor.add_needed_import(
                        context, imp.module, imp.obj, relative=imp.relative
                    )
                assert isinstance(new, cst.Module)
                new = AddImportsVisitor(context).transform_module(new)
            assert isinstance(new, cst.Module)
            out[path] = new.code
            total += n
        return out, total


class HashNotForSecurityFixer(WeakPasswordHashFixer):
    """MD5/SHA-1 computing a checksum, cache key or ETag: declare it as not for security."""

    info = FixerInfo(
        id=FixerId("mamori:fix/hash-not-for-security"),
        title="Declare checksum hashes as not used for security",
        cwes=(327, 328),
        risk=RiskClass.LOW,
        risk_reason="no behaviour change: the same digest, declared as non-security use",
        description=(
            'For `hashlib.md5(...)` / `hashlib.sha1(...)` / `hashlib.new("md5", ...)` that'
            " compute a checksum, cache key or ETag (nothing password-like in the expression,"
            " the function name or its parameters), adds `usedforsecurity=False`, which states"
            " the intent and keeps the code working on FIPS-restricted systems. Password-like"
            " uses are left to `mamori:fix/weak-password-hash`."
        ),
    )

    def applies_to(self, finding: Finding) -> bool:
        return (
            finding.location.path.endswith(".py")
            and finding.cwe in self.info.cwes
            and not _mentions_password(finding)
        )

    def edit(self, ctx: FixContext) -> Edit | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if not (names & _WEAK or (_is_weak_hash_call(ctx, node) and "hashlib.new" in names)):
                continue
            if self._is_password(ctx, node, ctx.enclosing(node, cst.FunctionDef)):
                return None  # a password after all: needs the KDF fix and a person
            return self._not_for_security(node)
        return None


def _mentions_password(finding: Finding) -> bool:
    text = " ".join([finding.snippet, finding.scope])
    return bool(_PASSWORDISH.search(text))


def _is_weak_hash_call(ctx: FixContext, node: cst.Call) -> bool:
    names = ctx.qualified_names(node.func)
    if names & _FAST:
        return True
    return "hashlib.new" in names and WeakPasswordHashFixer._new_algo(node) in {"md5", "sha1"}


class _ReplaceById(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, Replacement]) -> None:
        super().__init__()
        self._by_id = {id(k): v for k, v in replacements.items()}

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        return self._by_id.get(id(original_node), updated_node)


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString)
    )


def _str_annotation(fn: cst.FunctionDef) -> cst.Annotation | None:
    if fn.returns is not None:
        return cst.Annotation(annotation=cst.Name("str"))
    return None


def _bool_annotation(fn: cst.FunctionDef) -> cst.Annotation | None:
    if fn.returns is not None:
        return cst.Annotation(annotation=cst.Name("bool"))
    return None


def _module_name(path: str) -> list[str]:
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return parts


def _imports_of(
    module: cst.Module, path: str, target: str, fname: str, verify: str
) -> tuple[set[str], set[str], list[Import]]:
    """Local names of ``fname`` and of its module in ``module`` (at ``path``), and the import
    of ``verify`` to add alongside ``from ... import fname``."""
    target_mod = _module_name(target)
    here_pkg = posixpath.dirname(path).split("/") if posixpath.dirname(path) else []
    names: set[str] = set()
    modules: set[str] = set()
    imports: list[Import] = []

    def resolves(mod: str, level: int) -> bool:
        parts = mod.split(".") if mod else []
        if level:
            base = here_pkg[: len(here_pkg) - (level - 1)] if level - 1 <= len(here_pkg) else []
            return [*base, *parts] == target_mod
        # an absolute import: match the module path's tail (e.g. src/ layouts)
        return bool(parts) and target_mod[-len(parts) :] == parts

    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                mod = dotted(small.module) if small.module is not None else ""
                level = len(small.relative)
                for alias in small.names:
                    name = dotted(alias.name)
                    local = (
                        alias.asname.name.value
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                        else name
                    )
                    if name == fname and resolves(mod, level):
                        names.add(local)
                        imports.append(Import(module=mod, obj=verify, relative=level))
                    elif resolves(f"{mod}.{name}" if mod else name, level):
                        modules.add(local)
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    name = dotted(alias.name)
                    if resolves(name, 0):
                        modules.add(
                            alias.asname.name.value
                            if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                            else name
                        )
    return names, modules, imports
