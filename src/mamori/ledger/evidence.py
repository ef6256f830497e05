"""Evidence bundles: one run's events, checkpoints, proofs and attestations in a zip file that
an auditor verifies with no database and no network (``mamori evidence verify`` or the
bundle's own ``verify.py``, which needs only Python and ``cryptography``).
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mamori import __version__
from mamori.domain import PatchId, RunId
from mamori.errors import BadInputFileError, LedgerTamperedError
from mamori.ledger import standalone_verify
from mamori.ledger.log import event_entry, event_leaf
from mamori.ledger.merkle import SubtreeHashes, consistency_proof, inclusion_proof
from mamori.ledger.service import KEY_REGISTERED, KEY_ROTATED, Ledger
from mamori.store.ids import utc_now
from mamori.store.interface import Store

__all__ = ["BundleSummary", "ExportOptions", "export_bundle", "verify_bundle"]

README = """# Mamori evidence bundle

Run: {run_id}
Log origin: {origin}
Latest checkpoint: tree size {size}, root {root}
Signing keys (C2SP verifier keys, oldest first): see public_keys.txt

## Verify

    python verify.py bundle.zip [--key VERIFIER_KEY]

needs Python 3.11+ and the `cryptography` package; no database, no network. `mamori evidence
verify bundle.zip` runs the same checks. Pass `--key` with the verifier key you obtained
independently (e.g. from `mamori ledger key` on the system, or a witness) to rule out a bundle
re-signed with another key.

## Contents

- manifest.json: format, run id, origin, creation time.
- events.jsonl: the run's events and the log's key events, one per line, each line exactly the
  RFC 8785 canonical JSON hashed into the Merkle tree (leaf = SHA-256(0x00 || line)).
- checkpoints/NNNNNN.note: every checkpoint up to the latest, C2SP signed notes (Ed25519).
- proofs/inclusion.json: an RFC 9162 inclusion proof of each event in the latest checkpoint.
- proofs/consistency.json: RFC 9162 consistency proofs between consecutive checkpoints.
- attestations/PATCH.dsse.json: in-toto Statement v1 in a DSSE envelope per delivered patch.
- patches/PATCH.diff: the delivered diffs (their SHA-256 is the attestation subject).
- public_keys.txt: the verifier keys recorded in the log.
- verify.py: the standalone verifier.
"""


@dataclass(frozen=True, kw_only=True)
class ExportOptions:
    run_id: str
    output: Path


@dataclass(frozen=True, kw_only=True)
class BundleSummary:
    path: Path
    run_id: str
    events: int
    checkpoints: int
    attestations: int
    keys: tuple[str, ...]


def export_bundle(store: Store, root: Path, options: ExportOptions) -> BundleSummary:
    """Write the evidence bundle of one run; refuses a ledger that does not verify."""
    run = store.get_run(RunId(options.run_id))
    ledger = Ledger.for_root(store, root)
    all_events = list(store.events())
    run_last = max((e.seq for e in all_events if e.run_id == run.id), default=0)
    checkpoints = store.checkpoints()
    if not checkpoints or checkpoints[-1].tree_size < run_last:
        ledger.checkpoint()
        all_events = list(store.events())
        checkpoints = store.checkpoints()
    report = ledger.audit()
    if not report.ok:
        raise LedgerTamperedError(
            f"the ledger does not verify, refusing to export: {report.problem}",
            hint="run `mamori ledger verify`",
        )
    latest = checkpoints[-1]
    leaves = [event_leaf(e) for e in all_events[: latest.tree_size]]
    chosen = [
        e
        for e in all_events[: latest.tree_size]
        if e.run_id == run.id or e.kind in (KEY_REGISTERED, KEY_ROTATED)
    ]
    # One memo of subtree hashes for every proof: together they cost O(n), not O(n) each.
    mth = SubtreeHashes(leaves)
    inclusion = [
        {
            "seq": e.seq,
            "tree_size": latest.tree_size,
            "path": [p.hex() for p in inclusion_proof(e.seq - 1, leaves, mth=mth)],
        }
        for e in chosen
    ]
    consistency = [
        {
            "old_size": a.tree_size,
            "new_size": b.tree_size,
            "path": [
                p.hex() for p in consistency_proof(a.tree_size, leaves[: b.tree_size], mth=mth)
            ],
        }
        for a, b in itertools.pairwise(checkpoints)
    ]
    attestations = store.attestations(run_id=run.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": standalone_verify.FORMAT,
                    "run_id": run.id,
                    "repo": run.repo,
                    "origin": ledger.settings.origin,
                    "created_at": utc_now(),
                    "mamori_version": __version__,
                    "latest_checkpoint": {"tree_size": latest.tree_size, "root": latest.root_hash},
                },
                indent=2,
                sort_keys=True,
            ),
        )
        zf.writestr("events.jsonl", b"".join(event_entry(e) + b"\n" for e in chosen))
        for cp in checkpoints:
            zf.writestr(f"checkpoints/{cp.id:06d}.note", cp.note)
        zf.writestr("proofs/inclusion.json", json.dumps(inclusion, indent=1))
        zf.writestr("proofs/consistency.json", json.dumps(consistency, indent=1))
        for att in attestations:
            zf.writestr(f"attestations/{att.patch_id}.dsse.json", att.envelope)
            diff = store.get_patch(PatchId(att.patch_id)).patch.diff
            zf.writestr(f"patches/{att.patch_id}.diff", diff.encode("utf-8"))
        zf.writestr("public_keys.txt", "".join(f"{k}\n" for k in report.keys))
        zf.writestr(
            "README.md",
            README.format(
                run_id=run.id,
                origin=ledger.settings.origin,
                size=latest.tree_size,
                root=latest.root_hash,
            ),
        )
        zf.writestr("verify.py", Path(standalone_verify.__file__).read_bytes())
    try:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_bytes(buffer.getvalue())
    except OSError as e:
        raise BadInputFileError(f"cannot write {options.output}: {e.strerror or e}") from e
    return BundleSummary(
        path=options.output,
        run_id=run.id,
        events=len(chosen),
        checkpoints=len(checkpoints),
        attestations=len(attestations),
        keys=report.keys,
    )


def verify_bundle(path: Path, *, pinned_key: str | None = None) -> BundleSummary:
    """Verify a bundle offline; raises :class:`LedgerTamperedError` naming the first problem."""
    if not path.is_file():
        raise BadInputFileError(f"no bundle at {path}")
    try:
        result = standalone_verify.verify_bundle(str(path), pinned_key)
    except standalone_verify.VerificationError as e:
        raise LedgerTamperedError(f"evidence bundle {path.name} FAILED: {e}") from e
    except (ValueError, KeyError, TypeError) as e:
        # Malformed JSON or missing fields: the bundle was damaged or is not a Mamori bundle.
        raise LedgerTamperedError(f"evidence bundle {path.name} is malformed: {e!r}") from e
    return BundleSummary(
        path=path,
        run_id=result.run_id,
        events=result.events,
        checkpoints=result.checkpoints,
        attestations=result.attestations,
        keys=result.keys,
    )
