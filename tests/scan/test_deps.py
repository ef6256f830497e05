from __future__ import annotations

import json
from pathlib import Path

import pytest

from mamori.domain import Confidence, Severity
from mamori.errors import BadInputFileError, ConfigError
from mamori.fingerprint import fingerprint
from mamori.scan.deps import (
    DependencyScanner,
    DepsOptions,
    bundled_advisory_db,
    load_advisory_db,
    lowest_fixes,
    read_pins,
)
from mamori.scan.interface import Scanner, ScanOptions
from mamori.scan.inventory import build_target

DEMO_REQUIREMENTS = "flask>=3.0\nPyYAML==5.3.1\nrequests==2.19.1\n"


def scan(root: Path, *, db: Path | None = None, options_db: Path | None = None, exclude=()):
    target, _ = build_target(root, ScanOptions(advisory_db=options_db, exclude=exclude))
    return DependencyScanner(DepsOptions(advisory_db=db)).scan(target)


def write_advisory(
    db: Path, package: str, adv_id: str, body: dict, *, suffix: str = ".yaml"
) -> Path:
    import yaml

    record = {"id": adv_id, "aliases": [], "details": "", **body}
    d = db / package
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{adv_id}{suffix}"
    path.write_text(json.dumps(record) if suffix == ".json" else yaml.safe_dump(record))
    return path


def affected(
    package: str, *events: dict, versions: list[str] | None = None, kind="ECOSYSTEM"
) -> list:
    return [
        {
            "package": {"name": package, "ecosystem": "PyPI"},
            "ranges": [{"type": kind, "events": list(events)}],
            "versions": versions or [],
        }
    ]


def test_is_a_scanner_constructible_without_arguments() -> None:
    scanner = DependencyScanner()
    assert isinstance(scanner, Scanner)
    assert scanner.id == "deps"


def test_demo_pins_with_the_bundled_subset(make_repo) -> None:
    root = make_repo({"requirements.txt": DEMO_REQUIREMENTS})
    report = scan(root)
    by_pkg = {f.dependency.package: f for f in report.findings if f.dependency}
    assert set(by_pkg) == {"pyyaml", "requests"}  # flask>=3.0 is not a pin

    yaml_f = by_pkg["pyyaml"]
    assert yaml_f.rule_id == "deps:vulnerable-dependency"
    assert yaml_f.engine == "deps"
    assert yaml_f.cwe == 1395
    assert yaml_f.location.path == "requirements.txt"
    assert yaml_f.location.start_line == 2
    assert yaml_f.snippet == "PyYAML==5.3.1"
    assert yaml_f.confidence is Confidence.HIGH
    dep = yaml_f.dependency
    assert dep is not None
    assert (dep.package, dep.version, dep.manifest) == ("pyyaml", "5.3.1", "requirements.txt")
    # PYSEC-2020-96 is fixed in 5.3.1; PYSEC-2021-142 (before 5.4) still applies.
    assert dep.advisory_id == "PYSEC-2021-142"
    assert "CVE-2020-14343" in dep.aliases
    assert dep.fixed_versions[0] == "5.4"
    # "arbitrary code execution" in the text and no CVSS vector: HIGH by the documented rule.
    assert yaml_f.severity is Severity.HIGH
    assert yaml_f.fingerprint == fingerprint(
        cwe=1395, path="requirements.txt", scope="", line_text="pyyaml dependency"
    )

    req = by_pkg["requests"].dependency
    assert req is not None
    assert req.advisory_id == "PYSEC-2018-28"
    assert "PYSEC-2023-74" in req.aliases and "CVE-2018-18074" in req.aliases
    # 2.20.0 fixes PYSEC-2018-28 but PYSEC-2023-74 affects it until 2.31.0.
    assert req.fixed_versions[0] == "2.31.0"
    assert report.files_scanned == 1


