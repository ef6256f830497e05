"""Proof-of-concept exploits for dataflow findings in Flask applications.

For a finding of the dataflow engine whose flow starts at a Flask request (``request.args``,
``request.form``, ``request.files``, ``request.get_json()``, a route parameter, ...),
:func:`generate_exploit` writes a self-contained pytest file: it builds the application with
its test client, sends a harmless marker payload for the CWE to the route where the flow
starts, and detects that the payload reached the sink in a dangerous form (SQL text, a shell
command, a path outside the intended directory, an unsafe deserialiser, ``eval``, a redirect's
``Location``, the response body). :func:`run_exploit` runs it in the sandbox; an exploit that
works before a patch and fails after it shows that the patch closed the hole.

Payloads are markers, never destructive: commands are blocked by an audit hook before they
run, paths point into the sandbox's private /tmp, SQL gets a stray quote.

Exploits are stored under ``.mamori/exploits/<finding-id>/`` and the ledger records
``exploit.confirmed`` and ``exploit.failed_after_patch`` / ``exploit.still_works`` with the
exploit's SHA-256.
"""

from __future__ import annotations

import ast
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
CWES = frozenset({22, 78, 79, 89, 94, 95, 502, 601})
_MAX_RESULT_BYTES = 256 * 1024
_SOURCE = re.compile(r"source: (?:route parameter '(?P<route>[^']+)'|request\.(?P<attr>\w+))")
_KINDS = {
    "args": "args",
    "values": "args",
    "form": "form",
    "files": "files",
    "json": "json",
    "get_json": "json",
    "data": "data",
    "get_data": "data",
    "cookies": "cookies",
    "headers": "headers",
}
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


def _payloads(cwe: int, marker: str) -> list[str]:
    """Harmless marker payloads for ``cwe``, tried in order until one gets through."""
    up = "../" * 16
    return {
        # A file (for code that checks isfile first) and a directory (for code that creates
        # it), both prepared by the harness inside the sandbox's private /tmp.
        22: [f"{up}tmp/mamori-{marker}/x.txt", f"{up}tmp/mamori-{marker}"],
        78: [f"a;echo {marker}"],
        79: [f"<mamori-{marker}>"],
        89: [f"{marker}'", f'{marker}"'],
        94: [f"mamori_{marker}"],
        95: [f"mamori_{marker}"],
        502: [f"mamori: {marker}\n"],
        601: [f"https://mamori-{marker}.example/", f"//mamori-{marker}.example/"],
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


def _request_keys(func: ast.AST, attr: str) -> list[str]:
    """Keys the function reads from ``request.<attr>`` (``.get("k")``, ``["k"]``, ...)."""
    keys: list[str] = []

    def is_source(node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            node = node.func  # request.get_json()
        return (
            isinstance(node, ast.Attribute)
            and node.attr == attr
            and isinstance(node.value, ast.Name)
            and node.value.id == "request"
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
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in keys:
            keys.append(key.value)
    return keys


def _apps(root: Path) -> list[tuple[str, str, str]]:
    """(module, attribute, "factory"|"object") candidates for the Flask application."""
    found: list[tuple[str, str, str]] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in _SKIP_DIRS for part in rel.parts[:-1]) or len(rel.parts) > 4:
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "Flask" not in text:
            continue
        module = ".".join(rel.with_suffix("").parts)
        module = module.removesuffix(".__init__")
        if re.search(r"^def create_app\(", text, re.M):
            found.append((module, "create_app", "factory"))
        for m in re.finditer(r"^(\w+)\s*=\s*Flask\(", text, re.M):
            found.append((module, m.group(1), "object"))
    # Factories first: they are how tests build a configured application.
    return sorted(found, key=lambda c: c[2] != "factory")


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
        tree = ast.parse(source_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError) as e:
        return None, f"cannot read {first.location.path}: {e}"
    func = _enclosing_function(tree, first.location.start_line)
    if func is None:
        return None, "the flow starts outside a function"
    if m.group("route"):
        kind, params = "route", [m.group("route")]
    else:
        attr = m.group("attr")
        kind = _KINDS.get(attr, "")
        if not kind:
            return None, f"unsupported request source request.{attr}"
        params = _request_keys(func, attr)
        if kind in ("args", "form", "files", "cookies", "headers", "json") and not params:
            return None, f"no parameter name found for request.{attr} in {func.name}()"
    apps = _apps(root)
    if not apps:
        return None, "no Flask application (create_app or app = Flask(...)) found"
    marker = secrets.token_hex(6)
    spec = {
        "finding": str(finding.id),
        "cwe": finding.cwe,
        "root": str(root.resolve()),
        "file": first.location.path,
        "function": func.name,
        "sink_file": finding.location.path,
        "sink_function": finding.scope.rsplit(".", 1)[-1],
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
    ensure_sandbox()
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
                outcome=ExploitOutcome.ERROR, detail=f"timed out after {timeout_s:g} s"
            )
        try:
            data = json.loads(read_untrusted(output / "exploit.json", _MAX_RESULT_BYTES))
        except (OSError, ValueError) as e:
            tail = log.read_text(encoding="utf-8", errors="replace")[-800:].strip()
            return ExploitResult(
                outcome=ExploitOutcome.ERROR,
                detail=f"no result from the exploit (exit {run.exit_code}): {e}; {tail}",
            )
        return _result(data)
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
