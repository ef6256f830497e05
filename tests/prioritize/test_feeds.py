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
