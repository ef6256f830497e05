from netcheck import app


def test_lookup_localhost():
    data = app.test_client().get("/lookup?host=localhost").get_json()
    assert data["ok"] is True
