# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.domain import DependencyRef, RiskClass
from mamori.fix.codemods.deps_upgrade import DepsUpgradeFixer, bump_risk
from mamori.fix.interface import Declined, FixProposal
from mamori.fix.stage import ListingReader
from tests.fix.helpers import make_finding, reader

FIXER = DepsUpgradeFixer()


def _finding(manifest: str, package: str, version: str, fixed: str):  # type: ignore[no-untyped-def]
    dep = DependencyRef(
        package=package,
        version=version,
        manifest=manifest,
        advisory_id="PYSEC-2020-96",
        aliases=("CVE-2020-1747",),
        fixed_versions=(fixed,),
    )
    return make_finding(cwe=1395, line=2, path=manifest, dependency=dep)


def test_requirements_pin_bumped_keeping_format() -> None:
    text = (
        "flask>=3.0\nPyYAML==5.3.1  # config files\nrequests == 2.19.1 ; python_version >= '3.8'\n"
    )
    proposal = FIXER.fix(
        _finding("requirements.txt", "pyyaml", "5.3.1", "5.4"), reader({"requirements.txt": text})
    )
    assert proposal is not None
    assert proposal.changes["requirements.txt"] == text.replace("PyYAML==5.3.1", "PyYAML==5.4")
    assert proposal.risk is RiskClass.MEDIUM
    proposal = FIXER.fix(
        _finding("requirements.txt", "requests", "2.19.1", "2.20.0"),
        reader({"requirements.txt": text}),
    )
    assert proposal is not None
    assert "requests == 2.20.0 ; python_version >= '3.8'\n" in proposal.changes["requirements.txt"]


def test_idempotent_and_declines_hashes() -> None:
    bumped = "PyYAML==5.4\n"
    assert (
        FIXER.fix(
            _finding("requirements.txt", "pyyaml", "5.3.1", "5.4"),
            reader({"requirements.txt": bumped}),
        )
        is None
    )
    hashed = "PyYAML==5.3.1 \\\n    --hash=sha256:abc\n"
    out = FIXER.fix(
        _finding("requirements.txt", "pyyaml", "5.3.1", "5.4"),
        reader({"requirements.txt": hashed}),
    )
    assert isinstance(out, Declined) and "hash-pinned" in out.reason


def _listing(files: dict[str, str]) -> ListingReader:
    return ListingReader(reader(files), tuple(files))


def test_lock_files_are_refused_with_the_command_to_run() -> None:
    out = FIXER.fix(_finding("poetry.lock", "pyyaml", "5.3.1", "5.4"), reader({}))
    assert isinstance(out, Declined) and "`poetry update pyyaml`" in out.reason
    files = {
        "pyproject.toml": '[tool.poetry.dependencies]\npyyaml = "5.3.1"\n',
        "poetry.lock": "# lock\n",
    }
    out = FIXER.fix(_finding("pyproject.toml", "pyyaml", "5.3.1", "5.4"), _listing(files))
    assert isinstance(out, Declined) and "poetry.lock locks the versions" in out.reason


def test_other_constraints_in_the_project_are_respected() -> None:
    files = {
        "requirements.txt": "PyYAML==5.3.1\nflask==3.0.0\n",
        "constraints.txt": "pyyaml<5.4  # breaks our loader\n",
    }
    out = FIXER.fix(_finding("requirements.txt", "pyyaml", "5.3.1", "5.4"), _listing(files))
    assert isinstance(out, Declined)
    assert "constraints.txt constrains pyyaml to `pyyaml<5.4  # breaks our loader`" in out.reason
    # The same exact pin in a constraints file moves with it, in the same patch.
    files["constraints.txt"] = "pyyaml==5.3.1\n"
    out = FIXER.fix(_finding("requirements.txt", "pyyaml", "5.3.1", "5.4"), _listing(files))
    assert isinstance(out, FixProposal)
    assert dict(out.changes) == {
        "requirements.txt": "PyYAML==5.4\nflask==3.0.0\n",
        "constraints.txt": "pyyaml==5.4\n",
    }
    # A compatible range elsewhere is fine and left alone.
    files["constraints.txt"] = "pyyaml>=5,<7\n"
    out = FIXER.fix(_finding("requirements.txt", "pyyaml", "5.3.1", "5.4"), _listing(files))
    assert isinstance(out, FixProposal) and set(out.changes) == {"requirements.txt"}


def test_pyproject_pep621_and_poetry() -> None:
    pep621 = '[project]\nname = "x"\ndependencies = [\n  "flask>=3",\n  "PyYAML==5.3.1",\n]\n'
    proposal = FIXER.fix(
        _finding("pyproject.toml", "pyyaml", "5.3.1", "5.4.1"), reader({"pyproject.toml": pep621})
    )
    assert proposal is not None
    assert proposal.changes["pyproject.toml"] == pep621.replace("5.3.1", "5.4.1")
    poetry = '[tool.poetry.dependencies]\npython = "^3.11"\npyyaml = "^5.3.1"\nrequests = {version = "2.19.1", optional = true}\n'
    proposal = FIXER.fix(
        _finding("pyproject.toml", "pyyaml", "5.3.1", "5.4"), reader({"pyproject.toml": poetry})
    )
    assert proposal is not None
    assert proposal.changes["pyproject.toml"] == poetry.replace('"^5.3.1"', '"^5.4"')
    proposal = FIXER.fix(
        _finding("pyproject.toml", "requests", "2.19.1", "2.20.0"),
        reader({"pyproject.toml": poetry}),
    )
    assert proposal is not None
    assert 'requests = {version = "2.20.0", optional = true}' in proposal.changes["pyproject.toml"]


def test_risk_by_version_step() -> None:
    assert bump_risk("2.19.1", "2.19.2")[0] is RiskClass.LOW
    assert bump_risk("5.3.1", "5.4")[0] is RiskClass.MEDIUM
    assert bump_risk("1.9", "2.0")[0] is RiskClass.HIGH


def test_applies_only_to_dependency_findings() -> None:
    assert FIXER.applies_to(_finding("requirements.txt", "pyyaml", "5.3.1", "5.4"))
    assert not FIXER.applies_to(make_finding(cwe=1395, line=1))
