"""Coordinated-disclosure cases on a real store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mamori.domain import DisclosureState
from mamori.report.disclosure import DisclosureError, advance, open_case, overdue
from mamori.store.sql import SqlStore
from tests.store_fixtures import store, store_url

__all__ = ["store", "store_url"]

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _open(store: SqlStore, embargo: date | None = None) -> str:
    return open_case(
        store,
        repo="/repo",
        title="RCE in libfoo's template loader",
        vendor="libfoo maintainers",
        contact="security@libfoo.example",
        embargo=embargo,
        actor="alice",
        now=T0,
    ).id


def test_steps_go_forward_and_are_recorded(store: SqlStore) -> None:
    cid = _open(store)
    advance(store, cid, DisclosureState.ACKNOWLEDGED, actor="alice", now=T0 + timedelta(days=2))
    with pytest.raises(DisclosureError, match="already acknowledged"):
        advance(store, cid, DisclosureState.REPORTED, actor="alice")
    case = advance(
        store,
        cid[:5],
        DisclosureState.FIX_AVAILABLE,
        actor="bob",
        note="libfoo 2.0.1",
        now=T0 + timedelta(days=20),
    )
    assert [s.state for s in case.history] == [
        DisclosureState.REPORTED,
        DisclosureState.ACKNOWLEDGED,
        DisclosureState.FIX_AVAILABLE,
    ]
    assert store.get_disclosure(cid) == case
    kinds = [e.kind for e in store.events()]
    assert kinds == ["disclosure.reported", "disclosure.acknowledged", "disclosure.fix_available"]


def test_overdue_steps(store: SqlStore) -> None:
    cid = _open(store, embargo=date(2026, 3, 1))
    case = store.get_disclosure(cid)
    assert overdue(case, T0 + timedelta(days=7)) is None
    late = overdue(case, T0 + timedelta(days=10))
    assert late is not None and late.step is DisclosureState.ACKNOWLEDGED and late.days_late == 3
    case = advance(store, cid, DisclosureState.ACKNOWLEDGED, actor="a", now=T0 + timedelta(11))
    assert overdue(case, T0 + timedelta(days=80)) is None
    fix_late = overdue(case, T0 + timedelta(days=100))
    assert fix_late is not None and fix_late.step is DisclosureState.FIX_AVAILABLE
    case = advance(store, cid, DisclosureState.FIX_AVAILABLE, actor="a", now=T0 + timedelta(30))
    assert overdue(case, datetime(2026, 2, 27, tzinfo=UTC)) is None  # embargo not over
    pub = overdue(case, datetime(2026, 3, 5, tzinfo=UTC))
    assert pub is not None and pub.step is DisclosureState.PUBLISHED and pub.days_late == 4


def test_embargo_blocks_publication(store: SqlStore) -> None:
    cid = _open(store, embargo=date(2026, 3, 1))
    with pytest.raises(DisclosureError, match="embargo until 2026-03-01"):
        advance(store, cid, DisclosureState.PUBLISHED, actor="a", now=T0 + timedelta(days=5))
    case = advance(
        store, cid, DisclosureState.PUBLISHED, actor="a", now=datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert case.state is DisclosureState.PUBLISHED
    assert overdue(case, datetime(2027, 1, 1, tzinfo=UTC)) is None


def test_case_needs_contact(store: SqlStore) -> None:
    with pytest.raises(DisclosureError, match="contact"):
        open_case(store, repo="/r", title="t", vendor="v", contact=" ", actor="a")
    assert store.disclosures() == []
