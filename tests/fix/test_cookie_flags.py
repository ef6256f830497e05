from __future__ import annotations

from mamori.fix.codemods.cookie_flags import CookieFlagsFixer
from tests.fix.helpers import apply_fixer, assert_idempotent

FIXER = CookieFlagsFixer()


def test_adds_all_missing_flags() -> None:
    src = 'def login(resp, token):\n    resp.set_cookie("portal_session", token)  # session\n'
    fixed = apply_fixer(FIXER, src, cwe=614, at="set_cookie")
    assert fixed == (
        "def login(resp, token):\n"
        '    resp.set_cookie("portal_session", token, secure=True, httponly=True, samesite="Lax")'
        "  # session\n"
    )
    assert_idempotent(FIXER, fixed, cwe=614, at="set_cookie")


def test_keeps_existing_flags_and_adds_only_missing() -> None:
    src = 'resp.set_cookie("k", v, samesite="Strict", max_age=60)\n'
    fixed = apply_fixer(FIXER, src, cwe=614, at="set_cookie")
    assert (
        fixed
        == 'resp.set_cookie("k", v, samesite="Strict", max_age=60, secure=True, httponly=True)\n'
    )


def test_explicit_false_becomes_true() -> None:
    src = 'resp.set_cookie("k", v, secure=False, httponly=True, samesite="Lax")\n'
    fixed = apply_fixer(FIXER, src, cwe=614, at="set_cookie")
    assert fixed == 'resp.set_cookie("k", v, secure=True, httponly=True, samesite="Lax")\n'


def test_multiline_call_with_trailing_comma() -> None:
    src = 'resp.set_cookie(\n    "k",\n    v,\n)\n'
    fixed = apply_fixer(FIXER, src, cwe=614, at="set_cookie")
    assert fixed == (
        'resp.set_cookie(\n    "k",\n    v,\n    secure=True,\n    httponly=True,\n'
        '    samesite="Lax",\n)\n'
    )


def test_declines_complete_or_opaque_calls() -> None:
    src = (
        'a.set_cookie("k", v, secure=True, httponly=True, samesite="Lax")\n'
        'b.set_cookie("k", v, **opts)\n'
        'c.headers["Set-Cookie"] = "k=v"\n'
    )
    assert apply_fixer(FIXER, src, cwe=614, at="a.set") is None
    assert apply_fixer(FIXER, src, cwe=614, at="b.set") is None
    assert apply_fixer(FIXER, src, cwe=614, at="c.head") is None


def test_cookie_with_every_flag_is_declined_as_already_safe() -> None:
    from mamori.fix.interface import Declined
    from tests.fix.helpers import make_finding, reader

    src = 'resp.set_cookie("sid", sid, secure=True, httponly=True, samesite="Lax")\n'
    out = FIXER.fix(make_finding(cwe=614, line=1), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "already" in out.reason
