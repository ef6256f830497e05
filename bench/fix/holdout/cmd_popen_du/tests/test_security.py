import diskusage


def test_no_command_injection(tmp_path):
    marker = tmp_path / "pwned"
    try:
        diskusage.folder_size_kb(f"{tmp_path}; touch {marker}")
    except Exception:
        pass
    assert not marker.exists()
