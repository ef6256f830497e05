from __future__ import annotations

import textwrap

from mamori.fix.codemods.session_trust import SessionTrustFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import fix_and_rescan, make_finding, reader, taint_hits

FIXER = SessionTrustFixer()

SRC = textwrap.dedent("""\
    from flask import Flask, request, session

    app = Flask(__name__)

    ROLES = ("user", "viewer")


    @app.post("/prefs")
    def prefs():
        session["role"] = request.form.get("role", "user")
        return {"ok": True}
    """)


def test_allow_listed_value_with_default() -> None:
    fixed = fix_and_rescan(FIXER, SRC, rule="trust-boundary", cwe=501)
    assert (
        '    _role = request.form.get("role", "user")\n'
        '    session["role"] = _role if _role in ROLES else "user"\n'
    ) in fixed


def test_no_allow_list_is_declined_with_a_reason() -> None:
    src = SRC.replace('ROLES = ("user", "viewer")\n', "")
    assert ("trust-boundary", 9) in taint_hits(src)
    out = FIXER.fix(make_finding(cwe=501, line=9), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "no allow-list for session['role']" in out.reason


def test_default_outside_the_allow_list_is_declined() -> None:
    src = SRC.replace('get("role", "user")', 'get("role", "admin")')
    out = FIXER.fix(make_finding(cwe=501, line=10), reader({"app/views.py": src}))
    assert isinstance(out, Declined)
