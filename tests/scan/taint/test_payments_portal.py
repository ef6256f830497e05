"""The engine on the bundled demo app (examples/payments-portal).

Checked against tests/e2e/payments_portal_expected.toml (written with the app): every planted
vulnerability except dependency ones is found in the right function (CWE and the line text
match) and no safe look-alike is flagged.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from mamori.domain import RawFinding
from mamori.scan.interface import ScanTarget
from mamori.scan.source import SourceFile
from mamori.scan.taint import TaintScanner

REPO = Path(__file__).resolve().parents[3]
APP = REPO / "examples" / "payments-portal"
MANIFEST = REPO / "tests" / "e2e" / "payments_portal_expected.toml"

pytestmark = pytest.mark.skipif(not (APP / "portal").is_dir(), reason="demo app not present")


@pytest.fixture(scope="module")
def findings() -> list[RawFinding]:
    sources = {}
    for p in sorted(APP.rglob("*.py")):
        rel = p.relative_to(APP).as_posix()
        sources[rel] = SourceFile.parse(rel, p.read_text("utf-8"))
    target = ScanTarget(root=APP, files=tuple(sources), sources=sources)
    report = TaintScanner().scan(target)
    assert not report.not_analysed
    return list(report.findings)


def _norm(path: str) -> str:
    return path.removeprefix("examples/payments-portal/")


def _lines(f: RawFinding) -> str:
    text = (APP / f.location.path).read_text("utf-8").splitlines()
    end = f.location.end_line or f.location.start_line
    return "\n".join(text[f.location.start_line - 1 : end])


def _matches(f: RawFinding, entry: dict[str, Any]) -> bool:
    cwes = entry.get("cwe") or []
    if isinstance(cwes, int):
        cwes = [cwes]
    if cwes and f.cwe not in cwes:
        return False
    if f.location.path != _norm(str(entry.get("path", f.location.path))):
        return False
    function = str(entry.get("function", "") or "")
    if function and f.scope.split(".")[-1] != function.rsplit(".", maxsplit=1)[-1]:
        return False
    needle = str(entry.get("line_contains", "") or "")
    return not needle or needle in _lines(f)


def _is_dependency(entry: dict[str, Any]) -> bool:
    path = str(entry.get("path", ""))
    kind = str(entry.get("kind", entry.get("type", "")))
    return kind == "dependency" or "package" in entry or not path.endswith(".py")


def _manifest() -> dict[str, Any]:
    if not MANIFEST.exists():
        pytest.skip(f"{MANIFEST.relative_to(REPO)} not written yet")
    return tomllib.loads(MANIFEST.read_text("utf-8"))


def test_every_planted_vulnerability_found(findings: list[RawFinding]) -> None:
    vulns = [v for v in _manifest().get("vulnerability", []) if not _is_dependency(v)]
    assert vulns
    missed = [v for v in vulns if not any(_matches(f, v) for f in findings)]
    assert not missed, f"missed: {missed}"


def test_no_safe_look_alike_flagged(findings: list[RawFinding]) -> None:
    safes = _manifest().get("safe", [])
    assert safes
    flagged = {
        str(s): [f"{f.rule_id} {f.location}" for f in findings if _matches(f, s)] for s in safes
    }
    assert not {k: v for k, v in flagged.items() if v}


# Independent of the manifest: the spec's planted flaws (examples spec, items 1-10).
PLANTED = [
    (89, "portal/accounts.py", "search"),
    (79, "portal/accounts.py", "search"),
    (78, "portal/admin.py", "export"),
    (22, "portal/statements.py", "download"),
    (502, "portal/transfers.py", "import_batch"),
    (916, "portal/security.py", "hash_password"),
    (330, "portal/security.py", None),
    (601, "portal/auth.py", "login"),
    (614, "portal/auth.py", "login"),
    (798, None, None),
]


@pytest.mark.parametrize(("cwe", "path", "function"), PLANTED)
def test_spec_planted(
    findings: list[RawFinding], cwe: int, path: str | None, function: str | None
) -> None:
    hits = [
        f
        for f in findings
        if f.cwe == cwe
        and (path is None or f.location.path == path)
        and (function is None or f.scope.split(".")[-1] == function)
    ]
    assert hits, f"CWE-{cwe} not reported in {path}:{function}"


@pytest.mark.parametrize(
    ("path", "function"),
    [
        ("portal/accounts.py", "detail"),
        ("portal/admin.py", "health"),
        ("portal/statements.py", "preview"),
    ],
)
def test_spec_safe_functions_clean(findings: list[RawFinding], path: str, function: str) -> None:
    assert not [f for f in findings if f.location.path == path and f.scope.endswith(function)]


def test_findings_carry_flows(findings: list[RawFinding]) -> None:
    sqli = next(f for f in findings if f.cwe == 89)
    assert sqli.rule_id == "mamori:python/sql-injection"
    assert sqli.flow[0].message.startswith("source:")
    assert sqli.flow[-1].message.startswith("sink:")
    assert sqli.scope == "search"
