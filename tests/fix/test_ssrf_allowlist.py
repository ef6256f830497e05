from __future__ import annotations

import textwrap

import pytest

from mamori.fix.codemods.ssrf_allowlist import ENV_VAR, SsrfAllowlistFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import fix_and_rescan, make_finding, reader

FIXER = SsrfAllowlistFixer()

SRC = textwrap.dedent("""\
    from flask import Flask, request
    import requests

    app = Flask(__name__)


    @app.route("/fetch")
    def fetch(get=requests.get):
        url = request.args["url"]
        # fetch it
        resp = requests.get(url, timeout=5)
        return {"status": resp.status_code}
    """)


def _helper(fixed: str) -> object:
    ns: dict[str, object] = {}
    start = fixed.index("def _is_allowed_url")
    end = fixed.index("\n\n\n", start)
    exec("import os\nimport urllib.parse\n" + fixed[start:end], ns)
    return ns["_is_allowed_url"]


def test_guard_inserted_before_request_and_gone_on_rescan() -> None:
    fixed = fix_and_rescan(FIXER, SRC, rule="ssrf", cwe=918)
    assert (
        '    url = request.args["url"]\n'
        "    # fetch it\n"
        "    if not _is_allowed_url(url):\n"
        f'        raise ValueError(f"host of {{url!r}} is not in {ENV_VAR}")\n'
        "    resp = requests.get(url, timeout=5)\n"
    ) in fixed
    assert fixed.count("def _is_allowed_url") == 1


def test_helper_allows_only_configured_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    allowed = _helper(fix_and_rescan(FIXER, SRC, rule="ssrf", cwe=918))
    assert callable(allowed)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert not allowed("https://api.partner.example/x")  # unset: fails closed
    monkeypatch.setenv(ENV_VAR, "api.partner.example, cdn.example")
    assert allowed("https://api.partner.example/x")
    assert allowed("http://CDN.example:8080/a")
    assert not allowed("http://169.254.169.254/latest/meta-data")
    assert not allowed("file:///etc/passwd")
    assert not allowed("https://api.partner.example.evil.test/")
    assert not allowed("https://evil.test@/x")


def test_url_built_in_the_call_is_bound_then_checked() -> None:
    src = textwrap.dedent("""\
        import httpx
        from flask import request


        def check_health():
            host = request.cookies.get("host", "")
            status = httpx.get("https://" + host + "/health").status_code
            return {"status": status}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ssrf", cwe=918)
    assert (
        '    url = "https://" + host + "/health"\n'
        "    if not _is_allowed_url(url):\n"
        f'        raise ValueError(f"host of {{url!r}} is not in {ENV_VAR}")\n'
        "    status = httpx.get(url).status_code\n"
    ) in fixed


def test_compound_statement_with_built_url_is_declined() -> None:
    src = (
        "import requests\n\n\n"
        "def f(host):\n    with requests.get('https://' + host) as r:\n        return r\n"
    )
    out = FIXER.fix(make_finding(cwe=918, line=5), reader({"app/views.py": src}))
    assert isinstance(out, Declined)


def test_with_statement_urlopen() -> None:
    src = textwrap.dedent("""\
        from flask import request
        from urllib.request import urlopen


        def hook():
            target = request.get_json()["callback"]
            with urlopen(target, timeout=3) as r:
                return {"status": r.status}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ssrf", cwe=918)
    assert "    if not _is_allowed_url(target):\n" in fixed
    assert fixed.index("_is_allowed_url(target)") < fixed.index("with urlopen(target")


def test_constant_urls_are_declined() -> None:
    src = textwrap.dedent(
        """\
        import urllib.request

        STATUS_URL = "https://status.example.com/api"


        def status():
            return urllib.request.urlopen(STATUS_URL).read()


        def health():
            url = "https://health.example.com/" + "ping"
            return urllib.request.urlopen(url).read()


        def fetch(url):
            return urllib.request.urlopen(url).read()
        """
    )
    for line in (7, 12):
        out = FIXER.fix(make_finding(cwe=918, line=line), reader({"app/views.py": src}))
        assert isinstance(out, Declined) and "constant" in out.reason, line
    bandit = make_finding(cwe=22, line=16, rule_id="bandit:B310")
    assert FIXER.applies_to(bandit)
    out = FIXER.fix(bandit, reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    assert "    if not _is_allowed_url(url):\n" in out.changes["app/views.py"]


def test_bandit_b310_line_is_marked_audited_after_the_guard() -> None:
    import dataclasses

    from mamori.domain import Confidence, EngineId, RuleId, Severity, Source

    src = (
        "import urllib.request\n\n\ndef fetch(url):\n"
        "    return urllib.request.urlopen(url).read()\n"
    )
    finding = dataclasses.replace(
        make_finding(cwe=22, line=5, rule_id="bandit:B310"),
        sources=(
            Source(
                engine=EngineId("bandit"),
                rule_id=RuleId("bandit:B310"),
                message="urlopen",
                severity=Severity.MEDIUM,
                confidence=Confidence.HIGH,
            ),
        ),
    )
    out = FIXER.fix(finding, reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    fixed = out.changes["app/views.py"]
    assert "    if not _is_allowed_url(url):\n" in fixed
    assert (
        "    return urllib.request.urlopen(url).read()"
        "  # nosec B310  # checked by _is_allowed_url\n" in fixed
    )
    # A taint finding gets the guard only (no scanner annotation).
    out = FIXER.fix(make_finding(cwe=918, line=5), reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    assert "nosec" not in out.changes["app/views.py"]
