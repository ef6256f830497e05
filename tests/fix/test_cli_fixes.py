"""``mamori fixes show/export`` on a real run: the fix-record document of the stored patches."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.e2e.helpers import mamori

APP = """\
import subprocess

import yaml


def load(text):
    return yaml.load(text, Loader=yaml.Loader)


def ping(host):
    return subprocess.run(f"ping -c 1 {host}", shell=True, check=False)
"""
TESTS = """\
from app import load


def test_load():
    assert load("a: 1") == {"a": 1}
"""


def test_export_and_show(make_repo: Callable[[dict[str, str]], Path], tmp_path: Path) -> None:
    root = make_repo({"app.py": APP, "tests/test_app.py": TESTS, "tests/__init__.py": ""})
    run = mamori("run", str(root), "--json", actor="alice")
    assert run.returncode == 0, run.stdout + run.stderr
    out = tmp_path / "fixes.json"
    proc = mamori("fixes", "export", "-o", str(out), "-C", str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(out.read_text())
    assert doc["format"] == "mamori-fix-record" and doc["version"] == "1.0"
    by_fixer = {r["fixer"]["id"]: r for r in doc["records"]}
    assert {"mamori:fix/yaml-safe-load", "mamori:fix/subprocess-shell"} <= set(by_fixer)
    yaml_rec = by_fixer["mamori:fix/yaml-safe-load"]
    assert yaml_rec["fixer"]["strategy"] == "deterministic"
    assert yaml_rec["risk"]["class"] == "low"
    assert yaml_rec["finding"]["cwe"] == 502 and yaml_rec["finding"]["path"] == "app.py"
    assert "+    return yaml.safe_load(text)" in yaml_rec["diff"]
    assert yaml_rec["verification"]["status"] == "verified"
    assert {c["name"] for c in yaml_rec["verification"]["checks"]} == {
        "parses",
        "finding_gone",
        "no_new_findings",
        "tests_same",
    }
    shown = mamori("fixes", "show", yaml_rec["patch_id"][:8], "-C", str(root))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["records"] == [yaml_rec]
