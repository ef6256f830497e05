import avatars


def test_username_cannot_escape(tmp_path):
    root = tmp_path / "avatars"
    root.mkdir()
    (root / "default.png").write_bytes(b"PNG-default")
    (tmp_path / "secret.png").write_bytes(b"TOPSECRET")
    try:
        data = avatars.avatar_bytes("../secret", root)
    except Exception:
        data = None
    assert data != b"TOPSECRET"
