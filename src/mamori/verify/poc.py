"""Proof-of-concept exploits for dataflow findings in Flask, Django and FastAPI applications.

For a finding of the dataflow engine whose flow starts at a web request (Flask's
``request.args``, ``request.form``, ``request.get_json()``; Django's ``request.GET``,
``request.POST``, ``request.body``; Starlette's ``request.query_params``; a route parameter or
a FastAPI endpoint parameter, ...), :func:`generate_exploit` writes a self-contained pytest
file: it builds the application with its test client (Flask's ``test_client()``, Django's
``django.test.Client`` with the project's settings or a minimal configuration, Starlette's
``TestClient``), sends a harmless marker payload for the CWE to the route where the flow
starts, and detects that the payload reached the sink in a dangerous form (SQL text, a shell
command, a path outside the intended directory, an unsafe deserialiser, ``eval``, a redirect's
``Location``, the response body, an external XML entity that was loaded, an XPath expression
whose structure changed, an LDAP filter or DN with unescaped syntax, an outbound request to the
marker host, the session). :func:`run_exploit` runs it in the sandbox; an exploit that works
before a patch and fails after it shows that the patch closed the hole.

Payloads are markers, never destructive: commands are blocked by an audit hook before they
run, paths and external entities point into the sandbox's private /tmp, SQL gets a stray quote,
the XPath payload calls a function the harness registers, LDAP and outbound HTTP calls are
recorded and never reach a server (the sandbox has no network either).

Exploits are stored under ``.mamori/exploits/<finding-id>/`` and the ledger records
``exploit.confirmed`` and ``exploit.failed_after_patch`` / ``exploit.still_works`` with the
exploit's SHA-256.
"""

from __future__ import annotations

import ast
import base64
import enum
import hashlib
import json
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from mamori.domain import CheckName, CheckResult, CheckStatus, Finding, Patch, Verification
from mamori.gitutil import PatchApplyError, apply_diff, temporary_worktree
from mamori.store.interface import LedgerEvent
from mamori.verify.checks import _status
from mamori.verify.poc_harness import HARNESS
from mamori.verify.sandbox import (
    OUTPUT_DIR,
    SandboxSpec,
    ensure_sandbox,
    read_untrusted,
    run_sandboxed,
)

__all__ = [
    "CWES",
    "Exploit",
    "ExploitOutcome",
    "ExploitResult",
    "ExploitStatus",
    "PatchExploitCheck",
    "apply_to_verification",
    "check_patch",
    "confirm",
    "exploit_path",
    "exploit_status",
    "generate_exploit",
    "load_exploit",
    "run_after_patch",
    "run_exploit",
    "store_exploit",
]

# The CWEs with a payload and a sink detector.
CWES = frozenset({22, 78, 79, 89, 90, 94, 95, 501, 502, 601, 611, 643, 918})
_MAX_RESULT_BYTES = 256 * 1024
_SINK_CALL = re.compile(r"^sink: .*?\b(\w+)\(\)$")
_SOURCE = re.compile(
    r"source: (?:route parameter '(?P<route>[^']+)'|(?:\w+\.)*(?P<obj>\w+)\.(?P<attr>\w+))"
)
# Request attributes (Flask, Django, Starlette) -> where the harness puts the payload.
_KINDS = {
    "args": "args",
    "values": "args",
    "GET": "args",
    "query_params": "args",
    "form": "form",
    "POST": "form",
    "files": "files",
    "FILES": "files",
    "json": "json",
    "get_json": "json",
    "data": "data",
    "get_data": "data",
    "body": "data",
    "cookies": "cookies",
    "COOKIES": "cookies",
    "headers": "headers",
    "META": "meta",
    "path_params": "route",
    "view_args": "route",
    "referrer": "referrer",
    "path": "path",
    "full_path": "path",
    "url": "path",
}
_FRAMEWORKS = ("flask", "django", "fastapi")
_SKIP_DIRS = {".git", ".mamori", ".venv", "venv", "node_modules", "tests", "test", "build", "dist"}


class ExploitOutcome(enum.StrEnum):
    WORKS = "works"  # the payload reached the sink
    FAILS = "fails"  # the application ran; the payload did not get through
    ERROR = "error"  # the harness could not run (the app did not build, no route, timeout)


