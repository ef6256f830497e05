from __future__ import annotations

from conftest import login
from portal.db import get_db


def test_login_page_renders(client):
    resp = client.get("/login")
    assert resp.status_code == 200
    assert b'name="password"' in resp.data


def test_login_redirects_to_accounts(client):
    resp = login(client, "alice")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/accounts")


def test_login_follows_local_next_path(client):
    resp = login(client, "alice", next_url="/accounts/1")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/accounts/1")


def test_session_gives_access_after_login(alice):
    resp = alice.get("/accounts")
    assert resp.status_code == 200
    assert b"Signed in as alice" in resp.data


def test_wrong_password_is_refused(client):
    resp = login(client, "alice", password="not-the-password")
    assert resp.status_code == 401
    assert b"Invalid username or password" in resp.data
    assert client.get("/accounts").status_code == 302


def test_unknown_user_is_refused(client):
    assert login(client, "mallory", password="whatever-123").status_code == 401


def test_anonymous_visitor_is_sent_to_login(client):
    resp = client.get("/accounts/2")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]
    assert "next=" in resp.headers["Location"]


def test_logout_ends_session(alice):
    resp = alice.get("/logout")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/login")
    assert alice.get("/accounts").status_code == 302


def test_each_login_gets_its_own_session(app):
    first, second = app.test_client(), app.test_client()
    login(first, "alice")
    login(second, "alice")
    first.get("/logout")
    assert first.get("/accounts").status_code == 302
    assert second.get("/accounts").status_code == 200


def test_password_reset_flow(app, client):
    resp = client.post("/reset", data={"username": "bob"})
    assert resp.status_code == 200
    assert b"reset link has been sent" in resp.data
    with app.app_context():
        token = get_db().execute("SELECT token FROM reset_tokens").fetchone()["token"]

    assert client.get(f"/reset/{token}").status_code == 200
    resp = client.post(f"/reset/{token}", data={"password": "a-brand-new-password"})
    assert resp.status_code == 302

    assert login(client, "bob").status_code == 401
    assert login(client, "bob", password="a-brand-new-password").status_code == 302
    # Tokens are single-use.
    assert client.post(f"/reset/{token}", data={"password": "another-password-1"}).status_code == 404


def test_reset_rejects_short_password(app, client):
    client.post("/reset", data={"username": "bob"})
    with app.app_context():
        token = get_db().execute("SELECT token FROM reset_tokens").fetchone()["token"]
    assert client.post(f"/reset/{token}", data={"password": "short"}).status_code == 400
    assert login(client, "bob").status_code == 302


def test_reset_does_not_reveal_unknown_users(app, client):
    known = client.post("/reset", data={"username": "alice"})
    unknown = client.post("/reset", data={"username": "nobody"})
    assert known.data == unknown.data
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM reset_tokens").fetchone()[0] == 1


def test_unknown_reset_token_is_not_found(client):
    assert client.get("/reset/does-not-exist").status_code == 404


def test_language_preference_is_remembered(client):
    resp = client.post("/preferences/lang", data={"lang": "de"})
    assert resp.status_code == 302
    assert client.get_cookie("lang").value == "de"
    assert client.post("/preferences/lang", data={"lang": "xx"}).status_code == 400
