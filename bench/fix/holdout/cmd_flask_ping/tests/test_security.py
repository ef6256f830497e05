from netcheck import app


def test_host_cannot_inject(tmp_path):
    marker = tmp_path / "pwned"
    app.test_client().get("/lookup", query_string={"host": f"localhost; touch {marker}"})
    assert not marker.exists()
