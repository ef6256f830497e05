from __future__ import annotations


def test_index_lists_only_own_accounts(alice):
    resp = alice.get("/accounts")
    assert resp.status_code == 200
    assert b"Everyday Checking" in resp.data
    assert b"Holiday Savings" in resp.data
    assert b"Business Checking" not in resp.data
    assert b"2500.00" in resp.data


def test_detail_shows_transactions(alice):
    resp = alice.get("/accounts/1")
    assert resp.status_code == 200
    assert b"Everyday Checking" in resp.data
    assert b"Salary January" in resp.data
    assert b"-950.00" in resp.data


def test_detail_of_someone_elses_account_is_not_found(alice):
    assert alice.get("/accounts/3").status_code == 404


def test_search_finds_matching_accounts(alice):
    resp = alice.get("/accounts/search", query_string={"q": "Savings"})
    assert resp.status_code == 200
    assert b"Results for Savings" in resp.data
    assert b"Holiday Savings" in resp.data
    assert b"Everyday Checking" not in resp.data


def test_search_stays_within_own_accounts(alice):
    resp = alice.get("/accounts/search", query_string={"q": "Checking"})
    assert b"Everyday Checking" in resp.data
    assert b"Business Checking" not in resp.data


def test_search_without_match(alice):
    resp = alice.get("/accounts/search", query_string={"q": "Pension"})
    assert resp.status_code == 200
    assert b"No accounts match" in resp.data


def test_search_requires_login(client):
    assert client.get("/accounts/search?q=Savings").status_code == 302
