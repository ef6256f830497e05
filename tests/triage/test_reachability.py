"""Pattern-only findings the dataflow engine found unreached: marked in triage with the reason,
kept open, held from automatic patching unless ``[fix] pattern_only = "fix"``; fail closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.config import Config
from mamori.domain import (
    Confidence,
    EngineId,
    FindingId,
    FindingStatus,
    FlowStep,
    Location,
    NotAnalysed,
    RawFinding,
    RunId,
    ScanReport,
    Severity,
)
from mamori.pipeline import held_for_review, select_fix_candidates
from mamori.scan.interface import ScanOptions
from mamori.scan.runner import ScanPlan, line_reader, run_scan, select_scanners
from mamori.scan.source import SourceFile, make_finding
from mamori.store.interface import RiskAcceptance
from mamori.triage.interface import TriageResult
from mamori.triage.reachability import (
    FLOW_CWES,
    NO_FLOW_REASON,
    DataflowCoverage,
    no_flow_reason,
    plain_word_token_reason,
)
from mamori.triage.stage import triage

# A shell command built from module constants: Bandit flags shell=True; no input reaches it.
APP = """\
import subprocess

BUILD_DIR = "/srv/build"


def rebuild():
    cmd = "make -C " + BUILD_DIR
    return subprocess.run(cmd, shell=True, check=False)
