"""KEV and EPSS feeds, read from their published formats and kept under ``.mamori/feeds``.

* KEV: CISA's ``known_exploited_vulnerabilities.json`` (``catalogVersion``, ``vulnerabilities``
  with ``cveID``, ``dateAdded``, ``dueDate``, ``knownRansomwareCampaignUse``).
* EPSS: FIRST's CSV (optionally gzipped) whose first line is a comment
  ``#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000`` followed by the header
  ``cve,epss,percentile``.

``mamori feeds update`` converts each into a small normalised JSON file, so that prioritising
a run reads local files only (no network during a scan).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mamori.errors import BadInputFileError

FEEDS_DIR = Path(".mamori") / "feeds"
KEV_FILE = "kev.json"
EPSS_FILE = "epss.json"
_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
MAX_FEED_BYTES = 200 * 1024 * 1024


class FeedError(BadInputFileError):
    """A feed file or URL cannot be read or does not have the published format."""


@dataclass(frozen=True, kw_only=True)
class KevEntry:
    cve: str
    date_added: str
    due_date: str = ""
    ransomware: bool = False
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class EpssScore:
    probability: float
    percentile: float


@dataclass(frozen=True, kw_only=True)
class Feeds:
    """What is known about exploitation, by CVE id (upper case)."""

    kev: Mapping[str, KevEntry] = field(default_factory=dict)
    kev_version: str = ""
    epss: Mapping[str, EpssScore] = field(default_factory=dict)
    epss_model: str = ""
    epss_date: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "kev_version": self.kev_version,
            "kev_entries": len(self.kev),
            "epss_model": self.epss_model,
            "epss_date": self.epss_date,
            "epss_entries": len(self.epss),
        }


def fetch(source: str) -> bytes:
    """The bytes of a local file or an http(s) URL (gunzipped when compressed)."""
    try:
        if re.match(r"^https?://", source):
            with urllib.request.urlopen(source, timeout=60) as resp:
                data: bytes = resp.read(MAX_FEED_BYTES + 1)
        else:
            data = Path(source).expanduser().read_bytes()
    except (OSError, urllib.error.URLError) as e:
        raise FeedError(f"cannot read feed {source}: {e}") from e
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"feed {source} is larger than {MAX_FEED_BYTES} bytes")
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise FeedError(f"feed {source}: corrupt gzip data: {e}") from e
    return data


def parse_kev(data: bytes, *, source: str = "KEV feed") -> tuple[str, dict[str, KevEntry]]:
    """(catalog version, entries by CVE) of CISA's KEV JSON."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedError(f"{source}: not JSON: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("vulnerabilities"), list):
        raise FeedError(f"{source}: not a KEV catalog (no 'vulnerabilities' list)")
    entries: dict[str, KevEntry] = {}
    for i, v in enumerate(doc["vulnerabilities"]):
        cve = v.get("cveID") if isinstance(v, dict) else None
        if not isinstance(cve, str) or not _CVE.match(cve.strip().upper()):
            raise FeedError(f"{source}: vulnerabilities[{i}] has no valid cveID")
        cve = cve.strip().upper()
        entries[cve] = KevEntry(
            cve=cve,
            date_added=str(v.get("dateAdded", "")),
            due_date=str(v.get("dueDate", "")),
            ransomware=str(v.get("knownRansomwareCampaignUse", "")).lower() == "known",
            name=str(v.get("vulnerabilityName", "")),
        )
    return str(doc.get("catalogVersion", "")), entries


