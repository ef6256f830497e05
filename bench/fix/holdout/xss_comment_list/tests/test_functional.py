import board


def test_post_then_list():
    board.COMMENTS.clear()
    client = board.app.test_client()
    assert client.post("/comments", data={"text": "first!"}).status_code == 201
    assert "<li>first!</li>" in client.get("/comments").get_data(as_text=True)