def test_full_database_lowest_fixed_version(make_repo, full_advisory_db: Path) -> None:
    root = make_repo({"requirements.txt": "PyYAML==5.3.1\npyyaml-include==1.0\n"})
    report = scan(root, db=full_advisory_db)
    [f] = [f for f in report.findings if f.dependency and f.dependency.package == "pyyaml"]
    assert f.dependency is not None
    assert f.dependency.fixed_versions[0] == "5.4"
    assert f.dependency.advisory_id == "PYSEC-2021-142"


def test_several_advisories_make_one_finding(make_repo, full_advisory_db: Path) -> None:
    root = make_repo({"requirements.txt": "pyyaml==5.1\n"})
    [f] = scan(root, db=full_advisory_db).findings
    dep = f.dependency
    assert dep is not None
    ids = {dep.advisory_id} | {a for a in dep.aliases if a.startswith("PYSEC-")}
    # 5.1 is fixed for PYSEC-2018-49 (before 5.1) but within the three others.
    assert ids == {"PYSEC-2020-176", "PYSEC-2020-96", "PYSEC-2021-142"}
    # 5.2b1 (a pre-release) and 5.3.1 fix some but not all; 5.4 fixes all three.
    assert dep.fixed_versions[0] == "5.4"
    assert "3 known vulnerabilities" in f.message


def test_fingerprint_is_stable_when_the_version_changes(make_repo) -> None:
    a = scan(make_repo({"requirements.txt": "pyyaml==5.3.1\n"})).findings
    b = scan(make_repo({"requirements.txt": "# pinned\npyyaml==5.1\n"})).findings
    assert len(a) == len(b) == 1
    assert a[0].fingerprint == b[0].fingerprint
    assert a[0].location.start_line == 1 and b[0].location.start_line == 2


def test_pyproject_pep621_and_poetry_pins(make_repo) -> None:
    pyproject = """\
[project]
name = "demo"
dependencies = [
  "flask>=3",
  "PyYAML==5.3.1",
]

[project.optional-dependencies]
http = ["requests===2.19.1"]

[tool.poetry.dependencies]
python = "^3.11"
Jinja2 = "2.10"
werkzeug = {version = "^2.0"}

[tool.poetry.group.dev.dependencies]
Flask = {version = "==0.12"}
"""
    root = make_repo({"svc/pyproject.toml": pyproject})
    pins, problems = read_pins(root, "svc/pyproject.toml")
    assert problems == []
    got = {(p.package, p.version, p.line) for p in pins}
    assert got == {
        ("pyyaml", "5.3.1", 5),
        ("requests", "2.19.1", 9),
        ("jinja2", "2.10", 13),
        ("flask", "0.12", 17),
    }
    report = scan(root)
    vulnerable = {f.dependency.package for f in report.findings if f.dependency}
    assert vulnerable == {"pyyaml", "requests", "jinja2", "flask"}
    assert all(f.location.path == "svc/pyproject.toml" for f in report.findings)


def test_requirements_syntax(make_repo) -> None:
    text = """\
# comment
-r base.txt
--index-url https://example.invalid/simple
-e .
./local-package
pyyaml==5.3.1 ; python_version >= "3.8"  # inline comment
requests==2.19.* \\
    --hash=sha256:0000
Jinja2==2.10 \\
    --hash=sha256:0000
not a requirement !!
https://example.invalid/pkg.zip
"""
    root = make_repo({"requirements/dev.txt": text, "constraints-ci.txt": "flask===0.12\n"})
    pins, problems = read_pins(root, "requirements/dev.txt")
    assert {(p.package, p.version, p.line) for p in pins} == {
        ("pyyaml", "5.3.1", 6),
        ("jinja2", "2.10", 9),
    }
    [problem] = problems
    assert problem.path == "requirements/dev.txt"
    assert problem.reason.startswith("line 11: cannot parse requirement")
    report = scan(root)
    assert {f.location.path for f in report.findings} == {
        "requirements/dev.txt",
        "constraints-ci.txt",
    }
    assert report.not_analysed == (problem,)


