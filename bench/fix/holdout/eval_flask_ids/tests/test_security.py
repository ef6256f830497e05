from api import app


def test_ids_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"[__import__('pathlib').Path({str(marker)!r}).touch()]"
    try:
        app.test_client().get("/items", query_string={"ids": payload})
    except Exception:
        pass
    assert not marker.exists()
