"""The CLI on small real repositories: review (four eyes), rollback, and every bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git
from tests.e2e.helpers import mamori, mamori_json

APP = """\
import subprocess

import yaml


def load(text):
    return yaml.load(text, Loader=yaml.Loader)


def ping(host):
    return subprocess.run(f"ping -c 1 {host}", shell=True, check=False)


API_TOKEN = "tok_live_9f8e7d6c5b4a3f2e1d0c7b6a"
"""
CONFTEST = """\
import os

os.environ.setdefault("API_TOKEN", "test-token")
"""
TESTS = """\
from app import load


def test_load():
    assert load("a: 1") == {"a": 1}
"""


@pytest.fixture
def small_repo(make_repo: Callable[[dict[str, str]], Path]) -> Path:
    return make_repo(
        {
            "app.py": APP,
            "tests/test_app.py": TESTS,
            "tests/__init__.py": "",
            "tests/conftest.py": CONFTEST,
        }
    )


def _run(root: Path, actor: str = "alice", *extra: str) -> dict:
    proc = mamori("run", str(root), "--json", *extra, actor=actor)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def test_run_review_four_eyes_and_rollback(small_repo: Path) -> None:
    s = _run(small_repo)
    outcomes = {p["patch"]["fixer_id"]: p for p in s["patches"]}
    accepted = [p for p in s["patches"] if p["outcome"] == "auto_accept"]
    review = [p for p in s["patches"] if p["outcome"] == "review"]
    assert accepted and review, outcomes
    pid = review[0]["patch"]["id"]

    own = mamori("review", "approve", pid, "--repo", str(small_repo), actor="alice")
    assert own.returncode == 11 and "four eyes" in own.stderr

    ok = mamori("review", "approve", pid, "--repo", str(small_repo), actor="bob")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    branch = s["branch"]
    assert pid in git(small_repo, "log", "--format=%B", branch)

    again = mamori("review", "approve", pid, "--repo", str(small_repo), actor="carol")
    assert again.returncode == 11  # no longer in review

    delivered = accepted[0]["patch"]["id"]
    rb = mamori("rollback", delivered, "--repo", str(small_repo), actor="bob")
    assert rb.returncode == 0, rb.stdout + rb.stderr
    assert "Revert" in git(small_repo, "log", "-1", "--format=%s", branch)
    shown = mamori_json("show", delivered, "--repo", str(small_repo))
    assert shown["state"] == "rolled_back" and shown["rollback_commit"]
    assert mamori("ledger", "verify", "--repo", str(small_repo)).returncode == 0
    kinds = [e["kind"] for e in mamori_json("ledger", "show", "--repo", str(small_repo))]
    for k in (
        "run.started",
        "scan.completed",
        "triage.completed",
        "patch.verified",
        "gate.decided",
        "patch.delivered",
        "review.approved",
        "patch.rolled_back",
    ):
        assert k in kinds


def test_reject_records_the_reason(small_repo: Path) -> None:
    s = _run(small_repo)
    pid = next(p["patch"]["id"] for p in s["patches"] if p["outcome"] == "review")
    no_reason = mamori("review", "reject", pid, "--repo", str(small_repo), actor="bob")
    assert no_reason.returncode == 2  # --reason is required
    r = mamori(
        "review",
        "reject",
        pid,
        "--reason",
        "needs a vault lookup",
        "--repo",
        str(small_repo),
        actor="bob",
    )
    assert r.returncode == 0, r.stderr
    shown = mamori_json("show", pid, "--repo", str(small_repo))
    assert shown["state"] == "rejected"
    assert shown["reviews"][0]["reason"] == "needs a vault lookup"
    # The same patch is not proposed again on the next run.
    s2 = _run(small_repo, "alice")
    assert pid not in [p["patch"]["id"] for p in s2["patches"]]


def test_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = mamori("run", str(tmp_path))
    assert proc.returncode == 3
    assert str(tmp_path) in proc.stderr and "git" in proc.stderr
    missing = mamori("run", str(tmp_path / "nope"))
    assert missing.returncode == 3 and "nope" in missing.stderr
    assert not (tmp_path / ".mamori").exists()


def test_repository_without_tests(make_repo: Callable[[dict[str, str]], Path]) -> None:
    root = make_repo({"app.py": APP})
    proc = mamori("run", str(root), actor="alice")
    assert proc.returncode == 9, proc.stdout + proc.stderr
    assert "no tests" in proc.stdout + proc.stderr
    s = mamori_json("review", "list", "--repo", str(root))
    assert s, "patches wait for review instead of being auto-accepted"
    assert mamori("ledger", "verify", "--repo", str(root)).returncode == 0


def test_unparsable_binary_and_huge_files_are_not_analysed(
    make_repo: Callable[[dict[str, str]], Path],
) -> None:
    root = make_repo(
        {"app.py": APP, "broken.py": "def f(:\n    pass\n", "huge.py": "x = 1\n" * 400_000}
    )
    (root / "blob.py").write_bytes(b"\x00\x01\x02binary")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "more")
    proc = mamori("scan", str(root), "--format", "json")
    assert proc.returncode == 12, proc.stderr
    data = json.loads(proc.stdout)
    reasons = {n["path"]: n["reason"] for n in data["not_analysed"]}
    assert "syntax error" in reasons["broken.py"]
    assert "binary" in reasons["blob.py"]
    assert "over the limit" in reasons["huge.py"]
    assert data["findings"], "the readable file is still analysed"
    table = mamori("scan", str(root))
    assert table.returncode == 12 and "NOT ANALYSED" in table.stdout and "broken.py" in table.stdout


def test_newer_python_syntax_is_never_reported_clean(
    make_repo: Callable[[dict[str, str]], Path],
) -> None:
    code = "type Pair = tuple[int, int]\n\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n"
    root = make_repo({"modern.py": code})
    proc = mamori("scan", str(root), "--format", "json")
    data = json.loads(proc.stdout)
    # The inventory parses it with LibCST (no engine-less "not analysed" entry); an engine that
    # cannot read it is named, and the scan says it is incomplete.
    assert all(n["engine"] for n in data["not_analysed"])
    if data["not_analysed"]:
        assert proc.returncode == 12
        assert {n["path"] for n in data["not_analysed"]} == {"modern.py"}


def test_missing_engine(small_repo: Path) -> None:
    proc = mamori("scan", str(small_repo), "--engine", "nosuch")
    assert proc.returncode == 5 and "nosuch" in proc.stderr


def test_corrupt_sarif_import(small_repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sarif"
    bad.write_text('{"version": "2.1.0", "runs": [')
    proc = mamori("scan", str(small_repo), "--import", str(bad))
    assert proc.returncode == 6 and "bad.sarif" in proc.stderr
    wrong = tmp_path / "wrong.sarif"
    wrong.write_text('{"version": "2.1.0", "runs": [{"tool": {}}]}')
    proc = mamori("scan", str(small_repo), "--import", str(wrong))
    assert proc.returncode == 6 and "wrong.sarif" in proc.stderr


def test_bad_policy_file_and_state_stays_intact(small_repo: Path, tmp_path: Path) -> None:
    _run(small_repo)
    db = small_repo / ".mamori" / "mamori.db"
    before = len(mamori_json("ledger", "show", "--repo", str(small_repo)))
    bad = tmp_path / "policy.toml"
    bad.write_text('version = 1\ndefault = "auto_accept"\n')
    proc = mamori("run", str(small_repo), "--policy", str(bad))
    assert proc.returncode == 4 and "default" in proc.stderr
    assert db.exists()
    assert mamori("ledger", "verify", "--repo", str(small_repo)).returncode == 0
    assert len(mamori_json("ledger", "show", "--repo", str(small_repo))) == before


def test_bad_config_file(small_repo: Path) -> None:
    (small_repo / "mamori.toml").write_text("[asset]\ncriticality = 'extreme'\n")
    proc = mamori("scan", str(small_repo))
    assert proc.returncode == 4 and "asset.criticality" in proc.stderr


def test_unknown_ids(small_repo: Path) -> None:
    _run(small_repo)
    assert mamori("show", "F-doesnotexist", "--repo", str(small_repo)).returncode == 10
    assert (
        mamori("review", "approve", "P-nope", "--repo", str(small_repo), actor="bob").returncode
        == 10
    )


def test_sarif_output_is_valid(small_repo: Path, tmp_path: Path) -> None:
    import jsonschema

    from tests.conftest import SHARED

    schema_path = SHARED / "specs" / "sarif" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.skip(f"{schema_path} not present")
    out = tmp_path / "out.sarif"
    proc = mamori("scan", str(small_repo), "--format", "sarif", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    log = json.loads(out.read_text())
    jsonschema.validate(log, json.loads(schema_path.read_text()))
    results = log["runs"][0]["results"]
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert results
    for r in results:
        cwe = r["properties"]["cwe"]
        assert cwe.startswith("CWE-")
        assert f"external/cwe/cwe-{cwe[4:]}" in rules[r["ruleId"]]["properties"]["tags"]
        assert r["partialFingerprints"]
        assert r["properties"]["severity"] and r["properties"]["confidence"]


def test_help_explains_every_command() -> None:
    for args in (
        ["--help"],
        ["scan", "--help"],
        ["run", "--help"],
        ["review", "--help"],
        ["ledger", "verify", "--help"],
        ["rollback", "--help"],
        ["findings", "--help"],
    ):
        proc = mamori(*args)
        assert proc.returncode == 0 and "Usage" in proc.stdout, args
