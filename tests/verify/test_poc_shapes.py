"""mamori.verify.poc on the request and sink shapes of realistic Flask routes.

Each case is a vulnerable single-file Flask application and its fixed twin, written line for
line alike. The finding comes from the real taint engine on the vulnerable file; its exploit runs
for real in the sandbox on both: it must confirm the vulnerable one and not the fixed one.
Shapes: a JSON body read through a variable (nested keys), a blueprint module without an
application, a class-based view, a cookie that carries a shell separator, a data directory the
sandbox does not have, psycopg2 and python-ldap without a server, a base64 pickle cookie, an XPath
over a document with no matching node, Markup, and an int route converter.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mamori.domain import Finding
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.taint.scanner import TaintScanner
from mamori.verify.poc import ExploitOutcome, generate_exploit, run_exploit
from tests.verify.verify_support import to_finding

if shutil.which("bwrap") is None and os.environ.get("MAMORI_REQUIRE_SERVICES") != "1":
    pytest.skip(
        "bubblewrap (bwrap) is not installed: exploits run only in the sandbox",
        allow_module_level=True,
    )
pytest.importorskip("lxml")

HEAD = "import base64, json, os, pickle, sqlite3, subprocess, shlex\n"

# (name, CWE, vulnerable source, the fixed line(s): (vulnerable text, fixed text), ...)
CASES: list[tuple[str, int, str, tuple[tuple[str, str], ...]]] = [
    (
        "json_nested_variable",
        89,
        HEAD
        + """from flask import Flask, request

app = Flask(__name__)


@app.post("/users")
def users():
    data = request.get_json(silent=True) or {}
    name = data["filter"]["name"]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE u (name TEXT)")
    return {"rows": db.execute(f"SELECT * FROM u WHERE name = '{name}'").fetchall()}
""",
        (
            (
                """db.execute(f"SELECT * FROM u WHERE name = '{name}'")""",
                """db.execute("SELECT * FROM u WHERE name = ?", (name,))""",
            ),
        ),
    ),
    (
        "blueprint_cookie_shell",
        78,
        HEAD
        + """from flask import Blueprint, request

bp = Blueprint("tools", __name__)


@bp.get("/thumb")
def thumb():
    image = request.cookies.get("image", "x.png")
    subprocess.run(f"convert {image} -resize 64 out.png", shell=True, check=False)
    return "ok"
""",
        (("convert {image} -resize", "convert {shlex.quote(image)} -resize"),),
    ),
    (
        "methodview_eval_lambda",
        95,
        HEAD
        + """import ast

from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


class Rules(MethodView):
    def post(self):
        formula = request.form["formula"]
        price = float(request.form.get("price", "10"))
        fn = eval("lambda price: " + formula)
        return {"price": str(fn(price))}


app.add_url_rule("/rules", view_func=Rules.as_view("rules"))
""",
        (('fn = eval("lambda price: " + formula)', "fn = ast.literal_eval(formula)"),),
    ),
    (
        "missing_data_directory",
        22,
        HEAD
        + """from flask import Flask, request, send_file, send_from_directory

app = Flask(__name__)
BASE = "/srv/exports"


@app.get("/export")
def export():
    name = request.args.get("name", "report.csv")
    return send_file(os.path.join(BASE, name))
""",
        (("send_file(os.path.join(BASE, name))", "send_from_directory(BASE, name)"),),
    ),
    (
        "psycopg2_without_server",
        89,
        HEAD
        + """import psycopg2
from psycopg2 import sql
from flask import Flask, request

app = Flask(__name__)


@app.get("/products")
def products():
    column = request.args.get("sort", "name")
    conn = psycopg2.connect("dbname=shop")
    cur = conn.cursor()
    cur.execute(f"SELECT id FROM products ORDER BY '{column}'")
    return {"rows": cur.fetchall()}
