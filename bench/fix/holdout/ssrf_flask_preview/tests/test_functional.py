from preview import app


def test_url_is_required():
    assert app.test_client().get("/preview").status_code == 400
