from __future__ import annotations

import pytest

from mamori.domain import CheckName, PatchState, ReviewVerdict, RunId
from mamori.errors import ExitCode, NotPermittedError
from mamori.gate.review import check_approval, check_rejection
from mamori.store.interface import PatchRecord
from tests.gate.test_policy import _patch, _verification


def _record(state=PatchState.IN_REVIEW, failed=None) -> PatchRecord:
    return PatchRecord(
        patch=_patch(), run_id=RunId("R"), state=state, verification=_verification(failed)
    )


def test_requester_cannot_approve_own_patch() -> None:
    with pytest.raises(NotPermittedError, match="four eyes") as e:
        check_approval(_record(), "alice")
    assert e.value.exit_code is ExitCode.NOT_PERMITTED


def test_another_person_can_approve() -> None:
    review = check_approval(_record(), "bob")
    assert review.verdict is ReviewVerdict.APPROVED and review.reviewer == "bob"


def test_a_patch_that_failed_verification_cannot_be_approved() -> None:
    with pytest.raises(NotPermittedError, match="failed verification"):
        check_approval(_record(failed=CheckName.TESTS_SAME), "bob")


def test_only_patches_in_review_can_be_decided() -> None:
    with pytest.raises(NotPermittedError, match="not waiting for review"):
        check_approval(_record(state=PatchState.DELIVERED), "bob")


def test_rejection_needs_a_reason() -> None:
    with pytest.raises(NotPermittedError, match="reason"):
        check_rejection(_record(), "bob", "  ")
    assert check_rejection(_record(), "alice", "too broad").reason == "too broad"
