from __future__ import annotations

import textwrap

import pytest
from defusedxml import DefusedXmlException
from lxml import etree

from mamori.fix.codemods.xml_parser_harden import XmlParserHardenFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, fix_and_rescan, make_finding, reader

FIXER = XmlParserHardenFixer()

LXML = textwrap.dedent("""\
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)


    @app.post("/import")
    def import_xml():
        # entities are needed for the legacy feed
        parser = etree.XMLParser(resolve_entities=True, load_dtd=True, recover=True)
        root = etree.fromstring(request.data, parser)
        return {"items": len(root)}
    """)

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    b"<r><a>&e;</a></r>"
)


def test_lxml_parser_variable_hardened_and_gone_on_rescan() -> None:
    fixed = fix_and_rescan(FIXER, LXML, rule="xxe", cwe=611)
    assert (
        "parser = etree.XMLParser(resolve_entities=False, load_dtd=False, recover=True,"
        " no_network=True)" in fixed
    )
    assert "# entities are needed for the legacy feed" in fixed
    # The original parser reads the file through the entity; the fixed one does not.
    unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True, recover=True)
    assert etree.fromstring(XXE, unsafe).find("a").text  # type: ignore[union-attr]
    ns: dict[str, object] = {}
    line = next(x for x in fixed.splitlines() if "XMLParser(" in x).strip()
    exec(line, {"etree": etree}, ns)
    root = etree.fromstring(XXE, ns["parser"])  # type: ignore[arg-type]
    assert root.find("a").text is None  # type: ignore[union-attr]


def test_inline_parser_and_missing_parser() -> None:
    src = "from lxml import etree\nroot = etree.fromstring(data, etree.XMLParser(huge_tree=True))\n"
    out = apply_fixer(FIXER, src, cwe=611, at="root =")
    assert out == (
        "from lxml import etree\nroot = etree.fromstring(data, etree.XMLParser(huge_tree=False,"
        " resolve_entities=False, no_network=True))\n"
    )
    bare = "from lxml import etree\nroot = etree.fromstring(data)\n"
    out = apply_fixer(FIXER, bare, cwe=611, at="root =")
    assert out is not None and (
        "etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))"
        in out
    )


