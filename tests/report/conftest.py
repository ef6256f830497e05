"""Fixtures for the report tests."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SARIF_SCHEMA = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "specs"
    / "sarif"
    / "sarif-schema-2.1.0.json"
)


@pytest.fixture(scope="session")
def sarif_validate() -> Callable[[Mapping[str, Any]], None]:
    """Validates a document against the SARIF 2.1.0 schema in ../shared/specs."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)

    def validate(doc: Mapping[str, Any]) -> None:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors)

    return validate


@pytest.fixture
def git_repo(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    def make(files: Mapping[str, str]) -> Path:
        root = tmp_path / "repo"
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        return root

    return make