@dataclass(frozen=True, kw_only=True)
class Exploit:
    finding_id: str
    cwe: int
    code: str  # the pytest file

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.code.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class ExploitResult:
    outcome: ExploitOutcome
    detail: str
    evidence: tuple[str, ...] = field(default=())
    sandbox: str = (
        ""  # the sandbox it ran in and its self-test (SandboxInfo.describe()), for the ledger
    )


def _payloads(cwe: int, marker: str) -> list[str]:
    """Harmless marker payloads for ``cwe``, tried in order until one gets through."""
    up = "../" * 16
    return {
        # A file (for code that checks isfile first) and a directory (for code that creates
        # it), both prepared by the harness inside the sandbox's private /tmp.
        # An absolute path last: os.path.join drops the base directory for it (which need not
        # exist in the sandbox).
        22: [
            f"{up}tmp/mamori-{marker}/x.txt",
            f"{up}tmp/mamori-{marker}",
            f"/tmp/mamori-{marker}/x.txt",
            # A new name inside the marker directory: code that creates a directory and then
            # derives other files from the same name (``{name}.tar.gz``) reaches them as well.
            f"{up}tmp/mamori-{marker}/new",
        ],
        # ";" is a cookie separator: "|" carries the same command where ";" cannot go.
        # A trailing separator ends the command whatever the application appends.
        78: [f"a;echo {marker};", f"a|echo {marker}|"],
        79: [f"<mamori-{marker}>"],
        89: [f"{marker}'", f'{marker}"'],
        # A bare name, then breaking out of a quoted string literal, then base64-encoded.
        94: [
            f"mamori_{marker}",
            f"' + mamori_{marker} + '",
            f'" + mamori_{marker} + "',
            base64.b64encode(f"mamori_{marker}".encode()).decode(),
        ],
        95: [
            f"mamori_{marker}",
            f"' + mamori_{marker} + '",
            f'" + mamori_{marker} + "',
            base64.b64encode(f"mamori_{marker}".encode()).decode(),
        ],
        # A YAML/pickle-looking marker; without the newline (headers, cookies); base64-encoded
        # (standard and URL-safe alphabets) for applications that decode it first.
        502: [
            f"mamori: {marker}\n",
            f"mamori: {marker}",
            base64.b64encode(f"mamori: {marker}\n".encode()).decode(),
            base64.urlsafe_b64encode(f"mamori: {marker}\n".encode()).decode(),
            f"mamori: {marker}\n".encode().hex(),
        ],
        601: [f"https://mamori-{marker}.example/", f"//mamori-{marker}.example/"],
        # An external entity naming a marker file the harness prepares in the private /tmp.
        611: [
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///tmp/mamori-{marker}/xxe.txt">]>\n'
            "<r>&e;</r>\n"
        ],
        # Breaks out of a quoted literal (or stands as an expression) to call a no-op function
        # the harness registers; an XPath variable keeps it a plain string.
        643: [
            f"' or mamori_{marker}() or '",
            f'" or mamori_{marker}() or "',
            f"mamori_{marker}()",
            # Closes the predicate and adds a union whose step selects the context node, so
            # the function is called even when no node matches the original path.
            f"'] | self::node()[mamori_{marker}()] | x['",
            f'"] | self::node()[mamori_{marker}()] | x["',
            f"1] | self::node()[mamori_{marker}()] | x[1",
            f"x | self::node()[mamori_{marker}()] | x",
        ],
        90: [f"mamori{marker})(|(mamori=*", f"mamori{marker},cn=mamori"],
        918: [f"http://mamori-{marker}.example/", f"mamori-{marker}.example"],
        501: [f"mamori-{marker}"],
    }[cwe]


