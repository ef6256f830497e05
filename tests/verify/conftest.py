"""Fixtures for the verify tests (helpers live in verify_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.domain import Finding
from tests.verify.verify_support import make_project, regex_rescan, to_finding


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, str]:
    """(root, base commit) of the tiny project with tests."""
    root = tmp_path / "project"
    return root, make_project(root)


@pytest.fixture
def sql_finding(project: tuple[Path, str]) -> Finding:
    root, _ = project
    report = regex_rescan(root, ["app/db.py"])
    (raw,) = [f for f in report.findings if f.cwe == 89]
    return to_finding(raw)
