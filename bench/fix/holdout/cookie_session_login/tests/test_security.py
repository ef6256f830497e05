from sessions_app import app


def test_session_cookie_flags():
    header = app.test_client().post("/login", data={"user": "ann"}).headers["Set-Cookie"].lower()
    assert "secure" in header
    assert "httponly" in header
    assert "samesite=" in header