def _enclosing_function(
    tree: ast.Module, line: int
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            if node.lineno <= line <= end and (best is None or node.lineno >= best.lineno):
                best = node
    return best


def _request_keys(func: ast.AST, attr: str, obj: str = "request") -> list[str]:
    """Keys the function reads from ``<obj>.<attr>`` (``.get("k")``, ``["k"]``, ...), directly
    or through a variable bound to it (``data = request.get_json() or {}``, ``form =
    request.form.to_dict()``); a variable key ranges over the constants a loop gives it."""
    keys: list[str] = []

    def is_source(node: ast.AST) -> bool:
        if isinstance(node, ast.Await):
            node = node.value  # await request.form()
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            node = node.values[0]  # request.get_json(silent=True) or {}
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("to_dict", "copy", "dict")
        ):
            node = node.func.value  # request.form.to_dict()
        if isinstance(node, ast.Call):
            node = node.func  # request.get_json()
        if isinstance(node, ast.Name):
            return node.id in bound
        return (
            isinstance(node, ast.Attribute)
            and node.attr == attr
            and isinstance(node.value, ast.Name)
            and node.value.id == obj
        )

    bound: set[str] = set()
    for node in ast.walk(func):
        target: ast.AST | None = None
        value: ast.AST | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and value is not None and is_source(value):
            bound.add(target.id)
    parents = {child: parent for parent in ast.walk(func) for child in ast.iter_child_nodes(parent)}
    loops: dict[str, list[str]] = {}
    for node in ast.walk(func):
        if (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Tuple | ast.List | ast.Set)
        ):
            loops.setdefault(node.target.id, []).extend(
                e.value
                for e in node.iter.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )

    for node in ast.walk(func):
        key: ast.AST | None = None
        if isinstance(node, ast.Subscript) and is_source(node.value):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "getlist", "pop")
            and is_source(node.func.value)
            and node.args
        ):
            key = node.args[0]
        names: list[str] = []
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names = (
                [key.value + _nested(node, parents)]
                if attr in ("json", "get_json")
                else [key.value]
            )
        elif isinstance(key, ast.Name):
            names = loops.get(key.id, [])
        keys.extend(n for n in names if n not in keys)
    return keys


# Separates the keys of a nested JSON body (``data["a"]["b"]`` -> "a" NESTED "b").
NESTED = "\x1f"


def _nested(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    """The constant keys read below ``node`` (``node["b"]``, ``node.get("b")``), joined."""
    path = ""
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key: ast.AST = parent.slice
            up: ast.AST = parent
        elif (
            isinstance(parent, ast.Attribute)
            and parent.attr == "get"
            and isinstance(parents.get(parent), ast.Call)
            and parents[parent].args  # type: ignore[attr-defined]
        ):
            up = parents[parent]
            key = up.args[0]  # type: ignore[attr-defined]
        else:
            return path
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return path
        path += NESTED + key.value
        node = up


def _modules(root: Path) -> Iterable[tuple[str, str]]:
    """(dotted module name, source text) of the application's own modules."""
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in _SKIP_DIRS for part in rel.parts[:-1]) or len(rel.parts) > 4:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        module = ".".join(rel.with_suffix("").parts)
        yield module.removesuffix(".__init__"), text


def _apps(root: Path, framework: str = "flask") -> list[tuple[str, str, str]]:
    """(module, attribute, "factory"|"object") candidates for the Flask or ASGI application."""
    found: list[tuple[str, str, str]] = []
    classes = "Flask" if framework == "flask" else "FastAPI|Starlette"
    factories = "create_app" if framework == "flask" else "create_app|get_app|get_application"
    for module, text in _modules(root):
        if not re.search(classes, text):
            continue
        for m in re.finditer(rf"^def ({factories})\(", text, re.M):
            found.append((module, m.group(1), "factory"))
        for m in re.finditer(rf"^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:\w+\.)?(?:{classes})\(", text, re.M):
            found.append((module, m.group(1), "object"))
    if not found and framework == "flask":
        # A blueprint module with no application of its own: the harness mounts its
        # blueprints on a fresh Flask application.
        for module, text in _modules(root):
            for m in re.finditer(r"^(\w+)\s*=\s*(?:\w+\.)?Blueprint\(", text, re.M):
                found.append((module, m.group(1), "blueprint"))
    # Factories first: they are how tests build a configured application.
    return sorted(found, key=lambda c: c[2] != "factory")


def _framework(text: str) -> str:
    """The web framework of the module that holds the view (its imports decide)."""
    if re.search(r"^\s*(?:from|import)\s+(?:fastapi|starlette)\b", text, re.M):
        return "fastapi"
    if re.search(r"^\s*(?:from|import)\s+django\b", text, re.M):
        return "django"
    return "flask"


def _django(root: Path, view_module: str) -> dict[str, list[str]]:
    """Where a Django project keeps its settings and URL configuration."""
    settings: list[str] = []
    configures: list[str] = []
    urlconfs: list[str] = []
    for module, text in _modules(root):
        for m in re.finditer(r"DJANGO_SETTINGS_MODULE[\"']\s*,\s*[\"']([\w.]+)[\"']", text):
            if m.group(1) not in settings:
                settings.append(m.group(1))
        if module.rsplit(".", 1)[-1] == "settings" and module not in settings:
            settings.append(module)
        if re.search(r"\bsettings\.configure\(", text):
            configures.append(module)
        if re.search(r"^urlpatterns\s*[:=+]", text, re.M):
            urlconfs.append(module)
    # The view's own module first (single-file apps), then the shallowest urls module.
    urlconfs.sort(key=lambda m: (m != view_module, m.count("."), m))
    return {"settings": settings, "configures": configures, "urlconfs": urlconfs}


