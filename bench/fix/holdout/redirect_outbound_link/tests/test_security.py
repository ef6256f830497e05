from urllib.parse import urlsplit

from links import app


def test_go_does_not_leave_the_site():
    resp = app.test_client().get("/go", query_string={"to": "https://attacker.example/"})
    assert urlsplit(resp.headers.get("Location", "")).netloc in ("", "localhost")