def test_excluded_and_skipped_directories_are_not_read(make_repo) -> None:
    root = make_repo(
        {
            "requirements.txt": "flask>=3\n",
            "third_party/requirements.txt": "pyyaml==5.3.1\n",
            ".venv/requirements.txt": "pyyaml==5.3.1\n",
            "docs/requirements-docs.txt": "requests==2.19.1\n",
        }
    )
    report = scan(root, exclude=("third_party",))
    assert [f.location.path for f in report.findings] == ["docs/requirements-docs.txt"]
    assert report.files_scanned == 2


def test_options_and_target_choose_the_database(make_repo, tmp_path: Path) -> None:
    db = tmp_path / "db"
    write_advisory(
        db,
        "leftpad",
        "TEST-1",
        {"affected": affected("leftpad", {"introduced": "0"}, {"fixed": "2.0"})},
    )
    root = make_repo({"requirements.txt": "leftpad==1.0\npyyaml==5.3.1\n"})
    # The bundled subset knows nothing of leftpad.
    assert {f.dependency.package for f in scan(root).findings} == {"pyyaml"}
    assert {f.dependency.package for f in scan(root, options_db=db).findings} == {"leftpad"}
    assert {f.dependency.package for f in scan(root, db=db).findings} == {"leftpad"}
    assert bundled_advisory_db().is_dir()


def test_range_semantics(tmp_path: Path) -> None:
    db = tmp_path / "db"
    write_advisory(
        db,
        "pkg",
        "T-RANGES",
        {
            "affected": [
                {
                    "package": {"name": "Pkg", "ecosystem": "PyPI"},
                    "ranges": [
                        {
                            "type": "GIT",
                            "repo": "x",
                            "events": [{"introduced": "0"}, {"fixed": "abc123"}],
                        },
                        {
                            "type": "ECOSYSTEM",
                            "events": [
                                {"introduced": "1.0"},
                                {"fixed": "1.4"},
                                {"introduced": "2.0"},
                                {"last_affected": "2.2"},
                            ],
                        },
                    ],
                    "versions": ["0.5"],
                }
            ]
        },
    )
    write_advisory(
        db,
        "pkg",
        "T-WITHDRAWN",
        {"withdrawn": "2024-01-01T00:00:00Z", "affected": affected("pkg", {"introduced": "0"})},
    )
    [adv] = load_advisory_db(db).for_package("PKG")
    assert adv.id == "T-RANGES"
    verdicts = {
        v: adv.affects(v)
        for v in ["0.4", "0.5", "1.0", "1.3.9", "1.4", "1.9", "2.0", "2.2", "2.2.1"]
    }
    assert verdicts == {
        "0.4": False,
        "0.5": True,  # only through the explicit versions list
        "1.0": True,
        "1.3.9": True,
        "1.4": False,
        "1.9": False,
        "2.0": True,
        "2.2": True,
        "2.2.1": False,
    }
    assert lowest_fixes("1.2", [adv]) == ("1.4",)
    assert lowest_fixes("2.1", [adv]) == ()  # last_affected only: no fixed release is known


def test_fixed_versions_are_ascending_and_fix_everything(tmp_path: Path) -> None:
    db = tmp_path / "db"
    write_advisory(
        db, "pkg", "A", {"affected": affected("pkg", {"introduced": "0"}, {"fixed": "1.5"})}
    )
    write_advisory(
        db,
        "pkg",
        "B",
        {
            "affected": affected(
                "pkg",
                {"introduced": "0"},
                {"fixed": "1.2"},
                {"introduced": "1.6"},
                {"fixed": "1.8rc1"},
                {"fixed": "1.8"},
            )
        },
    )
    advs = list(load_advisory_db(db).for_package("pkg"))
    # 1.2 is still affected by A; 1.5 is fixed for both; 1.8rc1 is a pre-release (dropped);
    # 1.8 fixes both again.
    assert lowest_fixes("1.0", advs) == ("1.5", "1.8")
    assert lowest_fixes("1.6", advs) == ("1.8",)


