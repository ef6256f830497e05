from webapp import app


def test_redirects_to_next_page():
    resp = app.test_client().post("/login?next=/account/settings", data={"username": "a", "password": "letmein"})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/account/settings")


def test_bad_password():
    resp = app.test_client().post("/login", data={"username": "a", "password": "x"})
    assert resp.status_code == 401
