from remember import app


def test_cookie_flags():
    resp = app.test_client().post("/prefs", data={"remember": "on", "user": "ann"})
    header = resp.headers["Set-Cookie"].lower()
    assert "secure" in header and "httponly" in header and "samesite=" in header
