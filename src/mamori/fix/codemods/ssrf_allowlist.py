"""CWE-918: an outbound request to a URL from input -> only to hosts allow-listed in config."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    keyword,
    names_in,
    positional,
)
from mamori.fix.codemods._safety import why_safe
from mamori.fix.interface import Declined, FixerInfo

_SINKS = {
    "requests.get": 0,
    "requests.post": 0,
    "requests.put": 0,
    "requests.patch": 0,
    "requests.delete": 0,
    "requests.head": 0,
    "requests.options": 0,
    "requests.request": 1,
    "httpx.get": 0,
    "httpx.post": 0,
    "httpx.put": 0,
    "httpx.patch": 0,
    "httpx.delete": 0,
    "httpx.head": 0,
    "httpx.stream": 1,
    "httpx.request": 1,
    "urllib.request.urlopen": 0,
    "urllib.request.Request": 0,
    "urllib.request.urlretrieve": 0,
    "aiohttp.request": 1,
}
_SESSION_METHODS = {"get", "post", "put", "patch", "delete", "head", "request", "urlopen", "open"}
ENV_VAR = "ALLOWED_OUTBOUND_HOSTS"
_HELPER = "_is_allowed_url"
_HELPER_CODE = f'''def {_HELPER}(url: object) -> bool:
    """True for an http(s) URL whose host is in the {ENV_VAR} allow-list.

    {ENV_VAR}: comma-separated host names, read from the environment on each call;
    unset or empty allows no host, so a missing configuration fails closed.
    """
    if not isinstance(url, str):
        return False
    names = os.environ.get("{ENV_VAR}", "").lower().split(",")
    allowed = {{h.strip() for h in names if h.strip()}}
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in allowed
'''


_NOSEC = f"# nosec B310  # checked by {_HELPER}"


def _audited(ctx: FixContext, stmt: cst.BaseStatement) -> cst.BaseStatement:
    """Bandit's B310 asks to audit the URL's scheme before ``urlopen``; the guard does that.
    When Bandit reported the call, mark the line as audited (with the reason) so that it is
    not reported again for a check that is now in the code."""
    rules = {s.rule_id for s in ctx.finding.sources} | {ctx.finding.rule_id}
    if "bandit:B310" not in rules:
        return stmt
    comment = cst.Comment(_NOSEC)
    if isinstance(stmt, cst.SimpleStatementLine):
        if stmt.trailing_whitespace.comment is not None:
            return stmt
        return stmt.with_changes(
            trailing_whitespace=stmt.trailing_whitespace.with_changes(
                whitespace=cst.SimpleWhitespace("  "), comment=comment
            )
        )
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.IndentedBlock) and body.header.comment is None:
        header = body.header.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
        return stmt.with_changes(body=body.with_changes(header=header))
    return stmt


class SsrfAllowlistFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/ssrf-allowlist"),
        title="Send outbound requests only to allow-listed hosts",
        cwes=(918,),
        # Bandit files `urlopen` of a variable URL (B310) under CWE-22.
        rule_ids=("bandit:B310",),
        risk=RiskClass.MEDIUM,
        risk_reason=(
            f"requests succeed only for hosts listed in {ENV_VAR}; a deployment must set it"
            " (unset, every such request fails with a clear error)"
        ),
        description=(
            "Before a `requests`/`httpx`/`urllib.request.urlopen`/session call whose URL comes"
            " from input, inserts `if not _is_allowed_url(url): raise ValueError(...)` and adds"
            f" the `_is_allowed_url` helper: the URL must be http(s) and its host one of the"
            f" comma-separated names in the `{ENV_VAR}` environment variable. The URL must be"
            " a variable (so that the check and the request see the same value); a URL built"
            " in the call is first bound to a local `url`. When Bandit reported the call (B310:"
            " audit the URL scheme), the call line gets `# nosec B310` with the reason: the guard"
            " is that audit. Declines URLs that are constants, allow-listed or only passed"
            " constants by the module's callers."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            index: int | None = next((_SINKS[n] for n in names if n in _SINKS), None)
            if index is None:
                func = node.func
                if isinstance(func, cst.Attribute) and func.attr.value in _SESSION_METHODS:
                    index = 1 if func.attr.value == "request" else 0
                else:
                    continue
            pos = positional(node)
            arg = pos[index] if len(pos) > index else keyword(node, "url")
            if arg is None:
                continue
            constant = why_safe(ctx, node, arg.value)
            if constant is not None:
                return Declined(reason=constant)
            if not isinstance(arg.value, cst.Name):
                return self._bind_and_guard(ctx, node, arg)
            return self._guard(ctx, node, arg.value)
        return None

    def _bind_and_guard(self, ctx: FixContext, node: cst.Call, arg: cst.Arg) -> Edit | Declined:
        """The URL is built in the call: bind it to a local first, so that the check and the
        request see the same value."""
        stmt = ctx.statement_of(node)
        if not isinstance(stmt, cst.SimpleStatementLine):
            return Declined(reason="the URL is built in the call inside a compound statement")
        fn = ctx.enclosing(node, cst.FunctionDef)
        used = names_in(fn if fn is not None else ctx.module)
        local = next(n for n in ("url", "_url", "_outbound_url", "_mamori_url") if n not in used)
        if local in used:
            return Declined(reason="no free local name for the URL")
        bind = cst.parse_statement(f"{local} = {ctx.code(arg.value)}")
        guard = cst.parse_statement(
            f"if not {_HELPER}({local}):\n"
            f'    raise ValueError(f"host of {{{local}!r}} is not in {ENV_VAR}")\n'
        )
        assert isinstance(bind, cst.SimpleStatementLine)
        new_call = node.with_changes(
            args=[a.with_changes(value=cst.Name(local)) if a is arg else a for a in node.args]
        )
        moved = stmt.deep_replace(node, new_call)
        assert isinstance(moved, cst.SimpleStatementLine)
        return Edit(
            replacements={
                stmt: cst.FlattenSentinel(
                    [
                        bind.with_changes(leading_lines=stmt.leading_lines),
                        guard,
                        _audited(ctx, moved.with_changes(leading_lines=[])),
                    ]
                )
            },
            imports=(Import(module="os"), Import(module="urllib.parse")),
            helpers={_HELPER: _HELPER_CODE},
            description=(
                f"Build the URL first and refuse outbound requests to hosts not listed in"
                f" `{ENV_VAR}` (a clear `ValueError` names the URL)."
            ),
        )

    def _guard(self, ctx: FixContext, node: cst.Call, url: cst.Name) -> Edit | Declined | None:
        stmt = ctx.statement_of(node)
        if not isinstance(stmt, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            return None
        # Idempotence: the statement before is already this guard.
        parent = ctx.parent(stmt)
        body = getattr(parent, "body", None)
        if isinstance(body, list | tuple):
            idx = next((i for i, s in enumerate(body) if s is stmt), None)
            if idx is not None and idx > 0 and f"{_HELPER}({url.value})" in ctx.code(body[idx - 1]):
                return None
        else:
            return Declined(reason="the request is not in a statement block")
        guard = cst.parse_statement(
            f"if not {_HELPER}({url.value}):\n"
            f'    raise ValueError(f"host of {{{url.value}!r}} is not in {ENV_VAR}")\n'
        )
        assert isinstance(guard, cst.If)
        guard = guard.with_changes(leading_lines=stmt.leading_lines)
        moved = _audited(ctx, stmt.with_changes(leading_lines=[]))
        return Edit(
            replacements={stmt: cst.FlattenSentinel([guard, moved])},
            imports=(Import(module="os"), Import(module="urllib.parse")),
            helpers={_HELPER: _HELPER_CODE},
            description=(
                f"Refuse outbound requests to hosts not listed in `{ENV_VAR}` (a clear"
                " `ValueError` names the URL), instead of fetching any URL the input names."
            ),
        )
