"""Fixtures for the delivery tests (helpers live in deliver_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deliver.deliver_support import make_project


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, str]:
    """(root, base commit) of a tiny project with a passing test file."""
    root = tmp_path / "project"
    return root, make_project(root)