def test_json_and_flat_layouts(tmp_path: Path, make_repo) -> None:
    db = tmp_path / "flat"
    db.mkdir()
    (db / "GHSA-xxxx.json").write_text(
        json.dumps(
            {
                "id": "GHSA-xxxx",
                "aliases": ["CVE-2099-1"],
                "summary": "Denial of service",
                "affected": affected("Some_Pkg", {"introduced": "0"}, {"fixed": "3.0"}),
                "database_specific": {"severity": "CRITICAL"},
            }
        )
    )
    write_advisory(
        db,
        "other",
        "OSV-2",
        {"affected": affected("other", {"introduced": "0"}, {"fixed": "1"})},
        suffix=".json",
    )
    root = make_repo({"requirements.txt": "some.pkg==2.0\nother==0.1\n"})
    report = scan(root, db=db)
    sev = {f.dependency.package: f.severity for f in report.findings}
    assert sev == {"some-pkg": Severity.CRITICAL, "other": Severity.MEDIUM}


def test_severity_rule(tmp_path: Path, make_repo) -> None:
    db = tmp_path / "db"
    events = ({"introduced": "0"}, {"fixed": "9"})
    write_advisory(
        db,
        "cvsspkg",
        "S-1",
        {
            "affected": affected("cvsspkg", *events),
            "severity": [
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}
            ],
            "details": "arbitrary code execution",  # the CVSS score wins over the text
        },
    )
    write_advisory(
        db,
        "rcepkg",
        "S-2",
        {"affected": affected("rcepkg", *events), "details": "allows remote code execution"},
    )
    write_advisory(
        db,
        "plainpkg",
        "S-3",
        {"affected": affected("plainpkg", *events), "details": "leaks a header"},
    )
    root = make_repo({"requirements.txt": "cvsspkg==1\nrcepkg==1\nplainpkg==1\n"})
    sev = {f.dependency.package: f.severity for f in scan(root, db=db).findings}
    assert sev == {"cvsspkg": Severity.HIGH, "rcepkg": Severity.HIGH, "plainpkg": Severity.MEDIUM}


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("BAD-1.yaml", "id: BAD-1\naffected: [\n", "not valid YAML"),
        ("BAD-2.json", '{"id": ', "not valid JSON"),
        ("BAD-3.yaml", "- just\n- a list\n", "not a valid OSV record"),
        ("BAD-4.yaml", "affected: []\n", "not a valid OSV record"),
    ],
)
def test_corrupt_advisory_names_the_file(
    tmp_path: Path, make_repo, name: str, content: str, needle: str
) -> None:
    db = tmp_path / "db"
    (db / "brokenpkg").mkdir(parents=True)
    (db / "brokenpkg" / name).write_text(content)
    root = make_repo({"requirements.txt": "brokenpkg==1.0\n"})
    with pytest.raises(BadInputFileError) as info:
        scan(root, db=db)
    assert str(db / "brokenpkg" / name) in info.value.message
    assert needle in info.value.message


def test_missing_database_is_a_config_error(make_repo, tmp_path: Path) -> None:
    root = make_repo({"requirements.txt": "pyyaml==5.3.1\n"})
    with pytest.raises(ConfigError, match="not a directory"):
        scan(root, db=tmp_path / "nope")


def test_databases_are_cached_per_directory(tmp_path: Path) -> None:
    db = tmp_path / "db"
    write_advisory(db, "pkg", "C-1", {"affected": affected("pkg", {"introduced": "0"})})
    first = load_advisory_db(db)
    assert load_advisory_db(tmp_path / "db" / ".." / "db") is first
    assert first.for_package("pkg") is first.for_package("pkg")
