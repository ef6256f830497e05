from sessions_app import SESSIONS, app


def test_login_sets_cookie():
    client = app.test_client()
    resp = client.post("/login", data={"user": "ann"})
    assert "sid=" in resp.headers["Set-Cookie"]
    sid = resp.headers["Set-Cookie"].split("sid=")[1].split(";")[0]
    assert SESSIONS[sid] == "ann"