def test_sax_feature_turned_off() -> None:
    src = textwrap.dedent("""\
        import xml.sax
        from xml.sax.handler import feature_external_ges
        from flask import request


        def feed():
            parser = xml.sax.make_parser()
            parser.setFeature(feature_external_ges, True)
            parser.parse(request.files["feed"])
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xxe", cwe=611)
    assert "parser.setFeature(feature_external_ges, False)" in fixed


def test_parser_from_elsewhere_is_declined() -> None:
    src = (
        "from lxml import etree\n\n\n"
        "def f(data, parser):\n    return etree.fromstring(data, parser)\n"
    )
    f = make_finding(cwe=611, line=5)
    out = FIXER.fix(f, reader({"app/views.py": src}))
    assert isinstance(out, Declined)


@pytest.mark.parametrize("src", ["import json\nx = json.loads(s)\n"])
def test_other_code_is_not_touched(src: str) -> None:
    assert apply_fixer(FIXER, src, cwe=611, at="x =") is None


SAX_FEED = textwrap.dedent(
    """\
    import io
    import xml.sax
    from xml.sax.handler import feature_external_ges


    def titles(data, handler):
        parser = xml.sax.make_parser()
        parser.setFeature(feature_external_ges, True)
        parser.setContentHandler(handler)
        parser.parse(io.BytesIO(data))
    """
)


def test_bandit_make_parser_finding_gets_defusedxml_and_entities_off(tmp_path) -> None:
    finding = make_finding(cwe=20, line=7, rule_id="bandit:B317")
    assert FIXER.applies_to(finding)
    out = FIXER.fix(finding, reader({"app/views.py": SAX_FEED}))
    assert out is not None and not isinstance(out, Declined)
    fixed = out.changes["app/views.py"]
    assert "    parser = defusedxml.sax.make_parser()\n" in fixed
    assert "    parser.setFeature(feature_external_ges, False)\n" in fixed
    assert "import defusedxml.sax\n" in fixed
    # The fixed code parses ordinary documents and refuses an external entity.
    import xml.sax

    namespace: dict[str, object] = {}
    exec(compile(fixed, "feed.py", "exec"), namespace)

    class Collect(xml.sax.ContentHandler):
        text = ""

        def characters(self, content: str) -> None:
            self.text += content

    ok = Collect()
    namespace["titles"](b"<rss><title>One</title></rss>", ok)  # type: ignore[operator]
    assert ok.text == "One"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    attack = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'
    ).encode()
    bad = Collect()
    with pytest.raises(DefusedXmlException):
        namespace["titles"](attack, bad)  # type: ignore[operator]
    assert "TOPSECRET" not in bad.text


def test_make_parser_without_external_entities_is_declined_as_safe() -> None:
    src = SAX_FEED.replace("    parser.setFeature(feature_external_ges, True)\n", "")
    out = FIXER.fix(
        make_finding(cwe=20, line=7, rule_id="bandit:B317"), reader({"app/views.py": src})
    )
    assert isinstance(out, Declined) and "already safe" in out.reason


def _parser_from(fixed: str, needle: str, names: dict[str, object]) -> object:
    line = next(x for x in fixed.splitlines() if needle in x).strip()
    ns: dict[str, object] = {}
    exec("p = " + line.removeprefix("return "), names, ns)  # `p = parser = XMLParser(...)`
    return ns["p"]


def test_module_level_parser_is_hardened_where_it_is_made() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        from lxml import etree

        app = Flask(__name__)
        _PARSER = etree.XMLParser(resolve_entities=True, no_network=False)


        def parse_document(raw: bytes) -> etree._Element:
            return etree.XML(raw, _PARSER)


        @app.post("/documents")
        def documents():
            doc = parse_document(request.data)
            return {"root": doc.tag}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xxe", cwe=611)
    assert "_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)\n" in fixed
    parser = _parser_from(fixed, "XMLParser(", {"etree": etree})
    assert etree.fromstring(XXE, parser).find("a").text is None  # type: ignore[arg-type, union-attr]


def test_module_parser_rebound_elsewhere_is_declined() -> None:
    src = (
        "from lxml import etree\n\n_P = etree.XMLParser(resolve_entities=True)\n\n\n"
        "def f(data):\n    return etree.XML(data, _P)\n\n\n"
        "def g():\n    global _P\n    _P = etree.XMLParser()\n"
    )
    out = FIXER.fix(make_finding(cwe=611, line=7), reader({"app/views.py": src}))
    assert isinstance(out, Declined)


def test_parser_returned_by_a_module_function_is_hardened_there() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        from lxml import etree

        app = Flask(__name__)


        def make_parser() -> etree.XMLParser:
            return etree.XMLParser(no_network=False, resolve_entities=True, huge_tree=True)


        @app.post("/sitemaps")
        def sitemap():
            upload = request.files["sitemap"]
            tree = etree.parse(upload.stream, make_parser())
            return {"urls": len(tree.getroot())}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xxe", cwe=611)
    assert (
        "    return etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=False)\n"
        in fixed
    )
    assert "    tree = etree.parse(upload.stream, make_parser())\n" in fixed


def test_objectify_parser_is_hardened_and_stays_an_objectify_parser() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request
        from lxml import etree, objectify

        app = Flask(__name__)


        @app.post("/orders")
        def post_order():
            parser = objectify.makeparser(resolve_entities=True, load_dtd=True, no_network=False)
            order = objectify.fromstring(request.get_data(), parser)
            return {"id": str(order.id)}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="xxe", cwe=611)
    assert (
        "    parser = objectify.makeparser(resolve_entities=False, load_dtd=False,"
        " no_network=True)\n"
    ) in fixed
    from lxml import objectify

    parser = _parser_from(fixed, "makeparser(", {"objectify": objectify})
    order = objectify.fromstring(b"<order><id>7</id></order>", parser)  # type: ignore[arg-type]
    assert str(order.id) == "7"
    assert objectify.fromstring(XXE, parser).a.text is None  # type: ignore[arg-type]
    bare = "from lxml import objectify\norder = objectify.fromstring(data)\n"
    out = apply_fixer(FIXER, bare, cwe=611, at="order =")
    assert out is not None
    assert "objectify.fromstring(data, parser=objectify.makeparser(resolve_entities=False," in out
