import board


def test_stored_script_is_escaped():
    board.COMMENTS.clear()
    client = board.app.test_client()
    client.post("/comments", data={"text": "<img src=x onerror=alert(1)>"})
    assert "<img" not in client.get("/comments").get_data(as_text=True)
