from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from mamori.prioritize.feeds import FeedError, load, parse_epss, parse_kev, update


def test_real_kev_catalog_parses(kev_path: Path) -> None:
    version, entries = parse_kev(kev_path.read_bytes())
    assert version
    assert "CVE-2021-44228" in entries  # Log4Shell is in every KEV catalog since 2021
    assert entries["CVE-2021-44228"].date_added.startswith("2021-")
    assert len(entries) > 1000


def test_epss_csv_with_model_version(epss_path: Path) -> None:
    model, date, scores = parse_epss(epss_path.read_bytes())
    assert model == "v2025.03.14" and date.startswith("2025-08-25")
    assert scores["CVE-2099-0001"].probability == pytest.approx(0.97)


def test_epss_without_header_line_is_rejected() -> None:
    with pytest.raises(FeedError, match="model_version"):
        parse_epss(b"cve,epss,percentile\nCVE-2099-0001,0.1,0.2\n")
    with pytest.raises(FeedError, match=r"bad number|probabilities"):
        parse_epss(b"#model_version:v1\ncve,epss,percentile\nCVE-2099-0001,2,0.2\n")


def test_kev_must_have_vulnerabilities() -> None:
    with pytest.raises(FeedError, match="not a KEV catalog"):
        parse_kev(b'{"title": "x"}')


def test_update_stores_normalised_files_and_load_reads_them(
    tmp_path: Path, kev_path: Path, epss_path: Path
) -> None:
    gz = tmp_path / "epss.csv.gz"
    gz.write_bytes(gzip.compress(epss_path.read_bytes()))
    result = update(tmp_path / "feeds", kev=str(kev_path), epss=str(gz))
    assert result.kev_entries > 1000 and result.epss_entries == 3
    assert result.kev_path is not None and result.epss_path is not None
    feeds = load(kev=result.kev_path, epss=result.epss_path)
    assert "CVE-2021-44228" in feeds.kev
    assert feeds.epss["CVE-2021-44228"].percentile == pytest.approx(0.9995)
    assert feeds.epss_model == "v2025.03.14"


def test_missing_feed_files_give_empty_feeds(tmp_path: Path) -> None:
    feeds = load(kev=tmp_path / "none.json", epss=None)
    assert not feeds.kev and not feeds.epss


def test_update_from_urls(tmp_path: Path, kev_path: Path, epss_path: Path) -> None:
    """``--kev URL --epss URL``: both feeds over HTTP (a server on the loopback address),
    the EPSS one gzipped as FIRST publishes it."""
    import http.server
    import threading
    from functools import partial

    served = tmp_path / "served"
    served.mkdir()
    (served / "known_exploited_vulnerabilities.json").write_bytes(kev_path.read_bytes())
    (served / "epss_scores-current.csv.gz").write_bytes(gzip.compress(epss_path.read_bytes()))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # no access log on the test's stderr

    handler = partial(Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        result = update(
            tmp_path / "feeds",
            kev=f"{base}/known_exploited_vulnerabilities.json",
            epss=f"{base}/epss_scores-current.csv.gz",
        )
        with pytest.raises(FeedError, match="cannot read feed"):
            update(tmp_path / "feeds", kev=f"{base}/missing.json", epss=None)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert result.kev_entries > 1000 and result.epss_model == "v2025.03.14"
    feeds = load(kev=result.kev_path, epss=result.epss_path)
    assert "CVE-2021-44228" in feeds.kev
    assert feeds.epss["CVE-2099-0001"].probability == pytest.approx(0.97)
    assert feeds.epss_date.startswith("2025-08-25")
