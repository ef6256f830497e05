import reports


def test_cannot_read_outside_the_reports_folder(tmp_path):
    base = tmp_path / "reports"
    base.mkdir()
    (tmp_path / "secret.txt").write_text("TOPSECRET")
    for name in ("../secret.txt", str(tmp_path / "secret.txt")):
        try:
            data = reports.read_report(name, str(base))
        except Exception:
            data = None
        assert data != "TOPSECRET"
