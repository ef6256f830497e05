"""Per-patch attestations: an in-toto Statement v1 in a DSSE envelope, signed with Ed25519.

Subjects: the patch diff (``sha256`` of its UTF-8 bytes) and the resulting commit
(``gitCommit``). The predicate (type :data:`PREDICATE_TYPE`, JSON schema in
``mamori/ledger/schemas/patch-attestation.schema.json`` and docs/ledger.md) records the finding,
the fixer, every verification result, the gate decision and its rule, the approvers, and the
signed ledger checkpoint with the inclusion proof of the ``patch.delivered`` event.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mamori import __version__
from mamori.domain import PatchId, TestSummary
from mamori.errors import Error, LedgerTamperedError
from mamori.ledger.keys import PublicKey, Signer
from mamori.ledger.merkle import verify_inclusion
from mamori.ledger.note import NoteError, parse_checkpoint
from mamori.store.interface import AttestationRecord, Store

if TYPE_CHECKING:
    from mamori.ledger.service import KeyTimeline, Ledger

__all__ = [
    "PAYLOAD_TYPE",
    "PREDICATE_TYPE",
    "STATEMENT_TYPE",
    "attest",
    "attest_delivery",
    "check_attestation",
    "dsse_pae",
    "dsse_sign",
    "dsse_verify",
    "statement_subjects",
]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
PREDICATE_TYPE = "https://mamori.dev/attestation/patch/v1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "patch-attestation.schema.json"


def dsse_pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding."""
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def dsse_sign(payload: bytes, signer: Signer, payload_type: str = PAYLOAD_TYPE) -> dict[str, Any]:
    sig = signer.sign(dsse_pae(payload_type, payload))
    return {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [
            {"keyid": signer.public_key.key_id.hex(), "sig": base64.b64encode(sig).decode("ascii")}
        ],
    }


def dsse_verify(envelope: dict[str, Any], keys: list[PublicKey]) -> bytes:
    """The payload, if one signature verifies with one of ``keys``; else LedgerTamperedError."""
    try:
        payload = base64.b64decode(envelope["payload"], validate=True)
        payload_type = str(envelope["payloadType"])
        signatures = list(envelope["signatures"])
    except (KeyError, TypeError, ValueError) as e:
        raise LedgerTamperedError(f"malformed DSSE envelope: {e}") from e
    message = dsse_pae(payload_type, payload)
    known = {k.key_id.hex(): k for k in keys}
    for s in signatures:
        key = known.get(str(s.get("keyid", "")))
        if key is None:
            continue
        try:
            sig = base64.b64decode(s.get("sig", ""), validate=True)
        except ValueError:
            continue
        if key.verify(sig, message):
            return payload
        raise LedgerTamperedError(
            f"the envelope's signature by key {key.key_id.hex()} does not verify (forged)"
        )
    ids = ", ".join(str(s.get("keyid")) for s in signatures) or "none"
    raise LedgerTamperedError(f"the envelope is not signed by a known key (key ids: {ids})")


def _tests(summary: TestSummary | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        "command": list(summary.command),
        "exit_code": summary.exit_code,
        "passed": summary.passed,
        "failed": summary.failed,
        "errors": summary.errors,
        "skipped": summary.skipped,
    }


def statement_subjects(diff: str, commit: str) -> list[dict[str, Any]]:
    return [
        {"name": "patch.diff", "digest": {"sha256": hashlib.sha256(diff.encode()).hexdigest()}},
        {"name": "commit", "digest": {"gitCommit": commit}},
    ]


def attest_delivery(
    store: Store,
    root: Path,
    *,
    patch_id: PatchId,
    delivered_seq: int,
    prompt_sha256: str | None = None,
) -> AttestationRecord:
    """Checkpoint the ledger, then sign and store the attestation of a delivered patch."""
    from mamori.ledger.service import Ledger

    return attest(
        Ledger.for_root(store, root),
        patch_id=patch_id,
        delivered_seq=delivered_seq,
        prompt_sha256=prompt_sha256,
    )


