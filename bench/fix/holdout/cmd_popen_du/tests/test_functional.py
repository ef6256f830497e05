import diskusage


def test_size_of_folder(tmp_path):
    (tmp_path / "big.bin").write_bytes(b"x" * 64 * 1024)
    assert diskusage.folder_size_kb(str(tmp_path)) >= 64
