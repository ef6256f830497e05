from __future__ import annotations

import textwrap

from lxml import etree

from mamori.fix.codemods.xpath_variables import XPathVariablesFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, fix_and_rescan, make_finding, reader

FIXER = XPathVariablesFixer()
DOC = etree.fromstring(b"<users><user name='ann' role='admin'/><user name='bob'/></users>")


def test_concat_becomes_bound_variable_and_query_is_equivalent() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        from lxml import etree

        app = Flask(__name__)
        TREE = etree.parse("/srv/users.xml")


        @app.route("/user")
        def user():
            name = request.args.get("name", "")
            nodes = TREE.xpath("//user[@name='" + name + "']")  # lookup
            return {"found": bool(nodes)}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xpath-injection", cwe=643)
    assert 'nodes = TREE.xpath("//user[@name=$name]", name=name)  # lookup' in fixed
    # Same answer for an ordinary name; the injection no longer matches every user.
    assert len(DOC.xpath("//user[@name=$name]", name="ann")) == 1
    assert len(DOC.xpath("//user[@name='" + "x' or '1'='1" + "']")) == 2
    assert DOC.xpath("//user[@name=$name]", name="x' or '1'='1") == []


def test_fstring_variable_assigned_once_and_two_values() -> None:
    src = textwrap.dedent("""\
        def find(tree, name, role):
            q = f"//user[@name='{name}' and @role=\\"{role}\\"]"
            return tree.xpath(q)
        """)
    out = apply_fixer(FIXER, src, cwe=643, at="tree.xpath")
    assert out is not None
    assert 'q = "//user[@name=$name and @role=$role]"' in out
    assert "return tree.xpath(q, name=name, role=role)" in out


def test_unquoted_value_is_declined() -> None:
    src = "def f(tree, n):\n    return tree.xpath(f'//item[{n}]')\n"
    f = make_finding(cwe=643, line=2)
    assert isinstance(FIXER.fix(f, reader({"app/views.py": src})), Declined)


def test_elementtree_predicate_quoted_with_quoteattr() -> None:
    src = textwrap.dedent("""\
        import xml.etree.ElementTree as ET
        from flask import request

        ROOT = ET.parse("/srv/catalog.xml").getroot()


        def book():
            title = request.args["title"]
            return ROOT.findall(f".//book[@title='{title}']")
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xpath-injection", cwe=643)
    assert 'return ROOT.findall(f".//book[@title={quoteattr(title)}]")' in fixed
    assert "from xml.sax.saxutils import quoteattr" in fixed
