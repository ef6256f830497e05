from __future__ import annotations

from conftest import login


def test_statement_list(alice):
    resp = alice.get("/statements")
    assert resp.status_code == 200
    assert b"2024-01.csv" in resp.data


def test_statement_download(alice):
    resp = alice.get("/statements/2024-01.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert b"Salary January" in resp.data
    assert b"Office supplies" not in resp.data
    assert resp.headers.get("ETag")


def test_statement_download_is_cacheable(alice):
    etag = alice.get("/statements/2024-01.csv").headers["ETag"]
    resp = alice.get("/statements/2024-01.csv", headers={"If-None-Match": etag})
    assert resp.status_code == 304


def test_each_customer_sees_their_own_statement(client):
    login(client, "bob")
    resp = client.get("/statements/2024-01.csv")
    assert resp.status_code == 200
    assert b"Office supplies" in resp.data
    assert b"Salary January" not in resp.data


def test_missing_statement_is_not_found(alice):
    assert alice.get("/statements/1999-12.csv").status_code == 404


def test_statement_preview(alice):
    resp = alice.get("/statements/preview/2024-01.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/plain"
    assert b"account,iban,date,memo,amount" in resp.data
