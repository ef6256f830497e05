from api import app


def test_items_by_ids():
    assert app.test_client().get("/items?ids=[1, 3]").get_json() == ["apple", "cherry"]


def test_no_ids():
    assert app.test_client().get("/items").get_json() == []