""",
        (
            (
                """cur.execute(f"SELECT id FROM products ORDER BY '{column}'")""",
                """cur.execute(sql.SQL("SELECT id FROM products ORDER BY {}")"""
                """.format(sql.Identifier(column)))""",
            ),
        ),
    ),
    (
        "python_ldap_without_server",
        90,
        HEAD
        + """import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, request

app = Flask(__name__)


@app.get("/people")
def people():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://directory.example")
    found = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    return {"n": len(found)}
""",
        (('"(uid=" + uid + ")"', '"(uid=" + escape_filter_chars(uid) + ")"'),),
    ),
    (
        "base64_pickle_cookie",
        502,
        HEAD
        + """from flask import Flask, request

app = Flask(__name__)


@app.get("/cart")
def cart():
    raw = request.cookies.get("cart", "")
    items = pickle.loads(base64.b64decode(raw))
    return {"items": len(items)}
""",
        (("pickle.loads(base64.b64decode(raw))", "json.loads(base64.b64decode(raw))"),),
    ),
    (
        "xpath_no_matching_node",
        643,
        HEAD
        + """from lxml import etree
from flask import Flask, request

app = Flask(__name__)
DOC = etree.fromstring("<users/>")


@app.get("/user")
def user():
    name = request.args.get("name", "")
    found = DOC.xpath(f"//user[@name='{name}']/email/text()")
    return {"email": [str(e) for e in found]}
""",
        (
            (
                """DOC.xpath(f"//user[@name='{name}']/email/text()")""",
                """DOC.xpath("//user[@name=$name]/email/text()", name=name)""",
            ),
        ),
    ),
    (
        "markup_of_request_text",
        79,
        HEAD
        + """from markupsafe import Markup, escape
from flask import Flask, request, render_template_string

app = Flask(__name__)


@app.post("/preview")
def preview():
    comment = request.form.get("comment", "")
    body = Markup("<p>" + comment + "</p>")
    return render_template_string("<div>{{ body }}</div>", body=body)
""",
        (('Markup("<p>" + comment + "</p>")', 'Markup("<p>") + escape(comment) + Markup("</p>")'),),
    ),
    (
        "route_converter",
        79,
        HEAD
        + """from flask import Flask

app = Flask(__name__)


@app.get("/page/<number>")
def page(number):
    return f"<p>Page {number}</p>"
""",
        (('"/page/<number>"', '"/page/<int:number>"'),),
    ),
]


def _finding(root: Path, cwe: int) -> Finding:
    target, _ = build_target(root, ScanOptions())
    report = TaintScanner().scan(target)
    found = [r for r in report.findings if r.cwe == cwe]
    assert found, [(r.cwe, str(r.location)) for r in report.findings]
    return replace(to_finding(found[0]), flow=found[0].flow)


@pytest.mark.parametrize("name,cwe,source,fixes", CASES, ids=[c[0] for c in CASES])
def test_the_exploit_confirms_the_route_and_not_its_fixed_twin(
    tmp_path: Path, name: str, cwe: int, source: str, fixes: tuple[tuple[str, str], ...]
) -> None:
    vulnerable, fixed = tmp_path / "vulnerable", tmp_path / "fixed"
    fixed_source = source
    for old, new in fixes:
        assert old in fixed_source, old
        fixed_source = fixed_source.replace(old, new)
    for root, text in ((vulnerable, source), (fixed, fixed_source)):
        root.mkdir()
        (root / "webcase.py").write_text(text)
    finding = _finding(vulnerable, cwe)
    exploit, why = generate_exploit(finding, vulnerable)
    assert exploit is not None, why
    before = run_exploit(exploit, vulnerable)
    assert before.outcome is ExploitOutcome.WORKS, before.detail
    assert before.evidence
    # The same exploit (the fixed file keeps every line where it was) on the fixed twin.
    after = run_exploit(exploit, fixed)
    assert after.outcome is ExploitOutcome.FAILS, (after.detail, after.evidence)
