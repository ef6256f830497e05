# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.fix.codemods.open_redirect import OpenRedirectFixer
from mamori.fix.interface import Declined, FixProposal
from tests.fix.helpers import (
    apply_fixer,
    assert_idempotent,
    fix_and_rescan,
    line_of,
    make_finding,
    reader,
)

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


def test_location_header_in_response_is_guarded() -> None:
    src = """from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/out")
def outbound():
    url = request.args.get("url", "/")
    return Response(status=302, headers={"Location": url, "Cache-Control": "no-store"})
"""
    fixed = fix_and_rescan(FIXER, src, rule="open-redirect", cwe=601)
    assert (
        '    return Response(status=302, headers={"Location": url if _is_safe_redirect(url) else "/", "Cache-Control": "no-store"})\n'
        in fixed
    )
    assert "import urllib.parse\n" in fixed and fixed.count("def _is_safe_redirect(") == 1


def test_location_header_assignment_is_guarded() -> None:
    src = """from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/continue")
def continue_to():
    resp = make_response("", 302)
    resp.headers["location"] = request.args.get("to") or "/home"
    return resp
"""
    fixed = fix_and_rescan(FIXER, src, rule="open-redirect", cwe=601)
    assert (
        '    resp.headers["location"] = request.args.get("to") if _is_safe_redirect(request.args.get("to")) else "/home"\n'
        in fixed
    )


def test_other_headers_and_constant_locations_are_left_alone() -> None:
    src = (
        "from flask import Response, request\n"
        "def a():\n    return Response(headers={'X-Next': request.args['n']})\n"
        "def b(resp):\n    resp.headers['Location'] = '/home'\n"
        "def c(resp):\n    resp.headers['Refresh'] = request.args['n']\n"
    )
    for at in ("X-Next", "'/home'", "Refresh"):
        finding = make_finding(cwe=601, line=line_of(src, at))
        assert not isinstance(FIXER.fix(finding, reader({"app/views.py": src})), FixProposal), at


def test_target_through_a_pure_function_is_guarded_as_computed() -> None:
    src = """from flask import Flask, redirect, request
import html

app = Flask(__name__)


@app.route("/go")
def go():
    return redirect(html.escape(request.args["url"]))
"""
    fixed = fix_and_rescan(FIXER, src, rule="open-redirect", cwe=601)
    assert (
        '    return redirect(html.escape(request.args["url"]) if _is_safe_redirect(html.escape(request.args["url"])) else "/")\n'
        in fixed
    )
    # A call with side effects is not computed twice.
    src2 = "from flask import redirect\n\ndef go(q):\n    return redirect(q.pop('next'))\n"
    finding = make_finding(cwe=601, line=4)
    assert not isinstance(FIXER.fix(finding, reader({"app/views.py": src2})), FixProposal)


def test_module_helper_of_the_same_name_is_not_reused() -> None:
    src = """from urllib.parse import urlparse

from flask import redirect, request


def _is_safe_redirect(url):
    return not urlparse(str(url)).netloc


def login():
    target = request.args.get("next", "/")
    return redirect(target)
"""
    fixed = apply_fixer(FIXER, src, cwe=601, at="return redirect")
    assert fixed is not None
    assert '    return redirect(target if _is_safe_redirect_url(target) else "/")\n' in fixed
    assert "def _is_safe_redirect(url):\n    return not urlparse(str(url)).netloc\n" in fixed
    assert fixed.count("def _is_safe_redirect_url(") == 1
    assert_idempotent(FIXER, fixed, cwe=601, at="return redirect")


def test_location_in_a_headers_variable_is_guarded() -> None:
    src = """from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/out")
def outbound():
    headers = {"Location": request.args["next"]}
    return Response(status=302, headers=headers)
"""
    fixed = apply_fixer(FIXER, src, cwe=601, at="return Response")
    assert fixed is not None
    assert (
        '    headers = {"Location": request.args["next"] if _is_safe_redirect(request.args["next"]) else "/"}\n'
        in fixed
    )
    assert_idempotent(FIXER, fixed, cwe=601, at="return Response")
