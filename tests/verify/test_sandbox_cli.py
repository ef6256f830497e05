"""`mamori run --unsafe-no-sandbox`: recorded in the ledger, nothing auto-accepted.

(That a sandboxed run records the sandbox and its self-test digest with every verification is
shown by test_checks.py::test_verified on the Verification the pipeline records.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.e2e.helpers import mamori, mamori_json

APP = """\
import yaml


def load(text):
    return yaml.load(text, Loader=yaml.Loader)
"""
TESTS = """\
from app import load


def test_load():
    assert load("a: 1") == {"a": 1}
"""


def test_unsafe_no_sandbox_blocks_auto_accept_and_is_recorded(
    make_repo: Callable[[dict[str, str]], Path],
) -> None:
    root = make_repo({"app.py": APP, "tests/__init__.py": "", "tests/test_app.py": TESTS})
    proc = mamori("run", str(root), "--json", "--unsafe-no-sandbox", actor="alice")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    s = json.loads(proc.stdout)
    assert s["patches"], "the yaml.load finding gets a deterministic patch"
    for p in s["patches"]:
        assert p["outcome"] != "auto_accept", p
        tests_same = [c for c in p["verification"]["checks"] if c["name"] == "tests_same"]
        assert tests_same[0]["status"] == "not_run"
        assert "UNSAFE" in tests_same[0]["detail"]
        assert "UNSAFE: no sandbox" in p["verification"]["environment"]
    events = mamori_json("ledger", "show", "--repo", str(root))
    kinds = [e["kind"] for e in events]
    assert "sandbox.disabled" in kinds
    verified = [e for e in events if e["kind"] == "patch.verified"]
    assert verified and all("UNSAFE" in e["payload"]["environment"] for e in verified)
