"""Every fixer, applied at the planted vulnerabilities of examples/payments-portal, keeps the
app's own test-suite passing (one fix at a time, on a fresh copy)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from mamori.domain import DependencyRef, Finding
from mamori.fix.stage import builtin_fixers, propose_fixes
from tests.fix.helpers import make_finding, reader

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "payments-portal"
# MAMORI_TEST_PORTAL_EXPECTED: point at another expectations file (used before the e2e one exists).
EXPECTED = Path(
    os.environ.get(
        "MAMORI_TEST_PORTAL_EXPECTED", ROOT / "tests" / "e2e" / "payments_portal_expected.toml"
    )
)

pytestmark = pytest.mark.slow

# What the dependency engine computes from the PyPA advisories (lowest version fixing every
# advisory of the pin): PyYAML PYSEC-2020-96 (5.4) + PYSEC-2021-142 (5.4.1); requests
# PYSEC-2018-28 (2.20.0).
FIXED_VERSIONS = {"pyyaml": "5.4.1", "requests": "2.20.0"}


def _vulnerabilities() -> list[dict[str, Any]]:
    if not EXPECTED.exists() or not EXAMPLE.exists():
        return []
    data = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
    return list(data.get("vulnerability", []))


def _repo_files(root: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        if (
            p.is_file()
            and "__pycache__" not in p.parts
            and p.suffix in {".py", ".txt", ".toml", ".yaml"}
        ):
            files[p.relative_to(root).as_posix()] = p.read_text(encoding="utf-8")
    return files


def _line(text: str, function: str, needle: str) -> int:
    lines = text.splitlines()
    start = 0
    if function:
        pattern = re.compile(rf"^\s*(async\s+)?def {re.escape(function)}\(")
        start = next((i for i, t in enumerate(lines) if pattern.match(t)), 0)
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1
    raise AssertionError(f"{needle!r} not found after def {function}")


def _finding(vuln: dict[str, Any], files: dict[str, str]) -> Finding | None:
    path = vuln["path"]
    cwes = [int(c) for c in vuln.get("cwe", [])]
    if not cwes or path not in files:
        return None
    if not path.endswith(".py"):
        line = _line(files[path], "", vuln["line_contains"])
        m = re.match(r"\s*([A-Za-z0-9._-]+)\s*==\s*(\S+)", files[path].splitlines()[line - 1])
        if m is None:
            return None
        package, version = m[1].lower(), m[2]
        fixed = vuln.get("fixed_version") or FIXED_VERSIONS.get(package)
        if fixed is None:
            return None
        dep = DependencyRef(
            package=package,
            version=version,
            manifest=path,
            advisory_id=str(vuln.get("id", "advisory")),
            fixed_versions=(str(fixed),),
        )
        return make_finding(cwe=1395, line=line, path=path, dependency=dep)
    line = _line(files[path], vuln.get("function", ""), vuln["line_contains"])
    snippet = files[path].splitlines()[line - 1]
    return make_finding(
        cwe=cwes[0],
        line=line,
        path=path,
        snippet=snippet,
        scope=vuln.get("function", ""),
        fid=f"F-{path}-{line}",
    )


VULNS = _vulnerabilities()


@pytest.mark.skipif(not VULNS, reason=f"{EXPECTED.name} or the example app does not exist yet")
@pytest.mark.parametrize(
    "vuln", VULNS, ids=[f"{v['path']}:{v.get('function', '')}:{v['cwe']}" for v in VULNS] or None
)
def test_fix_keeps_the_app_tests_passing(vuln: dict[str, Any], tmp_path: Path) -> None:
    files = _repo_files(EXAMPLE)
    finding = _finding(vuln, files)
    if finding is None:
        pytest.skip(f"no finding can be built for {vuln}")
    out = propose_fixes(
        [finding],
        read=reader(files),
        fixers=builtin_fixers(),
        requested_by="test",
        files=tuple(files),
    )
    assert out.patches, f"no patch: {out.unfixable}"
    (patch,) = out.patches
    copy = tmp_path / "app"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    (tmp_path / "fix.diff").write_text(patch.diff)
    subprocess.run(["git", "apply", str(tmp_path / "fix.diff")], cwd=copy, check=True)
    env = dict(os.environ)
    # A MEDIUM-risk secret fix needs the deployment to provide the variable: the test does.
    for name in re.findall(r'_require_env\("([A-Z0-9_]+)"\)', patch.diff):
        env[name] = f"test-{name.lower()}"
    if not vuln["path"].endswith(".py"):
        return  # the tests run against the installed packages, not the pins
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"],
        cwd=copy,
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{patch.diff}\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
