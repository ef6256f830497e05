from importer import app


def test_upload_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    body = f"!!python/object/apply:os.system ['touch {marker}']\n"
    try:
        app.test_client().post("/import", data=body)
    except Exception:
        pass
    assert not marker.exists()
