import avatars


def test_user_avatar(tmp_path):
    (tmp_path / "alice.png").write_bytes(b"PNG-alice")
    (tmp_path / "default.png").write_bytes(b"PNG-default")
    assert avatars.avatar_bytes("alice", tmp_path) == b"PNG-alice"


def test_default_avatar(tmp_path):
    (tmp_path / "default.png").write_bytes(b"PNG-default")
    assert avatars.avatar_bytes("bob", tmp_path) == b"PNG-default"
