"""Human review with separation of duties (four eyes)."""

from __future__ import annotations

from mamori.domain import CheckStatus, PatchState, Review, ReviewVerdict
from mamori.errors import NotPermittedError
from mamori.store.interface import PatchRecord


def check_approval(record: PatchRecord, reviewer: str) -> Review:
    """The approval, if ``reviewer`` may approve this patch; raises NotPermittedError if not."""
    patch = record.patch
    _require_in_review(record)
    if reviewer == patch.requested_by:
        raise NotPermittedError(
            f"{reviewer} requested patch {patch.id} and cannot approve it (four eyes)",
            hint="ask another reviewer to run: mamori review approve " + patch.id,
        )
    verification = record.verification
    if verification is None:
        raise NotPermittedError(f"patch {patch.id} has not been verified; it cannot be approved")
    failed = [c for c in verification.checks if c.status is CheckStatus.FAILED]
    if failed:
        names = ", ".join(f"{c.name} ({c.detail})" for c in failed)
        raise NotPermittedError(
            f"patch {patch.id} failed verification: {names}; it cannot be approved",
            hint=f"reject it: mamori review reject {patch.id} --reason '...'",
        )
    return Review(patch_id=patch.id, reviewer=reviewer, verdict=ReviewVerdict.APPROVED, reason="")


def check_rejection(record: PatchRecord, reviewer: str, reason: str) -> Review:
    _require_in_review(record)
    if not reason.strip():
        raise NotPermittedError("a rejection needs a reason (--reason TEXT)")
    return Review(
        patch_id=record.patch.id,
        reviewer=reviewer,
        verdict=ReviewVerdict.REJECTED,
        reason=reason.strip(),
    )


def _require_in_review(record: PatchRecord) -> None:
    if record.state is not PatchState.IN_REVIEW:
        raise NotPermittedError(
            f"patch {record.patch.id} is {record.state}, not waiting for review"
        )
