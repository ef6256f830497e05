"""The bundled demo app: its own test suite passes, and the e2e manifest matches its code."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "examples" / "payments-portal"
MANIFEST = ROOT / "tests" / "e2e" / "payments_portal_expected.toml"


def _manifest() -> dict[str, list[dict[str, Any]]]:
    with MANIFEST.open("rb") as fh:
        return tomllib.load(fh)


def _entries() -> list[dict[str, Any]]:
    data = _manifest()
    return data["vulnerability"] + data["safe"]


def _function_spans(tree: ast.Module) -> dict[str, tuple[int, int]]:
    """Map each function qualname to its (first, last) line, decorators excluded."""
    spans: dict[str, tuple[int, int]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                spans[name] = (child.lineno, child.end_lineno or child.lineno)
                visit(child, f"{name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return spans


def _matching_lines(entry: dict[str, Any]) -> list[int]:
    path = APP / entry["path"]
    lines = path.read_text(encoding="utf-8").splitlines()
    candidates = range(1, len(lines) + 1)
    if path.suffix == ".py":
        spans = _function_spans(ast.parse("\n".join(lines)))
        if entry["function"]:
            assert entry["function"] in spans, f"{entry['id']}: no function {entry['function']}"
            first, last = spans[entry["function"]]
            candidates = range(first, last + 1)
        else:
            inside = {n for first, last in spans.values() for n in range(first, last + 1)}
            candidates = [n for n in candidates if n not in inside]
    else:
        assert entry["function"] == "", f"{entry['id']}: only Python files have functions"
    return [n for n in candidates if entry["line_contains"] in lines[n - 1]]


def test_example_suite_passes_from_a_copy(tmp_path: Path) -> None:
    # Mamori copies the app into temporary repositories, so the suite must not rely on its
    # location in this tree.
    copy = tmp_path / "payments-portal"
    shutil.copytree(
        APP, copy, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "instance")
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout


def test_manifest_is_well_formed() -> None:
    data = _manifest()
    assert data["vulnerability"] and data["safe"]
    ids = [entry["id"] for entry in _entries()]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for entry in _entries():
        assert {"id", "cwe", "path", "function", "line_contains"} <= entry.keys(), entry
        assert entry["cwe"] and all(isinstance(c, int) and c > 0 for c in entry["cwe"]), entry
        assert (APP / entry["path"]).is_file(), entry


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["id"])
def test_manifest_entry_points_at_exactly_one_line(entry: dict[str, Any]) -> None:
    matches = _matching_lines(entry)
    assert len(matches) == 1, f"{entry['id']}: {entry['line_contains']!r} matches lines {matches}"


def test_manifest_covers_every_planted_class() -> None:
    planted = {
        cwe
        for entry in _manifest()["vulnerability"]
        if entry.get("planted", True)
        for cwe in entry["cwe"][:1]
    }
    assert {89, 78, 22, 502, 916, 330, 79, 601, 614, 798, 1395} <= planted


def test_app_is_independent_of_mamori() -> None:
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "mamori" for n in names), path
