from app import app


def test_greets_by_name():
    body = app.test_client().get("/hello?name=Ada").get_data(as_text=True)
    assert "Hello, Ada!" in body


def test_default_name():
    assert "Hello, stranger!" in app.test_client().get("/hello").get_data(as_text=True)
