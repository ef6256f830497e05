from __future__ import annotations

from mamori.domain import Confidence, FindingStatus, Severity
from mamori.scan.source import SourceFile, make_finding
from mamori.triage.stage import triage


def _run(code: str, line: int, rule: str = "bandit:B602", cwe: int = 78):
    src = SourceFile.parse("m.py", code)
    raw = make_finding(
        source=src,
        path="m.py",
        line=line,
        rule_id=rule,
        engine=rule.split(":", maxsplit=1)[0],
        cwe=cwe,
        message="x",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
    )
    return triage(
        repo="/r",
        run_id=None,
        raws=[raw],
        sources={"m.py": src},
        read_line=lambda p, n: src.line(n),
    )


CODE = """\
import subprocess


def go(cmd):
    subprocess.run(cmd, shell=True)  # mamori: ignore[bandit:B602] cmd comes from our own config
"""


def test_inline_suppression_with_reason_is_honoured_and_keeps_the_reason() -> None:
    [f] = _run(CODE, 5).findings
    assert f.status is FindingStatus.SUPPRESSED
    assert f.suppression is not None
    assert f.suppression.reason == "cmd comes from our own config"


def test_suppression_on_the_line_above_and_by_cwe() -> None:
    code = (
        "import subprocess\n\n\ndef go(cmd):\n"
        "    # mamori: ignore[CWE-78] vetted by the platform team\n"
        "    subprocess.run(cmd, shell=True)\n"
    )
    [f] = _run(code, 6).findings
    assert f.status is FindingStatus.SUPPRESSED


def test_suppression_without_reason_is_ignored_and_reported() -> None:
    code = CODE.replace(" cmd comes from our own config", "")
    result = _run(code, 5)
    [f] = result.findings
    assert f.status is FindingStatus.OPEN
    assert any("without a reason" in n for n in result.notes)


def test_suppression_for_another_rule_does_not_apply() -> None:
    code = CODE.replace("bandit:B602", "B608")
    [f] = _run(code, 5).findings
    assert f.status is FindingStatus.OPEN


def test_constant_command_is_dismissed_as_false_positive_with_reason() -> None:
    code = 'import subprocess\n\n\ndef up():\n    subprocess.run("uptime", shell=True)\n'
    [f] = _run(code, 5).findings
    assert f.status is FindingStatus.FALSE_POSITIVE
    assert f.suppression is not None and "constant" in f.suppression.reason


def test_built_command_is_not_dismissed() -> None:
    code = 'import subprocess\n\n\ndef up(h):\n    subprocess.run(f"ping {h}", shell=True)\n'
    [f] = _run(code, 5).findings
    assert f.status is FindingStatus.OPEN