def parse_epss(data: bytes, *, source: str = "EPSS feed") -> tuple[str, str, dict[str, EpssScore]]:
    """(model version, score date, scores by CVE) of FIRST's EPSS CSV."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FeedError(f"{source}: not UTF-8 text: {e}") from e
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise FeedError(f"{source}: missing the '#model_version:...,score_date:...' header line")
    meta = dict(
        part.split(":", 1) for part in lines[0].lstrip("#").strip().split(",") if ":" in part
    )
    if "model_version" not in meta:
        raise FeedError(f"{source}: the header line has no model_version")
    reader = csv.DictReader(io.StringIO("\n".join(lines[1:])))
    if reader.fieldnames is None or not {"cve", "epss", "percentile"} <= set(reader.fieldnames):
        raise FeedError(f"{source}: expected the columns cve,epss,percentile")
    scores: dict[str, EpssScore] = {}
    for n, row in enumerate(reader, start=3):
        cve = (row["cve"] or "").strip().upper()
        try:
            p, pct = float(row["epss"]), float(row["percentile"])
        except (TypeError, ValueError) as e:
            raise FeedError(f"{source}:{n}: bad number: {e}") from e
        if not _CVE.match(cve) or not (0 <= p <= 1 and 0 <= pct <= 1):
            raise FeedError(f"{source}:{n}: not a CVE with probabilities in [0, 1]: {row}")
        scores[cve] = EpssScore(probability=p, percentile=pct)
    return meta["model_version"], meta.get("score_date", ""), scores


def save_kev(directory: Path, version: str, entries: Mapping[str, KevEntry]) -> Path:
    doc = {
        "catalogVersion": version,
        "entries": {
            k: {"dateAdded": e.date_added, "dueDate": e.due_date, "ransomware": e.ransomware}
            for k, e in sorted(entries.items())
        },
    }
    return _write(directory / KEV_FILE, doc)


def save_epss(directory: Path, model: str, date: str, scores: Mapping[str, EpssScore]) -> Path:
    doc = {
        "model_version": model,
        "score_date": date,
        "scores": {k: [s.probability, s.percentile] for k, s in sorted(scores.items())},
    }
    return _write(directory / EPSS_FILE, doc)


def _write(path: Path, doc: Mapping[str, Any]) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)  # atomic: a reader never sees half a feed
    except OSError as e:
        raise FeedError(f"cannot write {path}: {e}") from e
    return path


def load(*, kev: Path | None, epss: Path | None) -> Feeds:
    """Read the normalised feed files; a missing file gives an empty feed."""
    kev_entries: dict[str, KevEntry] = {}
    kev_version = ""
    if kev is not None and kev.is_file():
        doc = _read_json(kev)
        if "vulnerabilities" in doc:  # the published format, configured directly
            kev_version, kev_entries = parse_kev(kev.read_bytes(), source=str(kev))
        else:
            kev_version = str(doc.get("catalogVersion", ""))
            kev_entries = {
                k: KevEntry(
                    cve=k,
                    date_added=str(v.get("dateAdded", "")),
                    due_date=str(v.get("dueDate", "")),
                    ransomware=bool(v.get("ransomware", False)),
                )
                for k, v in dict(doc.get("entries", {})).items()
            }
    scores: dict[str, EpssScore] = {}
    model = date = ""
    if epss is not None and epss.is_file():
        if epss.suffix in (".csv", ".gz"):
            model, date, scores = parse_epss(fetch(str(epss)), source=str(epss))
        else:
            doc = _read_json(epss)
            model, date = str(doc.get("model_version", "")), str(doc.get("score_date", ""))
            scores = {
                k: EpssScore(probability=float(v[0]), percentile=float(v[1]))
                for k, v in dict(doc.get("scores", {})).items()
            }
    return Feeds(
        kev=kev_entries, kev_version=kev_version, epss=scores, epss_model=model, epss_date=date
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedError(f"cannot read feed file {path}: {e}") from e
    if not isinstance(doc, dict):
        raise FeedError(f"{path}: not a JSON object")
    return doc


@dataclass(frozen=True, kw_only=True)
class FeedUpdate:
    kev_path: Path | None
    kev_version: str
    kev_entries: int
    epss_path: Path | None
    epss_model: str
    epss_date: str
    epss_entries: int


def update(directory: Path, *, kev: str | None, epss: str | None) -> FeedUpdate:
    """Read the KEV and/or EPSS feed from a file or URL and store them in ``directory``."""
    if kev is None and epss is None:
        raise FeedError("nothing to update: give --kev and/or --epss")
    kev_path = epss_path = None
    kev_version = model = date = ""
    kev_n = epss_n = 0
    if kev is not None:
        kev_version, entries = parse_kev(fetch(kev), source=kev)
        kev_path, kev_n = save_kev(directory, kev_version, entries), len(entries)
    if epss is not None:
        model, date, scores = parse_epss(fetch(epss), source=epss)
        epss_path, epss_n = save_epss(directory, model, date, scores), len(scores)
    return FeedUpdate(
        kev_path=kev_path,
        kev_version=kev_version,
        kev_entries=kev_n,
        epss_path=epss_path,
        epss_model=model,
        epss_date=date,
        epss_entries=epss_n,
    )
