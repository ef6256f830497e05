"""Validators for the disclosure documents, from the schemas in ../shared/specs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"


def _load(rel: str) -> dict[str, Any]:
    path = SPECS / rel
    if not path.is_file():
        pytest.skip(f"the schema is not at {path}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validator(rel: str, *, extra: dict[str, str] | None = None) -> Callable[[Any], None]:
    """A function asserting that a document is valid (with format checks) against ``rel``."""
    schema = _load(rel)
    registry: Registry[Any] = Registry()
    for uri, local in (extra or {}).items():
        registry = registry.with_resource(uri, Resource.from_contents(_load(local)))
    cls = jsonschema.validators.validator_for(schema)
    v = cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)

    def validate(doc: Any) -> None:
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors[:20])

    return validate


def csaf() -> Callable[[Any], None]:
    return validator(
        "csaf-2.0/csaf_json_schema.json",
        extra={
            "https://www.first.org/cvss/cvss-v2.0.json": "csaf-2.0/cvss-v2.0.json",
            "https://www.first.org/cvss/cvss-v3.0.json": "csaf-2.0/cvss-v3.0.json",
            "https://www.first.org/cvss/cvss-v3.1.json": "csaf-2.0/cvss-v3.1.json",
        },
    )


def openvex() -> Callable[[Any], None]:
    return validator("openvex/openvex_json_schema.json")


def osv() -> Callable[[Any], None]:
    return validator("osv/schema.json")
