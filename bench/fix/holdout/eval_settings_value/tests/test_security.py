import settings


def test_value_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    try:
        settings.parse_value(f"__import__('pathlib').Path({str(marker)!r}).touch()")
    except Exception:
        pass
    assert not marker.exists()
