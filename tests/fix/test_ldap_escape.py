from __future__ import annotations

import textwrap

from ldap3.utils.conv import escape_filter_chars

from mamori.fix.codemods.ldap_escape import LdapEscapeFixer
from tests.fix.helpers import apply_fixer, fix_and_rescan

FIXER = LdapEscapeFixer()


def test_python_ldap_concat_escaped() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        import ldap

        app = Flask(__name__)


        @app.route("/directory")
        def directory():
            uid = request.args.get("uid", "")
            conn = ldap.initialize("ldap://ldap.internal")
            res = conn.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
            return {"n": len(res)}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ldap-injection", cwe=90)
    assert '"(uid=" + escape_filter_chars(uid) + ")"' in fixed
    assert "from ldap.filter import escape_filter_chars" in fixed


def test_ldap3_fstring_in_variable_escaped() -> None:
    src = textwrap.dedent("""\
        from flask import request
        from ldap3 import Connection, Server


        def who():
            mail = request.args["mail"]
            conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
            flt = f"(&(objectClass=person)(mail={mail}))"
            conn.search("dc=corp", flt)
            return conn.entries
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ldap-injection", cwe=90)
    assert 'flt = f"(&(objectClass=person)(mail={escape_filter_chars(mail)}))"' in fixed
    assert "from ldap3.utils.conv import escape_filter_chars" in fixed
    # What the escaping does to an attack and to an ordinary value.
    assert escape_filter_chars("*)(uid=*") == "\\2a\\29\\28uid=\\2a"
    assert escape_filter_chars("ann@example.com") == "ann@example.com"


def test_already_escaped_and_non_ldap_code_untouched() -> None:
    src = (
        "import ldap\nfrom ldap.filter import escape_filter_chars\n"
        'r = c.search_s("dc=x", 2, "(uid=" + escape_filter_chars(u) + ")")\n'
    )
    assert apply_fixer(FIXER, src, cwe=90, at="r =") is None
    assert apply_fixer(FIXER, "x = 1\n", cwe=90, at="x =") is None
