"""Attestations and evidence bundles: export, offline verification, and each tampering named."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import text

from mamori.domain import PatchId, RunId
from mamori.errors import LedgerTamperedError
from mamori.ledger.attest import PREDICATE_TYPE, SCHEMA_PATH
from mamori.ledger.evidence import ExportOptions, export_bundle, verify_bundle
from mamori.ledger.keys import Ed25519FileSigner
from mamori.ledger.service import Ledger
from mamori.store.sql import SqlStore

Bundle = dict[str, bytes]


def statement_of(store: SqlStore, patch_id: str) -> dict[str, object]:
    (att,) = store.attestations(patch_id=patch_id)
    envelope = json.loads(att.envelope)
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    result: dict[str, object] = json.loads(base64.b64decode(envelope["payload"]))
    return result


def test_attestation_content_and_schema(
    store: SqlStore, ledger: Ledger, delivered_patch: tuple[RunId, PatchId]
) -> None:
    _, patch_id = delivered_patch
    statement = statement_of(store, patch_id)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == PREDICATE_TYPE
    rec = store.get_patch(patch_id)
    assert rec.delivery is not None
    import hashlib

    assert statement["subject"] == [
        {
            "name": "patch.diff",
            "digest": {"sha256": hashlib.sha256(rec.patch.diff.encode()).hexdigest()},
        },
        {"name": "commit", "digest": {"gitCommit": rec.delivery.commit}},
    ]
    predicate = statement["predicate"]
    assert isinstance(predicate, dict)
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator(schema).validate(predicate)
    assert predicate["finding"]["rule"] == "bandit:B608" and predicate["finding"]["cwe"] == 89
    assert predicate["decision"] == {"outcome": "review", "rule": "high-risk", "reasons": ["x"]}
    assert predicate["approvers"] == [{"reviewer": "bob", "verdict": "approved", "reason": "lgtm"}]
    assert predicate["verification"]["tests_after"]["passed"] == 7
    assert {c["check"] for c in predicate["verification"]["checks"]} == {
        "finding_gone",
        "no_new_findings",
        "parses",
        "tests_same",
    }
    assert ledger.audit().ok


def test_attestation_for_a_different_patch_is_named(
    store: SqlStore, ledger: Ledger, delivered_patch: tuple[RunId, PatchId]
) -> None:
    _, patch_id = delivered_patch
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE patches SET diff = diff || '+evil\n' WHERE id = :p"), {"p": patch_id}
        )
    report = ledger.audit()
    assert report.problem == (
        f"attestation 1 (patch {patch_id}): it attests a different patch "
        "(the diff's SHA-256 does not match its subject)"
    )


def test_attestation_forged_signature_is_named(
    store: SqlStore, ledger: Ledger, delivered_patch: tuple[RunId, PatchId]
) -> None:
    (att,) = store.attestations()
    env = json.loads(att.envelope)
    payload = json.loads(base64.b64decode(env["payload"]))
    payload["predicate"]["approvers"] = [
        {"reviewer": "mallory", "verdict": "approved", "reason": ""}
    ]
    env["payload"] = base64.b64encode(json.dumps(payload).encode()).decode()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_attestations SET envelope = :e"), {"e": json.dumps(env)})
    report = ledger.audit()
    assert report.problem is not None
    assert report.problem.endswith(
        "signature by key " + ledger.public_key().key_id.hex() + " does not verify (forged)"
    )


# --- bundles -------------------------------------------------------------------------------
@pytest.fixture
def bundle(
    store: SqlStore,
    ledger: Ledger,
    delivered_patch: tuple[RunId, PatchId],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    run_id, _ = delivered_patch
    # export_bundle reads the ledger settings from the repository root: point them at ours.
    monkeypatch.setenv("MAMORI_LEDGER_KEY", str(ledger.settings.key_path))
    monkeypatch.setenv("MAMORI_LEDGER_ORIGIN", ledger.settings.origin)
    monkeypatch.setenv("MAMORI_LEDGER_WITNESS_DIR", str(ledger.settings.witness_dir))
    store.record("run.completed", actor="alice", run_id=run_id, subject=run_id)
    out = tmp_path / "bundle.zip"
    # The attestation's checkpoint does not cover run.completed: export adds a second one.
    summary = export_bundle(store, tmp_path, ExportOptions(run_id=run_id, output=out))
    assert (summary.events, summary.checkpoints, summary.attestations) == (8, 2, 1)
    return out


def read_zip(path: Path) -> Bundle:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, files: Bundle) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    return path


def test_bundle_verifies_offline_with_both_verifiers(
    bundle: Path, ledger: Ledger, tmp_path: Path
) -> None:
    summary = verify_bundle(bundle, pinned_key=ledger.public_key().vkey)
    assert (summary.events, summary.attestations) == (8, 1)
    files = read_zip(bundle)
    assert {
        "README.md",
        "manifest.json",
        "events.jsonl",
        "public_keys.txt",
        "verify.py",
        "proofs/inclusion.json",
        "proofs/consistency.json",
    } <= set(files)
    script = tmp_path / "verify.py"
    script.write_bytes(files["verify.py"])
    # A clean interpreter where mamori and every database driver cannot be imported and any
    # socket raises: the bundle's verify.py needs only the stdlib and cryptography, no
    # database and no network.
    guard = (
        "import runpy, socket, sys\n"
        "for m in ('mamori', 'sqlalchemy', 'sqlite3', 'psycopg', 'psycopg2', 'urllib.request'):\n"
        "    sys.modules[m] = None\n"
        "def no_network(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket = socket.create_connection = socket.getaddrinfo = no_network\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            guard,
            str(script),
            str(bundle),
            "--key",
            ledger.public_key().vkey,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK: run ")
    # The same guard does bite: a script that imports mamori fails under it.
    probe = tmp_path / "probe.py"
    probe.write_text("import mamori\n")
    assert (
        subprocess.run(
            [sys.executable, "-I", "-c", guard, str(probe)], capture_output=True, check=False
        ).returncode
        != 0
    )


def events_lines(files: Bundle) -> list[bytes]:
    return [x for x in files["events.jsonl"].split(b"\n") if x]


def edit_event(files: Bundle) -> Bundle:
    lines = events_lines(files)
    lines[1] = lines[1].replace(b'"actor":"bandit"', b'"actor":"mallory"')
    return {**files, "events.jsonl": b"\n".join(lines) + b"\n"}


def reorder_events(files: Bundle) -> Bundle:
    # Claim that event 2 came after event 3: swap their sequence numbers.
    lines = events_lines(files)
    a, b = json.loads(lines[1]), json.loads(lines[2])
    a["seq"], b["seq"] = b["seq"], a["seq"]
    lines[1], lines[2] = (json.dumps(x, ensure_ascii=False).encode() for x in (b, a))
    return {**files, "events.jsonl": b"\n".join(lines) + b"\n"}


def insert_event(files: Bundle) -> Bundle:
    lines = events_lines(files)
    extra = json.loads(lines[1])
    extra["seq"], extra["actor"] = 3, "mallory"
    lines.insert(2, json.dumps(extra).encode())
    return {**files, "events.jsonl": b"\n".join(lines) + b"\n"}


def other_patch(files: Bundle) -> Bundle:
    (name,) = [n for n in files if n.startswith("patches/")]
    return {**files, name: files[name] + b"+evil\n"}


def forge_checkpoint(files: Bundle) -> Bundle:
    name = sorted(n for n in files if n.startswith("checkpoints/"))[-1]
    body, sig = files[name].decode().split("\n\n")
    lines = body.split("\n")
    lines[2] = base64.b64encode(bytes(32)).decode()
    return {**files, name: ("\n".join(lines) + "\n\n" + sig).encode()}


def rewrite_consistency(files: Bundle) -> Bundle:
    proofs = json.loads(files["proofs/consistency.json"])
    proofs[0]["path"][0] = "00" * 32
    return {**files, "proofs/consistency.json": json.dumps(proofs).encode()}


def truncate_checkpoints(files: Bundle) -> Bundle:
    # Keep the events, drop their proofs' checkpoint: the proofs then target a missing tree.
    names = sorted(n for n in files if n.startswith("checkpoints/"))
    return {n: d for n, d in files.items() if n != names[-1]}


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (edit_event, "event 2 (scan.completed): not included in the latest checkpoint"),
        (reorder_events, "event 2 (scan.completed): not included in the latest checkpoint"),
        (rewrite_consistency, "checkpoints/000002.note: not consistent with checkpoints/000001"),
        (insert_event, "event 3 (scan.completed): not included in the latest checkpoint"),
        (other_patch, "attests a different patch"),
        (forge_checkpoint, "does not verify (forged)"),
        (truncate_checkpoints, "proof is not for the latest checkpoint"),
    ],
)
def test_tampered_bundle_is_named(
    bundle: Path, tmp_path: Path, tamper: Callable[[Bundle], Bundle], expected: str
) -> None:
    bad = write_zip(tmp_path / "bad.zip", tamper(read_zip(bundle)))
    with pytest.raises(LedgerTamperedError, match="FAILED") as info:
        verify_bundle(bad)
    assert expected in info.value.message


def test_bundle_wrong_key(bundle: Path) -> None:
    other = Ed25519FileSigner.generate(name="mamori.test/log").public_key.vkey
    with pytest.raises(
        LedgerTamperedError, match=r"not signed by the expected key .* \(wrong key\)"
    ):
        verify_bundle(bundle, pinned_key=other)
