import linecount


def test_counts_lines(tmp_path):
    f = tmp_path / "data.csv"
    f.write_text("a\nb\nc\n")
    assert linecount.count_lines(str(f)) == 3
