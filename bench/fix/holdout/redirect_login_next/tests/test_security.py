from urllib.parse import urlsplit

from webapp import app


def test_no_redirect_to_another_site():
    client = app.test_client()
    for target in ("https://evil.example/phish", "//evil.example/phish"):
        resp = client.post(f"/login?next={target}", data={"username": "a", "password": "letmein"})
        location = resp.headers.get("Location", "")
        assert urlsplit(location).netloc in ("", "localhost"), location
