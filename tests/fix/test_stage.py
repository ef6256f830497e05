from __future__ import annotations

import subprocess
from pathlib import Path

from mamori.domain import DependencyRef, Finding, FixerId, RiskClass, Strategy
from mamori.fix.codemods.cookie_flags import CookieFlagsFixer
from mamori.fix.codemods.deps_upgrade import DepsUpgradeFixer
from mamori.fix.codemods.yaml_safe_load import YamlSafeLoadFixer
from mamori.fix.interface import FileReader, FixerInfo, FixError, FixProposal
from mamori.fix.stage import builtin_fixers, propose_fixes, unified_diff
from tests.fix.helpers import make_finding, reader

YAML_SRC = "import yaml\n\n\ndef load(data):\n    return yaml.load(data, Loader=yaml.Loader)\n"


def _git_apply(tmp_path: Path, files: dict[str, str], diff: str) -> dict[str, str]:
    repo = tmp_path / "repo"
    for rel, text in files.items():
        p = repo / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "fix.diff").write_text(diff)
    subprocess.run(["git", "apply", "--check", "fix.diff"], cwd=repo, check=True)
    subprocess.run(["git", "apply", "fix.diff"], cwd=repo, check=True)
    return {rel: (repo / rel).read_text() for rel in files}


def test_patch_is_git_applicable_and_deterministic(tmp_path: Path) -> None:
    files = {"app/loader.py": YAML_SRC}
    finding = make_finding(cwe=502, line=5, path="app/loader.py")
    out = propose_fixes([finding], read=reader(files), fixers=builtin_fixers(), requested_by="ana")
    assert out.unfixable == ()
    (patch,) = out.patches
    assert patch.fixer_id == "mamori:fix/yaml-safe-load"
    head = patch.diff.splitlines()[:4]
    assert head[0] == "diff --git a/app/loader.py b/app/loader.py"
    assert head[1].startswith("index ") and ".." in head[1]
    assert head[2:] == ["--- a/app/loader.py", "+++ b/app/loader.py"]
    assert patch.files == ("app/loader.py",)
    assert patch.risk is RiskClass.LOW and patch.strategy is Strategy.DETERMINISTIC
    assert patch.requested_by == "ana" and patch.finding_id == finding.id
    assert patch.id.startswith("P-") and len(patch.id) == 14
    again = propose_fixes([finding], read=reader(files), fixers=builtin_fixers(), requested_by="bo")
    assert again.patches[0].id == patch.id
    applied = _git_apply(tmp_path, files, patch.diff)
    assert "yaml.safe_load(data)" in applied["app/loader.py"]


def test_missing_newline_at_end_of_file(tmp_path: Path) -> None:
    files = {"a.py": YAML_SRC.rstrip("\n")}
    finding = make_finding(cwe=502, line=5, path="a.py")
    out = propose_fixes(
        [finding], read=reader(files), fixers=[YamlSafeLoadFixer()], requested_by="x"
    )
    (patch,) = out.patches
    assert "\\ No newline at end of file\n" in patch.diff
    applied = _git_apply(tmp_path, files, patch.diff)
    assert applied["a.py"].endswith("yaml.safe_load(data)")


def test_unfixable_reasons() -> None:
    files = {"app/x.py": "x = 1\n"}
    no_fixer = make_finding(cwe=1, line=1, path="app/x.py", fid="F-a")
    declined = make_finding(cwe=502, line=1, path="app/x.py", fid="F-b")
    out = propose_fixes(
        [no_fixer, declined], read=reader(files), fixers=builtin_fixers(), requested_by="x"
    )
    assert out.patches == ()
    assert out.unfixable[0] == ("F-a", "no fixer for CWE-1")
    assert out.unfixable[1][0] == "F-b"
    # Both 502 fixers (pickle, then YAML) were tried; each one's reason is kept.
    assert "fixer mamori:fix/yaml-safe-load declined:" in out.unfixable[1][1]
    assert "fixer mamori:fix/pickle-to-json declined:" in out.unfixable[1][1]


class _Broken:
    info = FixerInfo(
        id=FixerId("test:broken"),
        title="t",
        cwes=(614,),
        risk=RiskClass.LOW,
        risk_reason="r",
        description="d",
    )

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def applies_to(self, finding: Finding) -> bool:
        return True

    def fix(self, finding: Finding, read: FileReader) -> FixProposal | None:
        raise self.exc


def test_fixer_errors_are_recorded_not_raised() -> None:
    f = make_finding(cwe=614, line=1)
    out = propose_fixes([f], read=reader({}), fixers=[_Broken(KeyError("boom"))], requested_by="x")
    assert out.unfixable == (("F-1", "fixer test:broken failed: KeyError: 'boom'"),)
    out = propose_fixes([f], read=reader({}), fixers=[_Broken(FixError("bad"))], requested_by="x")
    assert out.unfixable == (("F-1", "fixer test:broken failed: bad"),)


def test_next_applicable_fixer_is_tried_after_a_failure() -> None:
    src = 'resp.set_cookie("k", v)\n'
    f = make_finding(cwe=614, line=1)
    out = propose_fixes(
        [f],
        read=reader({"app/views.py": src}),
        fixers=[_Broken(KeyError("x")), CookieFlagsFixer()],
        requested_by="x",
    )
    assert [p.fixer_id for p in out.patches] == ["mamori:fix/cookie-flags"]
    alone = propose_fixes(
        [f], read=reader({"app/views.py": src}), fixers=[_Broken(KeyError("x"))], requested_by="x"
    )
    assert alone.patches == () and alone.unfixable[0][1].startswith("fixer test:broken failed")


def test_declined_reason_is_reported() -> None:
    src = "import pickle\n\n\ndef f(fh):\n    return pickle.load(fh)\n"
    f = make_finding(cwe=502, line=5)
    out = propose_fixes(
        [f], read=reader({"app/views.py": src}), fixers=builtin_fixers(), requested_by="x"
    )
    assert out.patches == ()
    assert out.unfixable[0][1] == (
        "fixer mamori:fix/pickle-to-json declined: pickle.load of a file: the file format must"
        " change too"
    )


def test_risk_is_the_max_of_declared_and_proposed() -> None:
    dep = DependencyRef(
        package="requests",
        version="1.2.0",
        manifest="requirements.txt",
        advisory_id="A",
        fixed_versions=("2.20.0",),
    )
    f = make_finding(cwe=1395, line=1, path="requirements.txt", dependency=dep)
    out = propose_fixes(
        [f],
        read=reader({"requirements.txt": "requests==1.2.0\n"}),
        fixers=[DepsUpgradeFixer()],
        requested_by="x",
    )
    (patch,) = out.patches
    assert patch.risk is RiskClass.HIGH
    assert "major upgrade" in patch.risk_reason


def test_unified_diff_sorts_files() -> None:
    files = {"b.txt": "1\n", "a.txt": "1\n"}
    diff = unified_diff(reader(files), {"b.txt": "2\n", "a.txt": "2\n"})
    assert diff.index("--- a/a.txt") < diff.index("--- a/b.txt")


def test_registry_has_unique_documented_fixers() -> None:
    fixers = builtin_fixers()
    ids = [f.info.id for f in fixers]
    assert len(ids) == len(set(ids)) >= 12
    for f in fixers:
        assert f.info.id.startswith("mamori:fix/")
        assert f.info.cwes and f.info.title and f.info.description and f.info.risk_reason
