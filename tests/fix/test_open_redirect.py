# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.fix.codemods.open_redirect import OpenRedirectFixer
from mamori.fix.interface import Declined, FixProposal
from tests.fix.helpers import apply_fixer, assert_idempotent, line_of, make_finding, reader

FIXER = OpenRedirectFixer()

SRC = """from flask import redirect, request, url_for


def login():
    return redirect(request.args.get("next") or url_for("accounts.index"))
"""


def test_or_default_becomes_guarded_target_with_fallback() -> None:
    fixed = apply_fixer(FIXER, SRC, cwe=601, at="return redirect")
    assert fixed is not None
    assert (
        '    return redirect(request.args.get("next") if _is_safe_redirect(request.args.get("next"))'
        ' else url_for("accounts.index"))\n'
    ) in fixed
    assert "import urllib.parse\n" in fixed
    assert fixed.count("def _is_safe_redirect(") == 1
    assert_idempotent(FIXER, fixed, cwe=601, at="return redirect")


def test_helper_accepts_local_paths_only() -> None:
    fixed = apply_fixer(FIXER, SRC, cwe=601, at="return redirect")
    assert fixed is not None
    helper = fixed[fixed.index("def _is_safe_redirect") : fixed.index("def login")]
    namespace: dict[str, object] = {}
    exec("import urllib.parse\n" + helper, namespace)
    safe = namespace["_is_safe_redirect"]
    assert callable(safe)
    for ok in ("/accounts", "/accounts?x=1", "accounts/3"):
        assert safe(ok), ok
    for bad in (
        None,
        "",
        "https://evil.example",
        "//evil.example",
        "\\\\evil",
        "/\\evil.example",
        "javascript:alert(1)",
        " //evil",
        "\t/x",
    ):
        assert not safe(bad), bad


def test_plain_target_falls_back_to_root() -> None:
    src = "from flask import redirect, request\n\n\ndef go():\n    return redirect(request.form['to'])\n"
    fixed = apply_fixer(FIXER, src, cwe=601, at="return")
    assert fixed is not None
    assert (
        "redirect(request.form['to'] if _is_safe_redirect(request.form['to']) else \"/\")" in fixed
    )


def test_declines_constant_and_url_for_targets() -> None:
    src = (
        "from flask import redirect, url_for\n"
        "a = redirect(url_for('auth.login'))\n"
        "b = redirect('/home')\n"
        "c = redirect(compute_target(x))\n"
    )
    for at in ("a =", "b =", "c ="):
        finding = make_finding(cwe=601, line=line_of(src, at))
        assert not isinstance(FIXER.fix(finding, reader({"app/views.py": src})), FixProposal), at
    finding = make_finding(cwe=601, line=line_of(src, "b ="))
    out = FIXER.fix(finding, reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "constant" in out.reason
