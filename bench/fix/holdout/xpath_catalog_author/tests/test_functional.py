from catalog import app


def test_books_by_author():
    assert app.test_client().get("/books?author=Austen").get_json() == ["Emma"]


def test_unknown_author():
    assert app.test_client().get("/books?author=Nobody").get_json() == []
