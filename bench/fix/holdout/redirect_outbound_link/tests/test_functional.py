from links import app


def test_go_to_internal_page():
    resp = app.test_client().get("/go?to=/help")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/help")
