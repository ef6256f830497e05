from shop import app


def test_search_matches_substring():
    client = app.test_client()
    assert client.get("/products?q=mug").get_json() == ["blue mug", "red mug"]


def test_search_one():
    client = app.test_client()
    assert client.get("/products?q=red").get_json() == ["red mug"]


def test_hidden_products_are_not_listed():
    client = app.test_client()
    assert "prototype mug" not in client.get("/products?q=proto").get_json()
