from catalog import app


def test_injection_cannot_list_unreleased_books():
    resp = app.test_client().get("/books", query_string={"author": "x' or @public='no' or 'a'='b"})
    body = resp.get_json() if resp.status_code == 200 else []
    assert "Unreleased Draft" not in (body or [])
