import avatar


def test_is_image():
    assert avatar.is_image(b"\x89PNG\r\n\x1a\nrest")
    assert not avatar.is_image(b"GIF89a")
