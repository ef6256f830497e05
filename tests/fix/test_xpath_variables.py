from __future__ import annotations

import re
import textwrap

import pytest
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


def test_compiled_xpath_binds_variables_at_each_call() -> None:
    src = textwrap.dedent("""\
        from flask import Flask
        from lxml import etree

        app = Flask(__name__)
        DOC = etree.parse("/srv/data/inventory.xml")


        @app.get("/items/<item_id>")
        def item(item_id: str):
            finder = etree.XPath("//item[@id='" + item_id + "']/price/text()")
            prices = finder(DOC)
            first = finder(DOC.getroot())
            return {"price": prices[0] if prices else first}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xpath-injection", cwe=643)
    assert '    finder = etree.XPath("//item[@id=$item_id]/price/text()")\n' in fixed
    assert "    prices = finder(DOC, item_id=item_id)\n" in fixed
    assert "    first = finder(DOC.getroot(), item_id=item_id)\n" in fixed
    doc = etree.fromstring(b"<inv><item id='a'><price>3</price></item><item id='b'/></inv>")
    finder = etree.XPath("//item[@id=$item_id]/price/text()")
    assert finder(doc, item_id="a") == etree.XPath("//item[@id='a']/price/text()")(doc)
    assert finder(doc, item_id="x' or '1'='1") == []


def test_compiled_xpath_with_format_and_reassigned_value() -> None:
    src = textwrap.dedent("""\
        from lxml import etree


        def books_by_author(request):
            author = request.GET.get("author", "")
            author = author.strip()
            finder = etree.XPath("//book[author='{}']/title".format(author))
            return finder(etree.parse("/srv/data/books.xml"))
        """)
    fixed = apply_fixer(FIXER, src, cwe=643, at="etree.XPath(")
    assert fixed is not None
    assert '    finder = etree.XPath("//book[author=$author]/title")\n' in fixed
    assert '    return finder(etree.parse("/srv/data/books.xml"), author=author)\n' in fixed
    assert apply_fixer(FIXER, fixed, cwe=643, at="etree.XPath(") is None


@pytest.mark.parametrize(
    "body",
    [
        # the compiled object leaves the function: its callers do not pass the variable
        '    finder = etree.XPath("//b[a=\'" + a + "\']")\n    return finder\n',
        # the value changes between compiling and calling
        '    finder = etree.XPath("//b[a=\'" + a + "\']")\n    a = a.lower()\n'
        "    return finder(DOC)\n",
    ],
)
def test_compiled_xpath_that_cannot_bind_is_declined(body: str) -> None:
    src = "from lxml import etree\n\n\ndef f(a):\n" + body
    f = make_finding(cwe=643, line=5)
    assert isinstance(FIXER.fix(f, reader({"app/views.py": src})), Declined)


def test_location_step_value_is_checked_before_use() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        from lxml import etree

        app = Flask(__name__)
        CONFIG = etree.parse("/srv/app/config.xml")


        @app.get("/config/value")
        def config_value():
            key = request.args["key"]
            evaluator = etree.XPathEvaluator(CONFIG)
            result = evaluator("/config/" + key + "/text()")
            return {"value": [str(r) for r in result]}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xpath-injection", cwe=643)
    guard = (
        '    if not re.fullmatch(r"[A-Za-z_][\\w.-]*(?:/[A-Za-z_][\\w.-]*)*", key):\n'
        '        raise ValueError("key must be element names separated by /")\n'
        '    result = evaluator("/config/" + key + "/text()")\n'
    )
    assert guard in fixed and "import re\n" in fixed
    check = textwrap.dedent("\n".join(guard.splitlines()[:2]))
    for ok in ("db", "db/host", "app.settings/time-out"):
        exec(check, {"re": re, "key": ok})
    for bad in ("x]|//*", "..", "*", "a/@pw", "a[1]", "name()", "a//b", "", "a\n"):
        with pytest.raises(ValueError):
            exec(check, {"re": re, "key": bad})


def test_quoted_and_step_values_together() -> None:
    src = textwrap.dedent("""\
        def f(tree, section, name):
            q = "/config/" + section + "/item[@name='" + name + "']"
            return tree.xpath(q)
        """)
    fixed = apply_fixer(FIXER, src, cwe=643, at="tree.xpath")
    assert fixed is not None
    assert (
        '    if not re.fullmatch(r"[A-Za-z_][\\w.-]*(?:/[A-Za-z_][\\w.-]*)*", section):\n'
        '        raise ValueError("section must be element names separated by /")\n'
        '    q = f"/config/{section}/item[@name=$name]"\n'
        "    return tree.xpath(q, name=name)\n"
    ) in fixed
    assert apply_fixer(FIXER, fixed, cwe=643, at="tree.xpath") is None
    doc = etree.fromstring(b"<config><db><item name='host'>h</item></db></config>")
    assert [e.text for e in doc.xpath("/config/db/item[@name=$name]", name="host")] == ["h"]


def test_value_rebound_between_building_and_querying_is_declined() -> None:
    src = (
        "def f(tree, name):\n"
        '    q = "//user[@name=\'" + name + "\']"\n'
        "    name = name.lower()\n"
        "    return tree.xpath(q)\n"
    )
    out = FIXER.fix(make_finding(cwe=643, line=4), reader({"app/views.py": src}))
    assert isinstance(out, Declined)
    read = (
        "def f(tree, request):\n"
        "    q = \"//user[@name='\" + request.args.get('name', '') + \"']\"\n"
        "    return tree.xpath(q)\n"
    )
    fixed = apply_fixer(FIXER, read, cwe=643, at="tree.xpath")
    assert fixed is not None
    assert "    return tree.xpath(q, v1=request.args.get('name', ''))\n" in fixed
