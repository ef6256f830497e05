from __future__ import annotations

import textwrap

from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from mamori.fix.codemods.ldap_escape import LdapEscapeFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, fix_and_rescan, make_finding, reader

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


def test_ldap3_dn_value_escaped_with_escape_rdn() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        from ldap3 import MODIFY_REPLACE, Connection, Server

        app = Flask(__name__)


        @app.patch("/profile")
        def update_profile():
            data = request.get_json()
            dn = "uid={},ou=people,dc=example,dc=com".format(data["uid"])
            conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
            conn.modify(dn, {"telephoneNumber": [(MODIFY_REPLACE, [data.get("phone", "")])]})
            return {"result": conn.result["description"]}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ldap-injection", cwe=90)
    assert (
        '    dn = "uid={},ou=people,dc=example,dc=com".format(escape_rdn(data["uid"]))\n'
    ) in fixed
    assert "from ldap3.utils.dn import escape_rdn\n" in fixed
    assert apply_fixer(FIXER, fixed, cwe=90, at="conn.modify(") is None
    # An ordinary uid is unchanged; one that adds RDNs or components stays one value.
    assert escape_rdn("jdoe") == "jdoe"
    assert escape_rdn("x,ou=admins") == "x\\,ou\\=admins"


def test_python_ldap_bind_dn_escaped_with_escape_dn_chars() -> None:
    src = textwrap.dedent("""\
        import ldap
        from flask import Flask, request

        app = Flask(__name__)


        @app.post("/ldap/login")
        def ldap_login():
            user = request.form["user"]
            conn = ldap.initialize("ldaps://ldap.internal")
            conn.simple_bind_s(f"uid={user},ou=people,dc=example,dc=com", request.form["pw"])
            return {"ok": True}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ldap-injection", cwe=90)
    assert (
        '    conn.simple_bind_s(f"uid={escape_dn_chars(user)},ou=people,dc=example,dc=com",'
        ' request.form["pw"])\n'
    ) in fixed
    assert "from ldap.dn import escape_dn_chars\n" in fixed


def test_dn_value_that_is_more_than_an_attribute_value_is_declined() -> None:
    src = (
        "from ldap3 import Connection\n\n\ndef f(conn, base):\n"
        '    conn.delete("ou=people," + base)\n'
    )
    out = FIXER.fix(make_finding(cwe=90, line=5), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "DN" in out.reason


def test_filter_built_by_a_function_from_parts_is_escaped_in_the_parts() -> None:
    src = textwrap.dedent("""\
        from flask import Blueprint, request
        from ldap3 import Connection, Server

        bp = Blueprint("groups", __name__)


        def build_filter(*terms: str) -> str:
            return "(&" + "".join(terms) + ")"


        @bp.get("/groups/members")
        def members():
            group = request.args["group"]
            flt = build_filter("(objectClass=groupOfNames)", f"(cn={group})")
            conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
            conn.search("ou=groups,dc=example,dc=com", flt, attributes=["member"])
            return {"members": [str(m) for e in conn.entries for m in e.member]}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="ldap-injection", cwe=90)
    assert (
        '    flt = build_filter("(objectClass=groupOfNames)",'
        ' f"(cn={escape_filter_chars(group)})")\n'
    ) in fixed
    # A part the code does not show being built cannot be escaped here.
    src2 = (
        "from ldap3 import Connection\n\n\ndef f(conn, group):\n"
        "    flt = build_filter('(objectClass=x)', group)\n"
        "    conn.search('dc=x', flt)\n"
    )
    out = FIXER.fix(make_finding(cwe=90, line=6), reader({"app/views.py": src2}))
    assert isinstance(out, Declined)


def test_value_escaped_into_a_variable_first_is_left_alone() -> None:
    src = textwrap.dedent("""\
        import ldap
        import ldap.dn
        from flask import request


        def login(conn):
            user = ldap.dn.escape_dn_chars(request.form["user"])
            conn.simple_bind_s(f"uid={user},ou=people,dc=example,dc=com", request.form["pw"])
        """)
    assert apply_fixer(FIXER, src, cwe=90, at="simple_bind_s") is None