def _sink_call(finding: Finding) -> str:
    """The name the finding's sink calls (``send_file`` for "sink: flask.send_file()"), for
    CWE-22 only: a file sink is then told apart from another one in the same function (each is a
    finding of its own, fixed by its own patch). Empty when the flow does not name it."""
    if finding.cwe != 22 or not finding.flow:
        return ""
    m = _SINK_CALL.search(finding.flow[-1].message)
    return m.group(1) if m else ""


def generate_exploit(finding: Finding, root: Path) -> tuple[Exploit | None, str]:
    """An exploit test for ``finding`` in the repository at ``root``, or (None, why not)."""
    if finding.cwe not in CWES:
        return None, f"no payload for CWE-{finding.cwe}"
    if not finding.flow:
        return None, "the finding has no data flow"
    first = finding.flow[0]
    m = _SOURCE.search(first.message)
    if m is None:
        return None, f"the flow does not start at a Flask request ({first.message})"
    source_file = root / first.location.path
    try:
        text = source_file.read_text(encoding="utf-8")
        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError) as e:
        return None, f"cannot read {first.location.path}: {e}"
    func = _enclosing_function(tree, first.location.start_line)
    if func is None:
        return None, "the flow starts outside a function"
    framework = _framework(text)
    if m.group("route"):
        kind, params = "route", [m.group("route")]
    else:
        obj, attr = m.group("obj"), m.group("attr")
        arg_names = {
            a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)
        }
        if obj != "request" and obj not in arg_names:
            return None, f"the flow does not start at a web request ({first.message})"
        kind = _KINDS.get(attr, "")
        if not kind:
            return None, f"unsupported request source {obj}.{attr}"
        params = _request_keys(func, attr, obj)
        if kind == "referrer":
            kind, params = "headers", ["Referer"]
        elif kind == "path":
            params = ["q"]
        if kind in ("args", "form", "files", "cookies", "headers", "json", "meta", "route") and (
            not params
        ):
            return None, f"no parameter name found for {obj}.{attr} in {func.name}()"
    apps: list[tuple[str, str, str]] = []
    django: dict[str, list[str]] = {}
    if framework == "django":
        view_module = ".".join(Path(first.location.path).with_suffix("").parts)
        django = _django(root, view_module.removesuffix(".__init__"))
        if not django["urlconfs"]:
            return None, "no Django URL configuration (urlpatterns = [...]) found"
    else:
        apps = _apps(root, framework)
        if not apps:
            return None, f"no {framework} application (create_app or app = ...(...)) found"
    marker = secrets.token_hex(6)
    spec = {
        "finding": str(finding.id),
        "cwe": finding.cwe,
        "root": str(root.resolve()),
        "file": first.location.path,
        "function": func.name,
        "framework": framework,
        "django": django,
        "sink_file": finding.location.path,
        "sink_function": finding.scope.rsplit(".", 1)[-1],
        "sink_call": _sink_call(finding),
        "source": kind,
        "params": params,
        "marker": marker,
        "payloads": _payloads(finding.cwe, marker),
        "apps": apps,
        # Applications often read secrets from the environment at start-up.
        "env": {
            "SECRET_KEY": "mamori-exploit",
            "FLASK_SECRET_KEY": "mamori-exploit",
            "FLASK_TESTING": "1",
            "DJANGO_SECRET_KEY": "mamori-exploit",
            # A database in the sandbox's private /tmp (a server's would be unreachable).
            "DATABASE_URL": "sqlite:////tmp/mamori-exploit.db",
        },
    }
    header = (
        f'"""Mamori proof-of-concept exploit for finding {finding.id} (CWE-{finding.cwe}).\n\n'
        f"Sends a harmless marker to {func.name}() in {first.location.path} and checks that it\n"
        'reaches the sink. Generated; runs only inside the Mamori sandbox."""\n'
    )
    code = header + "SPEC = " + json.dumps(spec, indent=1, sort_keys=True) + "\n" + HARNESS
    return Exploit(finding_id=str(finding.id), cwe=finding.cwe, code=code), ""


