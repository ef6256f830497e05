from app import app


def test_script_is_not_reflected():
    resp = app.test_client().get("/hello", query_string={"name": "<script>alert(1)</script>"})
    assert "<script>" not in resp.get_data(as_text=True)
