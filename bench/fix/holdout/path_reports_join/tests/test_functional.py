import reports


def test_reads_a_report(tmp_path):
    (tmp_path / "q1.txt").write_text("revenue up")
    assert reports.read_report("q1.txt", str(tmp_path)) == "revenue up"


def test_reads_a_report_in_a_subfolder(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "q2.txt").write_text("flat")
    assert reports.read_report("2024/q2.txt", str(tmp_path)) == "flat"