"""
SHELL_LINE = 8


def _raw(
    src: SourceFile,
    line: int,
    *,
    engine: str = "bandit",
    cwe: int = 78,
    rule: str = "bandit:B602",
    flow: tuple[FlowStep, ...] = (),
) -> RawFinding:
    return make_finding(
        source=src,
        path=src.path,
        line=line,
        rule_id=rule,
        engine=EngineId(engine),
        cwe=cwe,
        message="m",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        flow=flow,
    )


def _report(
    raws: list[RawFinding],
    *,
    engines: tuple[str, ...] = ("mamori", "bandit"),
    not_analysed: tuple[NotAnalysed, ...] = (),
) -> ScanReport:
    return ScanReport(
        findings=tuple(raws),
        not_analysed=not_analysed,
        engines=tuple(EngineId(e) for e in engines),
        files_scanned=1,
    )


def _triage(raws: list[RawFinding], report: ScanReport, src: SourceFile) -> TriageResult:
    sources = {src.path: src}
    return triage(
        repo="/r",
        run_id=RunId("R1"),
        raws=raws,
        sources=sources,
        read_line=lambda p, n: src.line(n),
        dataflow=DataflowCoverage.from_scan(report, sources),
    )


def _src(text: str = APP, path: str = "app/build.py") -> SourceFile:
    return SourceFile.parse(path, text)


# --- the mark ---------------------------------------------------------------------------------


def test_pattern_only_finding_in_an_analysed_file_is_marked_and_stays_open() -> None:
    src = _src()
    raws = [_raw(src, SHELL_LINE)]
    result = _triage(raws, _report(raws), src)
    [finding] = result.findings
    assert finding.status is FindingStatus.OPEN  # not dismissed: visible, waits for a person
    assert finding.suppression is None
    assert result.unreached == ((finding.id, NO_FLOW_REASON),)


def test_not_marked_when_the_taint_engine_did_not_run() -> None:
    src = _src()
    raws = [_raw(src, SHELL_LINE)]
    assert _triage(raws, _report(raws, engines=("bandit",)), src).unreached == ()
    # Nor without any coverage evidence at all (the default).
    plain = triage(
        repo="/r", run_id=None, raws=raws, sources={src.path: src}, read_line=lambda p, n: ""
    )
    assert plain.unreached == ()


def test_not_marked_when_the_taint_engine_skipped_the_file_or_failed() -> None:
    src = _src()
    raws = [_raw(src, SHELL_LINE)]
    skipped = NotAnalysed(path=src.path, engine=EngineId("mamori"), reason="timeout")
    assert _triage(raws, _report(raws, not_analysed=(skipped,)), src).unreached == ()
    failed = NotAnalysed(path="", engine=EngineId("mamori"), reason="engine failed: boom")
    assert _triage(raws, _report(raws, not_analysed=(failed,)), src).unreached == ()
    # Another engine's trouble with the file says nothing about the dataflow analysis.
    other = NotAnalysed(path=src.path, engine=EngineId("bandit"), reason="bandit failed")
    assert len(_triage(raws, _report(raws, not_analysed=(other,)), src).unreached) == 1


def test_not_marked_for_a_file_the_taint_engine_does_not_analyse() -> None:
    src = _src(path="app/build.pyi")
    raws = [_raw(src, SHELL_LINE)]
    assert _triage(raws, _report(raws), src).unreached == ()


def test_not_marked_when_the_dataflow_engine_reports_the_same_finding() -> None:
    src = _src()
    flow = (FlowStep(location=Location(path=src.path, start_line=7), message="source"),)
    taint = _raw(
        src, SHELL_LINE, engine="mamori", rule="mamori:python/command-injection", flow=flow
    )
    raws = [_raw(src, SHELL_LINE), taint]
    result = _triage(raws, _report(raws), src)
    [finding] = result.findings  # one finding, two sources, with the flow
    assert finding.flow and len(finding.sources) == 2
    assert result.unreached == ()


def test_not_marked_when_a_flow_of_the_same_weakness_ends_in_the_same_function() -> None:
    # Bandit flags the string-built query, the taint engine the execute call below it.
    code = (
        "def find(db, name):\n"
        "    q = \"SELECT * FROM t WHERE n = '%s'\" % name\n"
        "    return db.execute(q)\n"
    )
    src = _src(code, "app/q.py")
    flow = (FlowStep(location=Location(path=src.path, start_line=1), message="name"),)
    raws = [
        _raw(src, 2, cwe=89, rule="bandit:B608"),
        _raw(src, 3, engine="mamori", cwe=89, rule="mamori:python/sql-injection", flow=flow),
    ]
    result = _triage(raws, _report(raws), src)
    assert len(result.findings) == 2
    assert result.unreached == ()


def test_not_marked_when_a_flow_of_another_label_reaches_the_same_call() -> None:
    # Bandit calls eval CWE-78, the taint engine code injection CWE-95: two findings, one call.
    code = "def calc(expr):\n    return eval(expr)\n"
    src = _src(code, "app/c.py")
    flow = (FlowStep(location=Location(path=src.path, start_line=1), message="expr"),)
    raws = [
        _raw(src, 2, cwe=78, rule="bandit:B307"),
        _raw(src, 2, engine="mamori", cwe=95, rule="mamori:python/code-injection", flow=flow),
    ]
    result = _triage(raws, _report(raws), src)
    assert len(result.findings) == 2
    assert result.unreached == ()


def test_a_flow_in_the_same_function_blocks_the_mark_one_elsewhere_does_not() -> None:
    # The taint engine stops at compile (CWE-95); Bandit flags the exec below it (CWE-78).
    code = (
        "import os\n\nCMD = 'ls'\n\n\n"
        "def hook(src):\n    code = compile(src, 'h', 'exec')\n    exec(code, {})\n\n\n"
        "def listing():\n    return os.system(CMD)\n"
    )
    src = _src(code, "app/r.py")
    flow = (FlowStep(location=Location(path=src.path, start_line=6), message="src"),)
    raws = [
        _raw(src, 7, engine="mamori", cwe=95, rule="mamori:python/code-injection", flow=flow),
        _raw(src, 8, cwe=78, rule="bandit:B102"),
        _raw(src, 12, cwe=78, rule="bandit:B605"),
    ]
    result = _triage(raws, _report(raws), src)
    [listing] = [f for f in result.findings if f.scope == "listing"]
    assert dict(result.unreached) == {listing.id: NO_FLOW_REASON}


def test_context_cwes_are_not_flow_rules_and_stay_as_they_are() -> None:
    src = _src('PASSWORD = "hunter2"\n', "app/s.py")
    coverage = DataflowCoverage(files=frozenset({src.path}), sources={src.path: src})
    for cwe in (259, 327, 328, 330, 614, 798, 916):
        assert cwe not in FLOW_CWES
        raws = [_raw(src, 1, cwe=cwe, rule="bandit:B105")]
        [finding] = triage(
            repo="/r", run_id=None, raws=raws, sources={src.path: src}, read_line=lambda p, n: ""
        ).findings
        assert no_flow_reason(finding, coverage) is None
    assert {78, 89, 502} <= FLOW_CWES


# --- CWE-798: a plain word under a "token" name ---------------------------------------------


def _secret_reason(code: str, line: int = 1, *, analysed: bool = True) -> str | None:
    src = _src(code, "app/settings.py")
    raws = [_raw(src, line, cwe=798, rule="bandit:B105")]
    [finding] = triage(
        repo="/r", run_id=None, raws=raws, sources={src.path: src}, read_line=lambda p, n: ""
    ).findings
    files = frozenset({src.path}) if analysed else frozenset()
    return no_flow_reason(finding, DataflowCoverage(files=files, sources={src.path: src}))


@pytest.mark.parametrize(
    "code",
    [
        'DEFAULT_TOKEN = "books"\n',
        'settings.page_token = "first"\n',
        'cfg = {"next_token": "start"}\n',
        'def list_items(continuation_token="begin"):\n    return continuation_token\n',
        'client.fetch(paging_token="none")\n',
        'if next_token == "done":\n    pass\n',
    ],
)
def test_a_plain_word_under_a_bare_token_name_is_held(code: str) -> None:
    reason = _secret_reason(code)
    assert reason is not None and "plain word" in reason
    assert "books" not in reason  # the value itself never goes into a reason or the ledger


@pytest.mark.parametrize(
    "code",
    [
        'PASSWORD = "hunter2"\n',  # a password name: a weak password is still a password
        'ADMIN_PASSWORD = "admin"\n',
        'db_passwd_token = "books"\n',
        'connect(password="books")\n',
        'API_TOKEN = "books"\n',  # a credential name for Mamori's own secret rule
        'AUTH_TOKEN = "books"\n',
        'SECRET_TOKEN = "books"\n',
        'TOKEN_KEY = "books"\n',
        'DEFAULT_TOKEN = "a8f5f167f44f4964e6c998dee827110c"\n',  # the shape of a real token
        'DEFAULT_TOKEN = "Books-2024"\n',
        'DEFAULT_TOKEN = "books"; PASSWORD = "admin"\n',  # every literal on the line must pass
        "DEFAULT_TOKEN = 'books' + suffix\n",  # not a literal
    ],
)
def test_credentials_and_token_shaped_values_are_not_held(code: str) -> None:
    assert _secret_reason(code) is None


def test_the_token_mark_needs_the_taint_engine_to_have_checked_the_file() -> None:
    assert _secret_reason('DEFAULT_TOKEN = "books"\n', analysed=False) is None
    src = _src('DEFAULT_TOKEN = "books"\n', "app/settings.py")
    [finding] = triage(
        repo="/r",
        run_id=None,
        raws=[_raw(src, 1, cwe=798, rule="bandit:B105")],
        sources={src.path: src},
        read_line=lambda p, n: "",
    ).findings
    assert plain_word_token_reason(finding, src) is not None
    # Reported by Mamori's own engine as well: not pattern-only, so never held.
    both = triage(
        repo="/r",
        run_id=None,
        raws=[
            _raw(src, 1, cwe=798, rule="bandit:B105"),
            _raw(src, 1, cwe=798, rule="mamori:python/hardcoded-secret", engine="mamori"),
        ],
        sources={src.path: src},
        read_line=lambda p, n: "",
    ).findings
    coverage = DataflowCoverage(files=frozenset({src.path}), sources={src.path: src})
    assert [no_flow_reason(f, coverage) for f in both] == [None] * len(both)


def test_real_engines_a_plain_word_default_token_is_held_a_password_is_fixed(
    tmp_path: Path,
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "logout.py").write_text(
        "import sqlite3\n\n"
        'DEFAULT_TOKEN = "books"\n'
        'ADMIN_PASSWORD = "letmein"\n\n\n'
        "def logout(db: sqlite3.Connection) -> None:\n"
        '    db.execute("DELETE FROM sessions WHERE token = ?", (DEFAULT_TOKEN,))\n'
        "\n\n"
        "def admin(given: str) -> bool:\n"
        "    return given == ADMIN_PASSWORD\n"
    )
    result = _scan_and_triage(tmp_path, ["mamori", "bandit"])
    by_line = {f.location.start_line: f for f in result.findings if f.cwe == 798}
    assert set(by_line) == {3, 4}
    assert by_line[3].engines == ("bandit",)
    held = dict(result.unreached)
    assert set(held) == {by_line[3].id}
    assert "DEFAULT_TOKEN" in held[by_line[3].id]
    # Without the dataflow engine nothing vouches for the name: nothing is marked.
    assert _scan_and_triage(tmp_path, ["bandit"]).unreached == ()


def test_an_unknown_engine_is_not_taken_for_a_pattern_matcher() -> None:
    src = _src()
    raws = [_raw(src, SHELL_LINE, engine="codeql", rule="codeql:py/command-line-injection")]
    assert _triage(raws, _report(raws, engines=("mamori", "codeql")), src).unreached == ()


def test_suppressed_findings_are_not_marked() -> None:
    code = APP.replace(
        "check=False)", "check=False)  # mamori: ignore[B602] build host only, constant command"
    )
    src = _src(code)
    raws = [_raw(src, SHELL_LINE)]
    result = _triage(raws, _report(raws), src)
    [finding] = result.findings
    assert finding.status is FindingStatus.SUPPRESSED
    assert result.unreached == ()


# --- the fix selection ------------------------------------------------------------------------


def _selection_inputs() -> tuple[list, dict[FindingId, str]]:
    src = _src()
    raws = [_raw(src, SHELL_LINE)]
    result = _triage(raws, _report(raws), src)
    return list(result.findings), dict(result.unreached)


def test_review_holds_the_finding_with_the_reason() -> None:
    findings, unreached = _selection_inputs()
    sel = select_fix_candidates(findings, unreached=unreached, pattern_only="review")
    assert sel.candidates == ()
    assert sel.held == (findings[0].id,)
    assert sel.skipped == ((findings[0].id, held_for_review(NO_FLOW_REASON)),)
    assert NO_FLOW_REASON in sel.skipped[0][1]


def test_setting_fix_sends_it_to_the_fixers() -> None:
    findings, unreached = _selection_inputs()
    sel = select_fix_candidates(findings, unreached=unreached, pattern_only="fix")
    assert sel.candidates == tuple(findings)
    assert sel.held == () and sel.skipped == ()


def test_other_skip_reasons_come_first() -> None:
    findings, unreached = _selection_inputs()
    fid = findings[0].id
    live = select_fix_candidates(
        findings,
        unreached=unreached,
        pattern_only="review",
        live_patch=lambda f: "patch P-1 is in_review",
    )
    assert live.skipped == ((fid, "patch P-1 is in_review"),) and live.held == ()
    acceptance = RiskAcceptance(
        id=1,
        finding_id=fid,
        owner="ciso",
        reason="build host only",
        expires="2999-01-01T00:00:00Z",
        actor="carol",
        at="2026-01-01T00:00:00Z",
        state="active",
    )
    accepted = select_fix_candidates(
        findings, unreached=unreached, pattern_only="review", accepted={fid: acceptance}
    )
    assert accepted.held == ()
    assert accepted.skipped[0][1].startswith("risk accepted by ciso")


def test_the_setting_is_read_from_mamori_toml(tmp_path: Path) -> None:
    assert Config.load(tmp_path).fix_pattern_only == "review"
    (tmp_path / "mamori.toml").write_text('[fix]\npattern_only = "fix"\n')
    assert Config.load(tmp_path).fix_pattern_only == "fix"


# --- with the real engines --------------------------------------------------------------------


def _scan_and_triage(root: Path, engines: list[str]) -> TriageResult:
    report, target = run_scan(
        ScanPlan(root=root, options=ScanOptions(), scanners=tuple(select_scanners(engines)))
    )
    return triage(
        repo=str(root),
        run_id=None,
        raws=report.findings,
        sources=target.sources,
        read_line=line_reader(root, target),
        dataflow=DataflowCoverage.from_scan(report, target.sources),
    )


def test_real_engines_constant_shell_command_is_held(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "build.py").write_text(APP)
    result = _scan_and_triage(tmp_path, ["mamori", "bandit"])
    [shell] = [f for f in result.findings if f.cwe == 78]
    assert shell.engines == ("bandit",)
    assert dict(result.unreached) == {shell.id: NO_FLOW_REASON}
    # Without the dataflow engine in the run there is no evidence: nothing is marked.
    assert _scan_and_triage(tmp_path, ["bandit"]).unreached == ()


def test_real_engines_input_reaching_the_call_is_not_held(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "ping.py").write_text(
        "import subprocess\n\n\n"
        "def ping(host):\n"
        '    return subprocess.run(f"ping -c 1 {host}", shell=True, check=False)\n'
    )
    result = _scan_and_triage(tmp_path, ["mamori", "bandit"])
    [shell] = [f for f in result.findings if f.cwe == 78]
    assert shell.flow and "mamori" in shell.engines
    assert result.unreached == ()


FETCH = (
    "import urllib.request\n\n\n"
    "def fetch_avatar(url):\n"
    "    with urllib.request.urlopen(url, timeout=5) as resp:\n"
    "        return resp.read()\n"
)


def test_real_engines_a_public_function_fetching_what_its_caller_passes_is_not_held(
    tmp_path: Path,
) -> None:
    """The dataflow engine does not take a parameter named for the whole location (``url``) as
    a source, so its silence is no evidence: the caller, outside the project, chooses it."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "avatar.py").write_text(FETCH)
    result = _scan_and_triage(tmp_path, ["mamori", "bandit"])
    [fetch] = [f for f in result.findings if f.location.start_line == 5]
    assert fetch.engines == ("bandit",) and not fetch.flow
    assert result.unreached == ()


def test_real_engines_the_same_function_called_with_a_constant_in_the_project_is_held(
    tmp_path: Path,
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "avatar.py").write_text(FETCH)
    (tmp_path / "app" / "jobs.py").write_text(
        "from app.avatar import fetch_avatar\n\n\n"
        "def refresh():\n"
        '    return fetch_avatar("https://static.example.com/default.png")\n'
    )
    result = _scan_and_triage(tmp_path, ["mamori", "bandit"])
    [fetch] = [f for f in result.findings if f.location.path == "app/avatar.py"]
    assert dict(result.unreached) == {fetch.id: NO_FLOW_REASON}
