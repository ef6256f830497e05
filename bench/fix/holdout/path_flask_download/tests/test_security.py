import files_app
from files_app import app


def test_traversal_is_refused():
    resp = app.test_client().get("/download", query_string={"file": "../files_app.py"})
    assert b"send_file" not in resp.data


def test_absolute_path_is_refused():
    resp = app.test_client().get("/download", query_string={"file": files_app.__file__})
    assert b"send_file" not in resp.data
