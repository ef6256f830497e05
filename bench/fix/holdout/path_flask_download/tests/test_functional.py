from files_app import app


def test_download_existing_file():
    resp = app.test_client().get("/download?file=invoice.txt")
    assert resp.status_code == 200
    assert b"hello from the invoice" in resp.data


def test_missing_parameter():
    assert app.test_client().get("/download").status_code == 400


def test_missing_file():
    assert app.test_client().get("/download?file=nope.txt").status_code == 404
