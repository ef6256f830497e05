import gzip

import archive


def test_compresses(tmp_path):
    f = tmp_path / "app.log"
    f.write_text("line\n" * 10)
    assert archive.compress(str(f)) is True
    assert gzip.decompress((tmp_path / "app.log.gz").read_bytes()) == b"line\n" * 10
