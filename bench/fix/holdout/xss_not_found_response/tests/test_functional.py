from search import app


def test_article_found():
    resp = app.test_client().get("/wiki?term=Python")
    assert resp.status_code == 200
    assert "programming language" in resp.get_data(as_text=True)


def test_not_found_names_the_term():
    resp = app.test_client().get("/wiki?term=rust")
    assert resp.status_code == 404
    assert "rust" in resp.get_data(as_text=True)