def _for_tree(exploit: Exploit, tree: Path) -> str:
    """The exploit's code pointed at ``tree`` (the same exploit runs before and after)."""
    return re.sub(
        r'^ "root": ".*",$',
        lambda _m: f' "root": {json.dumps(str(tree.resolve()))},',
        exploit.code,
        count=1,
        flags=re.M,
    )


def run_exploit(exploit: Exploit, tree: Path, *, timeout_s: float = 120) -> ExploitResult:
    """Run ``exploit`` against the checkout at ``tree`` in the sandbox.

    Raises :class:`mamori.verify.sandbox.SandboxUnavailableError` when the sandbox does not
    hold (exploits never run outside it).
    """
    sandbox = ensure_sandbox().describe()
    scratch = Path(tempfile.mkdtemp(prefix="mamori-exploit-"))
    try:
        code_dir, output = scratch / "code", scratch / "out"
        code_dir.mkdir()
        output.mkdir()
        (code_dir / "mamori_exploit_test.py").write_text(_for_tree(exploit, tree), "utf-8")
        spec = SandboxSpec(
            command=(sys.executable, "-I", str(code_dir / "mamori_exploit_test.py")),
            workdir=tree,
            ro_paths=(code_dir,),
            env={
                "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
                "MAMORI_EXPLOIT_OUT": f"{OUTPUT_DIR}/exploit.json",
                "PYTHONDONTWRITEBYTECODE": "1",
                "LANG": "C.UTF-8",
            },
            timeout_s=timeout_s,
        )
        log = scratch / "log.txt"
        run = run_sandboxed(spec, output=output, log=log)
        if run.timed_out:
            return ExploitResult(
                outcome=ExploitOutcome.ERROR,
                detail=f"timed out after {timeout_s:g} s",
                sandbox=sandbox,
            )
        try:
            data = json.loads(read_untrusted(output / "exploit.json", _MAX_RESULT_BYTES))
        except (OSError, ValueError) as e:
            tail = log.read_text(encoding="utf-8", errors="replace")[-800:].strip()
            return ExploitResult(
                outcome=ExploitOutcome.ERROR,
                detail=f"no result from the exploit (exit {run.exit_code}): {e}; {tail}",
                sandbox=sandbox,
            )
        return replace(_result(data), sandbox=sandbox)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _result(data: object) -> ExploitResult:
    """Interpret the harness's JSON (untrusted: the application ran in the same process)."""
    if not isinstance(data, dict):
        return ExploitResult(outcome=ExploitOutcome.ERROR, detail="malformed exploit result")
    if data.get("error"):
        return ExploitResult(outcome=ExploitOutcome.ERROR, detail=str(data["error"])[:1500])
    sinks = data.get("sinks")
    notes = data.get("notes")
    evidence = tuple(
        f"{s.get('sink')}: {s.get('evidence')}"[:300]
        for s in (sinks if isinstance(sinks, list) else [])[:10]
        if isinstance(s, dict)
    )
    detail = "; ".join(str(n)[:300] for n in (notes if isinstance(notes, list) else [])[:5])
    if data.get("reached") is True and evidence:
        return ExploitResult(outcome=ExploitOutcome.WORKS, detail=detail, evidence=evidence)
    return ExploitResult(
        outcome=ExploitOutcome.FAILS, detail=detail or "the payload did not reach the sink"
    )


def exploit_path(state_dir: Path, finding_id: str) -> Path:
    """Where the exploit of ``finding_id`` is stored (``.mamori/exploits/<id>/``)."""
    if not re.fullmatch(r"[\w.-]+", finding_id):
        raise ValueError(f"unsafe finding id {finding_id!r}")
    return state_dir / "exploits" / finding_id / "mamori_exploit_test.py"


