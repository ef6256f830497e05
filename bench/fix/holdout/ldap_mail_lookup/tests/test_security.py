from people import app


def test_wildcard_does_not_enumerate():
    resp = app.test_client().get("/whois", query_string={"email": "*"})
    body = resp.get_json() if resp.status_code == 200 else []
    assert "Root" not in (body or [])
