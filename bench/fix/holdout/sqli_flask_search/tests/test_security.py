from shop import app


def test_injection_cannot_reveal_hidden_products():
    client = app.test_client()
    resp = client.get("/products", query_string={"q": "%' OR hidden = 1 --"})
    body = resp.get_json() if resp.status_code == 200 else []
    assert "prototype mug" not in (body or [])