def store_exploit(state_dir: Path, exploit: Exploit) -> Path:
    path = exploit_path(state_dir, exploit.finding_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(exploit.code, encoding="utf-8")
    return path


def load_exploit(state_dir: Path, finding_id: str, cwe: int) -> Exploit | None:
    path = exploit_path(state_dir, finding_id)
    try:
        code = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return Exploit(finding_id=finding_id, cwe=cwe, code=code)


# --- one patch: the exploit before and after -------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PatchExploitCheck:
    """An exploit run on the base commit and, when it works there, on the patched tree."""

    exploit: Exploit
    before: ExploitResult
    after: ExploitResult | None = None  # None: not confirmed before, so not run after

    @property
    def confirmed(self) -> bool:
        return self.before.outcome is ExploitOutcome.WORKS


def confirm(finding: Finding, tree: Path, *, timeout_s: float = 120) -> PatchExploitCheck | None:
    """Generate the exploit of ``finding`` and run it on the checkout at ``tree`` (in the
    sandbox); None when no exploit applies to the finding."""
    exploit, _why = generate_exploit(finding, tree)
    if exploit is None:
        return None
    return PatchExploitCheck(
        exploit=exploit, before=run_exploit(exploit, tree, timeout_s=timeout_s)
    )


def run_after_patch(
    exploit: Exploit, *, patch: Patch, root: Path, base_commit: str, timeout_s: float = 120
) -> ExploitResult:
    """Run ``exploit`` on ``base_commit`` with ``patch`` applied (in the sandbox)."""
    with temporary_worktree(root, base_commit) as tree:
        try:
            apply_diff(tree, patch.diff)
        except PatchApplyError as e:
            return ExploitResult(outcome=ExploitOutcome.ERROR, detail=e.message)
        return run_exploit(exploit, tree, timeout_s=timeout_s)


def check_patch(
    *, finding: Finding, patch: Patch, root: Path, base_commit: str, timeout_s: float = 120
) -> tuple[PatchExploitCheck | None, str]:
    """Generate the exploit of ``finding`` and run it on ``base_commit`` and, when it works,
    on ``base_commit`` with ``patch`` applied (both in the sandbox). (None, why) when no exploit
    applies. Git errors other than the patch not applying raise
    :class:`mamori.errors.GitError`."""
    with temporary_worktree(root, base_commit) as tree:
        exploit, why = generate_exploit(finding, tree)
        if exploit is None:
            return None, why
        before = run_exploit(exploit, tree, timeout_s=timeout_s)
    if before.outcome is not ExploitOutcome.WORKS:
        return PatchExploitCheck(exploit=exploit, before=before), ""
    after = run_after_patch(
        exploit, patch=patch, root=root, base_commit=base_commit, timeout_s=timeout_s
    )
    return PatchExploitCheck(exploit=exploit, before=before, after=after), ""


def apply_to_verification(verification: Verification, check: PatchExploitCheck) -> Verification:
    """A confirmed finding's patch passes ``FINDING_GONE`` only when the exploit fails after
    it: an exploit that still works fails the check; one that cannot run leaves it NOT_RUN."""
    if not check.confirmed or check.after is None:
        return verification
    after = check.after
    checks = [
        _with_exploit(c, after) if c.name is CheckName.FINDING_GONE else c
        for c in verification.checks
    ]
    return replace(verification, checks=tuple(checks), status=_status(checks))


def _with_exploit(check: CheckResult, after: ExploitResult) -> CheckResult:
    if after.outcome is ExploitOutcome.WORKS:
        evidence = "; ".join(after.evidence)[:300]
        status = CheckStatus.FAILED
        detail = f"the exploit still works after the patch ({evidence})"
    elif after.outcome is ExploitOutcome.ERROR:
        status = CheckStatus.NOT_RUN if check.status is CheckStatus.PASSED else check.status
        detail = f"{check.detail}; the exploit could not run after the patch: {after.detail[:300]}"
    else:
        status = check.status
        detail = f"{check.detail}; the exploit that worked before fails after the patch"
    return CheckResult(name=check.name, status=status, detail=detail)


# --- reading back: `mamori show` and the gate ------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ExploitStatus:
    """What the ledger says about a finding's exploit (the latest events win)."""

    sha256: str
    path: Path | None  # the stored exploit, None when missing or edited since
    after_patch: dict[str, str]  # patch id -> "failed_after_patch" / "still_works" / ...


def exploit_status(
    events: Iterable[LedgerEvent], state_dir: Path, finding_id: str
) -> ExploitStatus | None:
    """The exploit status of ``finding_id`` from the ledger; None when never confirmed."""
    sha = ""
    after: dict[str, str] = {}
    for e in events:
        if e.subject != finding_id or not e.kind.startswith("exploit."):
            continue
        if e.kind == "exploit.confirmed":
            sha = str(e.payload.get("sha256", ""))
        else:
            after[str(e.payload.get("patch", ""))] = e.kind.removeprefix("exploit.")
    if not sha:
        return None
    path: Path | None = exploit_path(state_dir, finding_id)
    try:
        ok = path is not None and hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except OSError:
        ok = False
    return ExploitStatus(sha256=sha, path=path if ok else None, after_patch=after)
