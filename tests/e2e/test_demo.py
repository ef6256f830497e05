"""The foundation's acceptance, end to end, on a fresh copy of the bundled example."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from mamori.demo import prepare_demo_repo
from tests.conftest import EXAMPLE, git
from tests.e2e.helpers import mamori, mamori_json

pytestmark = pytest.mark.slow

EXPECTED = tomllib.loads((Path(__file__).parent / "payments_portal_expected.toml").read_text())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    before = {
        p: p.read_bytes()
        for p in EXAMPLE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    repo = prepare_demo_repo(EXAMPLE, tmp_path_factory.mktemp("demo"))
    proc = mamori("run", str(repo.root), "--json", actor="operator")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run1 = json.loads(proc.stdout)
    summary = mamori_json("findings", "--status", "all", "--repo", str(repo.root))
    after = {
        p: p.read_bytes()
        for p in EXAMPLE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    return {
        "root": repo.root,
        "head": repo.head,
        "run1": run1,
        "findings": summary,
        "example_unchanged": before == after,
    }


def _open(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["status"] not in ("suppressed", "false_positive")]


def _matches(f: dict[str, Any], item: dict[str, Any], root: Path) -> bool:
    if f["location"]["path"] != item["path"] or f["cwe"] not in item["cwe"]:
        return False
    if item.get("function") and f.get("scope", "").split(".")[-1] != item["function"]:
        return False
    if item.get("line_contains"):
        lines = (root / f["location"]["path"]).read_text().splitlines()
        text = lines[f["location"]["start_line"] - 1] if f["location"]["start_line"] else ""
        snippet = f.get("snippet", "")
        if item["line_contains"] not in text and item["line_contains"] not in snippet:
            return False
    return True


def test_the_example_is_never_modified(demo: dict[str, Any]) -> None:
    assert demo["example_unchanged"]


def test_every_planted_vulnerability_is_found(demo: dict[str, Any]) -> None:
    found = _open(demo["findings"])
    missing = [
        v["id"]
        for v in EXPECTED["vulnerability"]
        if not any(_matches(f, v, demo["root"]) for f in found)
    ]
    assert missing == []


def test_no_safe_look_alike_is_flagged(demo: dict[str, Any]) -> None:
    found = _open(demo["findings"])
    flagged = [
        s["id"] for s in EXPECTED["safe"] if any(_matches(f, s, demo["root"]) for f in found)
    ]
    assert flagged == []


def test_at_least_five_verified_fixes_are_committed_and_the_rest_wait_for_review(
    demo: dict[str, Any],
) -> None:
    root = demo["root"]
    runs = mamori_json("runs", "--repo", str(root))
    branch = runs[0]["branch"]
    assert branch and branch.startswith("mamori/")
    log = git(root, "log", "--format=%H%x00%B%x1e", f"main..{branch}")
    commits = [c for c in log.split("\x1e") if c.strip()]
    assert len(commits) >= 5
    for c in commits:
        assert "Mamori-Patch: P-" in c and "CWE-" in c and "finding_gone passed" in c
    review = mamori_json("review", "list", "--repo", str(root))
    assert review, "the higher-risk fixes must wait for review"
    for r in review:
        assert r["decision"]["reasons"], r
    waiting = [p for p in demo["run1"]["patches"] if p["outcome"] == "review"]
    assert waiting and all(p["reasons"] for p in waiting)


def test_every_auto_accepted_fix_is_committed(demo: dict[str, Any]) -> None:
    """A patch that no longer applies after earlier commits is re-fixed on the branch tip,
    verified again, and committed."""
    patches = demo["run1"]["patches"]
    accepted = {p["patch"]["finding_id"] for p in patches if p["outcome"] == "auto_accept"}
    committed = {p["patch"]["finding_id"] for p in patches if p["commit"]}
    assert accepted == committed
    for p in patches:
        if p["delivery_error"]:
            assert "re-fixed on the branch tip" in p["delivery_error"]


def test_user_branch_and_working_tree_untouched(demo: dict[str, Any]) -> None:
    root = demo["root"]
    assert git(root, "rev-parse", "HEAD") == demo["head"]
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(root, "status", "--porcelain") == ""


def test_example_tests_pass_on_the_fix_branch(demo: dict[str, Any], tmp_path: Path) -> None:
    root = demo["root"]
    branch = mamori_json("runs", "--repo", str(root))[0]["branch"]
    wt = tmp_path / "wt"
    git(root, "worktree", "add", "--detach", str(wt), branch)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=wt,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout[-3000:]
    finally:
        git(root, "worktree", "remove", "--force", str(wt))


def test_ledger_verifies_and_detects_a_single_changed_byte(
    demo: dict[str, Any], tmp_path: Path
) -> None:
    root = demo["root"]
    assert mamori("ledger", "verify", "--repo", str(root)).returncode == 0
    db = root / ".mamori" / "mamori.db"
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    con = sqlite3.connect(copy)
    seq, payload = con.execute(
        "SELECT seq, payload FROM ledger_events WHERE kind = 'gate.decided' ORDER BY seq LIMIT 1"
    ).fetchone()
    i = payload.index(":") + 1
    tampered = payload[:i] + chr(ord(payload[i]) ^ 1) + payload[i + 1 :]
    con.execute("UPDATE ledger_events SET payload = ? WHERE seq = ?", (tampered, seq))
    con.commit()
    con.close()
    proc = mamori("ledger", "verify", "--repo", str(root), "--db", f"sqlite:///{copy}")
    assert proc.returncode == 8
    assert f"event {seq}" in proc.stderr


def test_second_run_reports_only_what_changed(demo: dict[str, Any]) -> None:
    root = demo["root"]
    proc = mamori("run", str(root), "--json", actor="operator")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["counts"]["new"] == 0 and s["counts"]["fixed"] == 0
    assert s["counts"]["still_open"] == s["counts"]["findings"]
    # Nothing decided before is proposed again; only a patch whose delivery failed (it did not
    # apply on top of the other commits of the run's branch) is retried on the new branch.
    earlier = {p["patch"]["finding_id"]: p for p in demo["run1"]["patches"]}
    for p in s["patches"]:
        before = earlier.get(p["patch"]["finding_id"])
        assert before is not None and before["delivery_error"], p["patch"]["id"]
    ids = [f["id"] for f in mamori_json("findings", "--status", "all", "--repo", str(root))]
    assert len(ids) == len(set(ids)) == len(demo["findings"])


def test_after_merging_the_fix_branch_fixed_findings_are_reported_fixed(
    demo: dict[str, Any],
) -> None:
    root = demo["root"]
    run1 = demo["run1"]
    delivered = {p["patch"]["finding_id"] for p in run1["patches"] if p["commit"]}
    assert len(delivered) >= 5
    git(root, "merge", "-q", "--ff-only", run1["branch"])
    proc = mamori("run", str(root), "--json", actor="operator")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["counts"]["new"] == 0
    fixed_ids = {f["id"] for f in s["fixed"]}
    assert delivered <= fixed_ids
