from search import app


def test_term_is_escaped():
    resp = app.test_client().get("/wiki", query_string={"term": "<svg onload=alert(1)>"})
    assert "<svg" not in resp.get_data(as_text=True)
