from __future__ import annotations

import io

from conftest import account_ids, balance, login


def test_transfer_form_renders(alice):
    assert alice.get("/transfers").status_code == 200


def test_limits_come_from_the_config_file(app):
    limits = app.config["TRANSFER_LIMITS"]
    assert limits["single_transfer"] == 500_000
    assert limits["batch_max_items"] == 50


def test_transfer_moves_money(app, alice):
    ids = account_ids(app)
    src, dst = ids["Everyday Checking"], ids["Business Checking"]
    before_src, before_dst = balance(app, src), balance(app, dst)
    resp = alice.post(
        "/transfers",
        data={"from_account": src, "to_account": dst, "amount": "125.50", "memo": "Invoice 17"},
        follow_redirects=True,
    )
    assert resp.status_code == 200
    assert b"Transfer booked" in resp.data
    assert balance(app, src) == before_src - 12_550
    assert balance(app, dst) == before_dst + 12_550
    assert b"Invoice 17" in alice.get(f"/accounts/{src}").data


def test_insufficient_funds_are_refused(app, alice):
    ids = account_ids(app)
    src = ids["Everyday Checking"]
    before = balance(app, src)
    resp = alice.post("/transfers", data={"from_account": src, "to_account": ids["Holiday Savings"], "amount": "4999"})
    assert resp.status_code == 400
    assert b"Insufficient funds" in resp.data
    assert balance(app, src) == before


def test_cannot_spend_from_someone_elses_account(app, client):
    login(client, "bob")
    ids = account_ids(app)
    before = balance(app, ids["Everyday Checking"])
    resp = client.post(
        "/transfers",
        data={"from_account": ids["Everyday Checking"], "to_account": ids["Business Checking"], "amount": "10"},
    )
    assert resp.status_code == 400
    assert balance(app, ids["Everyday Checking"]) == before


def test_single_transfer_limit(app, alice):
    ids = account_ids(app)
    resp = alice.post(
        "/transfers",
        data={"from_account": ids["Holiday Savings"], "to_account": ids["Everyday Checking"], "amount": "6000"},
    )
    assert resp.status_code == 400
    assert b"single transfer limit" in resp.data


def test_batch_import_books_every_transfer(app, alice):
    ids = account_ids(app)
    batch = (
        "transfers:\n"
        f"  - from_account: {ids['Holiday Savings']}\n"
        f"    to_account: {ids['Everyday Checking']}\n"
        "    amount: 100.00\n"
        "    memo: Top up\n"
        f"  - from_account: {ids['Everyday Checking']}\n"
        f"    to_account: {ids['Business Checking']}\n"
        "    amount: 20.25\n"
    )
    before = balance(app, ids["Business Checking"])
    resp = alice.post(
        "/transfers/import",
        data={"batch": (io.BytesIO(batch.encode()), "batch.yaml")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    assert resp.get_json()["imported"] == 2
    assert len(resp.get_json()["references"]) == 2
    assert balance(app, ids["Business Checking"]) == before + 2_025


def test_batch_import_is_all_or_nothing(app, alice):
    ids = account_ids(app)
    batch = (
        "transfers:\n"
        f"  - {{from_account: {ids['Holiday Savings']}, to_account: {ids['Everyday Checking']}, amount: 10}}\n"
        f"  - {{from_account: {ids['Everyday Checking']}, to_account: 999, amount: 10}}\n"
    )
    before = balance(app, ids["Holiday Savings"])
    resp = alice.post(
        "/transfers/import",
        data={"batch": (io.BytesIO(batch.encode()), "batch.yaml")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "Transfer 2" in resp.get_json()["error"]
    assert balance(app, ids["Holiday Savings"]) == before


def test_batch_without_transfers_is_rejected(alice):
    resp = alice.post(
        "/transfers/import",
        data={"batch": (io.BytesIO(b"note: nothing to do\n"), "batch.yaml")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
