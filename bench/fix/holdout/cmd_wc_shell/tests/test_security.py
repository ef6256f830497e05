import linecount


def test_path_cannot_run_commands(tmp_path):
    marker = tmp_path / "pwned"
    try:
        linecount.count_lines(f"/dev/null; touch {marker}")
    except Exception:
        pass
    assert not marker.exists()