def attest(
    ledger: Ledger,
    *,
    patch_id: PatchId,
    delivered_seq: int,
    prompt_sha256: str | None = None,
) -> AttestationRecord:
    """:func:`attest_delivery` with a given :class:`~mamori.ledger.service.Ledger`."""
    store = ledger.store
    rec = store.get_patch(patch_id)
    if rec.delivery is None:
        raise LedgerTamperedError(f"patch {patch_id} has no delivery to attest")
    finding = store.get_finding(rec.patch.finding_id)
    checkpoint = ledger.checkpoint()
    proof = ledger.prove(delivered_seq, checkpoint)
    v = rec.verification
    predicate: dict[str, Any] = {
        "finding": {
            "id": finding.id,
            "rule": finding.rule_id,
            "cwe": finding.cwe,
            "fingerprint": finding.fingerprint,
            "path": finding.location.path,
        },
        "fixer": {
            "id": rec.patch.fixer_id,
            "version": __version__,
            "strategy": str(rec.patch.strategy),
            "prompt_sha256": prompt_sha256,
        },
        "verification": None
        if v is None
        else {
            "status": str(v.status),
            "environment": v.environment,
            "checks": [
                {"check": str(c.name), "status": str(c.status), "detail": c.detail}
                for c in v.checks
            ],
            "tests_before": _tests(v.tests_before),
            "tests_after": _tests(v.tests_after),
        },
        "decision": None
        if rec.decision is None
        else {
            "outcome": str(rec.decision.outcome),
            "rule": rec.decision.rule,
            "reasons": list(rec.decision.reasons),
        },
        "approvers": [
            {"reviewer": r.reviewer, "verdict": str(r.verdict), "reason": r.reason}
            for r in rec.reviews
        ],
        "requested_by": rec.patch.requested_by,
        "ledger": {
            "checkpoint": checkpoint.note,
            "event_seq": proof.seq,
            "leaf_index": proof.leaf_index,
            "tree_size": proof.tree_size,
            "leaf_hash": proof.leaf_hash,
            "inclusion_proof": list(proof.path),
        },
    }
    subjects = statement_subjects(rec.patch.diff, rec.delivery.commit)
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode("utf-8")
    envelope = dsse_sign(payload, ledger.signer)
    return store.save_attestation(
        patch_id=patch_id,
        run_id=rec.run_id,
        subject_sha256=subjects[0]["digest"]["sha256"],
        commit=rec.delivery.commit,
        envelope=json.dumps(envelope, sort_keys=True),
    )


def check_statement(
    statement: dict[str, Any], keys: list[PublicKey], *, diff: str | None, commit: str | None
) -> str | None:
    """Problems with a verified statement's content: subjects and the embedded proof."""
    if statement.get("_type") != STATEMENT_TYPE or statement.get("predicateType") != (
        PREDICATE_TYPE
    ):
        return "not a Mamori patch statement"
    digests = {s.get("name"): s.get("digest", {}) for s in statement.get("subject", [])}
    if diff is not None:
        actual = hashlib.sha256(diff.encode()).hexdigest()
        if digests.get("patch.diff", {}).get("sha256") != actual:
            return "it attests a different patch (the diff's SHA-256 does not match its subject)"
    if commit is not None and digests.get("commit", {}).get("gitCommit") != commit:
        return f"it attests a different commit than the delivered {commit[:12]}"
    led = statement.get("predicate", {}).get("ledger", {})
    try:
        cp = parse_checkpoint(str(led["checkpoint"]))
        for key in keys:
            try:
                parse_checkpoint(str(led["checkpoint"]), key)
                break
            except NoteError:
                continue
        else:
            return "its ledger checkpoint is not signed by a known key"
        verify_inclusion(
            int(led["leaf_index"]),
            cp.size,
            bytes.fromhex(led["leaf_hash"]),
            [bytes.fromhex(p) for p in led["inclusion_proof"]],
            cp.root,
        )
    except (KeyError, TypeError, ValueError, Error) as e:
        detail = e.message if isinstance(e, Error) else str(e)
        return f"its ledger inclusion proof does not verify: {detail}"
    return None


def check_attestation(store: Store, att: AttestationRecord, timeline: KeyTimeline) -> str | None:
    """The first problem with a stored attestation, or None."""
    keys = [k for _, k in timeline.entries]
    try:
        envelope = json.loads(att.envelope)
        payload = dsse_verify(envelope, keys)
        statement = json.loads(payload)
    except ValueError as e:
        return f"the envelope is not JSON: {e}"
    except LedgerTamperedError as e:
        return e.message
    try:
        rec = store.get_patch(PatchId(att.patch_id))
    except Error as e:
        return f"its patch cannot be read: {e.message}"
    commit = rec.delivery.commit if rec.delivery else att.commit
    problem = check_statement(statement, keys, diff=rec.patch.diff, commit=commit)
    if problem is None and (
        att.subject_sha256 != hashlib.sha256(rec.patch.diff.encode()).hexdigest()
    ):
        problem = "its stored subject digest does not match the patch (edited)"
    return problem
