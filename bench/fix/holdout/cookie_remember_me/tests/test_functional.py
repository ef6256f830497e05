from remember import app


def test_remember_cookie():
    resp = app.test_client().post("/prefs", data={"remember": "on", "user": "ann"})
    assert resp.status_code == 302
    assert "remember_user=ann" in resp.headers["Set-Cookie"]
    assert "Max-Age=2592000" in resp.headers["Set-Cookie"]


def test_no_cookie_without_remember():
    resp = app.test_client().post("/prefs", data={"user": "ann"})
    assert "Set-Cookie" not in resp.headers
