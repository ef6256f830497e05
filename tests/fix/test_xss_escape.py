# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

import dataclasses
import difflib

from mamori.domain import FlowStep, Location
from mamori.fix.codemods.xss_escape import XssEscapeFixer
from mamori.fix.interface import Declined, FixProposal
from tests.fix.helpers import (
    apply_fixer,
    assert_idempotent,
    fix_and_rescan,
    line_of,
    make_finding,
    reader,
)

FIXER = XssEscapeFixer()

VIEW = """from flask import render_template_string, request


def search(rows):
    q = request.args.get("q", "")
    heading = f"<h2>Results for {q}</h2>"
    return heading + render_template_string(PAGE, rows=rows)
"""


def test_fstring_value_from_request_is_escaped() -> None:
    fixed = apply_fixer(FIXER, VIEW, cwe=79, at="heading =")
    assert fixed == VIEW.replace(
        "from flask import render_template_string, request\n",
        "from flask import render_template_string, request\nimport markupsafe\n",
    ).replace("{q}</h2>", "{markupsafe.escape(q)}</h2>")
    assert_idempotent(FIXER, fixed, cwe=79, at="heading =")


def test_concatenation_escapes_only_request_values_as_str() -> None:
    src = (
        "import markupsafe\n"
        "from flask import request\n"
        "\n"
        "\n"
        "def page(items_html):\n"
        "    name = request.args['name'].strip()\n"
        '    return "<p>Hello " + name + "</p>" + SIDEBAR\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return")
    assert fixed == src.replace(
        '"<p>Hello " + name + "</p>"', '"<p>Hello " + str(markupsafe.escape(name)) + "</p>"'
    )


def test_percent_and_format_and_route_parameters() -> None:
    src = (
        "from flask import request\n"
        "\n"
        "\n"
        '@bp.get("/show/<name>")\n'
        "def show(name):\n"
        "    a = '<b>%s</b>' % name\n"
        "    b = '<i>{}</i>'.format(request.form['x'])\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="a =")
    assert fixed is not None and "a = '<b>%s</b>' % markupsafe.escape(name)\n" in fixed
    fixed = apply_fixer(FIXER, src, cwe=79, at="b =")
    assert (
        fixed is not None
        and "b = '<i>{}</i>'.format(markupsafe.escape(request.form['x']))\n" in fixed
    )


def test_markup_of_request_data_becomes_escape() -> None:
    src = "from flask import request\nfrom markupsafe import Markup\n\n\ndef v():\n    return Markup(request.args['m'])\n"
    fixed = apply_fixer(FIXER, src, cwe=79, at="return")
    assert fixed is not None
    assert "    return markupsafe.escape(request.args['m'])\n" in fixed
    assert "import markupsafe\n" in fixed


def test_render_template_string_gets_template_variables() -> None:
    src = (
        "from flask import render_template_string, request\n"
        "\n"
        "\n"
        "def hello():\n"
        "    name = request.args['name']\n"
        '    return render_template_string(f"<h1>Hello {name}</h1>")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return")
    assert fixed == src.replace(
        'render_template_string(f"<h1>Hello {name}</h1>")',
        'render_template_string("<h1>Hello {{ name }}</h1>", name=name)',
    )


def test_declines_without_request_data_or_html() -> None:
    src = 'def f():\n    rows = load_rows()\n    a = f"<li>{rows}</li>"\n    return a\n'
    result = FIXER.fix(make_finding(cwe=79, line=3), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "traced to the request" in result.reason
    src2 = "from flask import request\n\n\ndef g():\n    return f\"Hello {request.args['n']}\"\n"
    assert apply_fixer(FIXER, src2, cwe=79, at="return") is None


def test_constant_template_render_next_to_tainted_html() -> None:
    src = (
        "from flask import render_template_string, request\n"
        "\n"
        "\n"
        "def search(rows):\n"
        "    q = request.args.get('q', '')\n"
        '    return f"<h2>Results for {q}</h2>" + render_template_string(PAGE, rows=rows)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return")
    assert fixed is not None
    assert (
        '    return f"<h2>Results for {markupsafe.escape(q)}</h2>"'
        " + render_template_string(PAGE, rows=rows)\n"
    ) in fixed


def _run(src: str, func: str, *args: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(src, "app/views.py", "exec"), namespace)
    fn = namespace[func]
    assert callable(fn)
    return fn(*args)


def test_django_view_through_an_object_and_format() -> None:
    src = (
        "from django.http import HttpResponse\n\n\n"
        "class Note:\n    def __init__(self, value):\n        self.value = value\n\n\n"
        "def show(request):\n"
        '    note = Note(request.GET.get("note", ""))\n'
        "    return HttpResponse(\"<div class='note'>{}</div>\".format(note.value))\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return HttpResponse")
    assert fixed is not None
    assert "\"<div class='note'>{}</div>\".format(markupsafe.escape(note.value))" in fixed


def test_html_built_in_a_variable_then_returned_or_wrapped() -> None:
    src = (
        "from flask import make_response, request\n\n\n"
        "def preview():\n"
        '    opts = {"bio": request.form.get("bio", ""), "n": 50}\n'
        '    body = "<div>" + opts["bio"] + "</div>"\n'
        "    return make_response(body)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return make_response")
    assert fixed is not None
    assert '    body = "<div>" + str(markupsafe.escape(opts["bio"])) + "</div>"\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=79, at="return make_response")


HELPER = """def render_tags(title, tags):
    html = f"<h2>{title}</h2><ul>"
    for tag in tags:
        html += "<li>" + tag + "</li>"
    html += "</ul>"
    return html
"""


def test_helper_function_parameters_and_loop_built_html() -> None:
    fixed = apply_fixer(FIXER, HELPER, cwe=79, at="return html")
    assert fixed is not None
    assert '    html = f"<h2>{markupsafe.escape(title)}</h2><ul>"\n' in fixed
    assert '        html += "<li>" + str(markupsafe.escape(tag)) + "</li>"\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=79, at="return html")
    benign = _run(fixed, "render_tags", "News", ["a", "b"])
    assert benign == _run(HELPER, "render_tags", "News", ["a", "b"])
    attack = _run(fixed, "render_tags", "<script>x()</script>", ["<img src=x onerror=y>"])
    assert isinstance(attack, str) and "<script>" not in attack and "<img" not in attack


def test_html_built_inside_a_value_is_not_escaped_twice() -> None:
    src = (
        "from flask import request\nfrom markupsafe import escape\n\n\n"
        "def tags():\n"
        '    tags = request.args.getlist("tag")\n'
        '    title = request.args.get("title", "")\n'
        '    return f"<h1>{title}</h1><ul>" + "".join(f"<li>{escape(t)}</li>" for t in tags) + "</ul>"\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return")
    assert fixed is not None
    assert "<h1>{markupsafe.escape(title)}</h1>" in fixed
    assert '"".join(f"<li>{escape(t)}</li>" for t in tags)' in fixed


def test_wrong_sanitiser_and_local_call_still_escaped_and_rescanned() -> None:
    src = (
        "import shlex\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/hello")\n'
        "def hello():\n"
        '    name = shlex.quote(request.args.get("name", ""))\n'
        '    return "<p>" + name + "</p>"\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="xss", cwe=79)
    assert '    return "<p>" + str(markupsafe.escape(name)) + "</p>"\n' in fixed


def test_html_variable_appended_to_is_not_escaped_but_its_values_are() -> None:
    src = (
        "from flask import request\n\n\n"
        "def greet():\n"
        '    name = request.args.get("name", "")\n'
        '    html = "<html><body>"\n'
        '    html += "<h1>Hello, %s!</h1>" % name\n'
        '    return html + "</body></html>"\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return html")
    assert fixed is not None
    assert '    html += "<h1>Hello, %s!</h1>" % markupsafe.escape(name)\n' in fixed
    assert '    return html + "</body></html>"\n' in fixed


def test_render_template_string_of_a_built_variable_gets_template_variables() -> None:
    src = (
        "from flask import render_template_string, request\n\n\n"
        "def t():\n"
        '    name = request.args.get("name", "")\n'
        '    template = "<p>Hi " + name + "</p>"\n'
        "    return render_template_string(template)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return render")
    assert fixed is not None
    assert '    template = "<p>Hi {{ name }}</p>"\n' in fixed
    assert "    return render_template_string(template, name=name)\n" in fixed
    flask = __import__("pytest").importorskip("flask")
    app = flask.Flask(__name__)
    ns: dict[str, object] = {}
    exec(compile(fixed, "app/views.py", "exec"), ns)
    for value, expected in (("ann", "<p>Hi ann</p>"), ("{{7*7}}<b>", "<p>Hi {{7*7}}&lt;b&gt;</p>")):
        with app.test_request_context(f"/?name={__import__('urllib.parse').parse.quote(value)}"):
            assert ns["t"]() == expected  # type: ignore[operator]


def test_html_in_a_conditional_expression_assigned_before_the_response() -> None:
    src = (
        "from flask import make_response, request\n\n\n"
        "def e():\n"
        '    err = request.args.get("error")\n'
        '    msg = "<div class=\\"error\\">{}</div>".format(err) if err else ""\n'
        "    return make_response(msg)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return make_response")
    assert fixed is not None
    assert '.format(markupsafe.escape(err)) if err else ""\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=79, at="return make_response")


ROWS = """from flask import Response, request


def render_rows(tags):
    return "".join(f"<tr><td>{t}</td></tr>" for t in tags)


def tags():
    rows = render_rows(request.args.getlist("tag"))
    return Response(f"<table>{rows}</table>", mimetype="text/html")
"""


def test_html_from_a_helper_is_escaped_inside_the_helper_not_twice() -> None:
    fixed = apply_fixer(FIXER, ROWS, cwe=79, at="return Response")
    assert fixed is not None
    assert (
        '    return "".join(f"<tr><td>{markupsafe.escape(t)}</td></tr>" for t in tags)\n' in fixed
    )
    assert '    return Response(f"<table>{rows}</table>", mimetype="text/html")\n' in fixed
    assert (
        _run(fixed, "render_rows", ["a", "<b>"]) == "<tr><td>a</td></tr><tr><td>&lt;b&gt;</td></tr>"
    )


def test_named_format_string_and_format_map() -> None:
    src = (
        "from flask import request\n\n"
        'PAGE = "<html><body><h1>{code}</h1><p>{url}</p></body></html>"\n\n\n'
        "def forbidden(err):\n"
        '    html = PAGE.format_map({"code": 403, "url": request.args.get("ref", "")})\n'
        "    return html, 403\n\n\n"
        "def banner():\n"
        '    page = "<style>body { background: %s }</style>"\n'
        '    return page % request.cookies.get("theme", "light")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return html")
    assert fixed is not None
    assert '"url": markupsafe.escape(request.args.get("ref", ""))' in fixed
    fixed = apply_fixer(FIXER, src, cwe=79, at="return page")
    assert fixed is not None
    assert '    return page % markupsafe.escape(request.cookies.get("theme", "light"))\n' in fixed


def test_markup_added_by_a_string_method_is_kept() -> None:
    src = (
        "from flask import request\nfrom markupsafe import Markup\n\n\n"
        "def preview():\n"
        '    body = request.form.get("body", "")\n'
        '    return Markup("<div>" + body.replace("\\n", "<br>") + "</div>")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return Markup")
    assert fixed is not None
    # the markup stays a constant: no string built from request data is trusted as markup
    assert (
        '    return Markup("<div>{}</div>").format('
        'markupsafe.escape(body).replace("\\n", Markup("<br>")))\n'
    ) in fixed
    assert "import markupsafe\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=79, at="return Markup")
    flask = __import__("pytest").importorskip("flask")
    ns: dict[str, object] = {}
    exec(compile(fixed, "app/views.py", "exec"), ns)
    with flask.Flask(__name__).test_request_context(
        "/", method="POST", data={"body": "a <b>\nc & d"}
    ):
        assert ns["preview"]() == "<div>a &lt;b&gt;<br>c &amp; d</div>"  # type: ignore[operator]


def test_sanitised_markup_is_left_alone() -> None:
    src = (
        "import bleach\nfrom flask import request\nfrom markupsafe import Markup\n\n\n"
        "def bio():\n"
        '    text = bleach.clean(request.form.get("bio", ""), tags=["b"], strip=True)\n'
        "    return Markup(text)\n"
    )
    result = FIXER.fix(make_finding(cwe=79, line=8), reader({"app/views.py": src}))
    assert result is None or isinstance(result, Declined)


# --- HTML built away from the sink, found along the engine's data flow ---------------------


def _flow(*steps: tuple[int, str]) -> tuple[FlowStep, ...]:
    return tuple(
        FlowStep(location=Location(path="app/views.py", start_line=line), message=message)
        for line, message in steps
    )


def _moved(flow: tuple[FlowStep, ...], old: str, new: str) -> tuple[FlowStep, ...]:
    """The flow's lines in ``new`` (``old`` with lines added or changed)."""
    where: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            where.update({i + 1: j1 + (i - i1) + 1 for i in range(i1, i2)})
    return tuple(
        dataclasses.replace(
            s,
            location=dataclasses.replace(
                s.location, start_line=where.get(s.location.start_line, s.location.start_line)
            ),
        )
        for s in flow
    )


def _fix_with_flow(src: str, at: str, flow: tuple[FlowStep, ...]) -> FixProposal | Declined | None:
    finding = dataclasses.replace(make_finding(cwe=79, line=line_of(src, at)), flow=flow)
    return FIXER.fix(finding, reader({"app/views.py": src}))


def _fixed_with_flow(src: str, at: str, flow: tuple[FlowStep, ...]) -> str:
    result = _fix_with_flow(src, at, flow)
    assert isinstance(result, FixProposal), result
    fixed = result.changes["app/views.py"]
    # the same finding again (its flow moved with the lines the fix added): nothing more to do
    again = _fix_with_flow(fixed, at, _moved(flow, src, fixed))
    assert again is None or isinstance(again, Declined), again
    return fixed


STORED = """from flask import Flask, request

app = Flask(__name__)
POSTS = []


def as_list(posts):
    body = "".join("<p class='post'>%s</p>" % p for p in posts)
    return "<div>" + body + "</div>"


@app.post("/posts")
def add_post():
    POSTS.append(request.form["text"])
    return "", 201


@app.get("/posts")
def list_posts():
    return as_list(POSTS)
"""

STORED_FLOW = _flow(
    (14, "source: request.form"),
    (14, "stored in module-level POSTS"),
    (20, "passed to as_list()"),
    (8, "assigned to p"),
    (8, "assigned to body"),
    (9, "returned"),
    (20, "returned from as_list()"),
    (20, "sink: response body of view list_posts()"),
)


def test_stored_data_escaped_where_a_helper_puts_it_into_markup() -> None:
    fixed = _fixed_with_flow(STORED, "return as_list", STORED_FLOW)
    assert fixed == STORED.replace(
        "from flask import Flask, request\n",
        "from flask import Flask, request\nimport markupsafe\n",
    ).replace("% p for p in posts)", "% markupsafe.escape(p) for p in posts)")
    # the stored text is unchanged, the HTML built from it is not escaped twice
    assert '    POSTS.append(request.form["text"])\n' in fixed
    assert '    return "<div>" + body + "</div>"\n' in fixed
    namespace: dict[str, object] = {"__name__": __name__}  # Flask(__name__) needs a module
    exec(compile(fixed, "app/views.py", "exec"), namespace)
    as_list = namespace["as_list"]
    assert callable(as_list)
    assert as_list(["hi", "<script>x()</script>"]) == (
        "<div><p class='post'>hi</p><p class='post'>&lt;script&gt;x()&lt;/script&gt;</p></div>"
    )


def test_stored_html_is_escaped_where_it_is_built_not_where_it_is_served() -> None:
    src = (
        "from flask import request\n\n"
        'LOG = ""\n\n\n'
        "def login():\n"
        "    global LOG\n"
        '    user = request.form["username"]\n'
        '    LOG += "<li>" + user + "</li>"\n'
        '    return "ok"\n\n\n'
        "def activity():\n"
        '    page = "<ul>"\n'
        "    page += LOG\n"
        '    return page + "</ul>"\n'
    )
    flow = _flow(
        (8, "source: request.form"),
        (8, "assigned to user"),
        (9, "stored in module-level LOG"),
        (13, "assigned to page"),
        (14, "assigned to page"),
        (15, "sink: response body of view activity()"),
    )
    fixed = _fixed_with_flow(src, "return page", flow)
    assert '    LOG += "<li>" + str(markupsafe.escape(user)) + "</li>"\n' in fixed
    assert "    page += LOG\n" in fixed  # LOG holds HTML: escaping it would show the tags


def test_stored_state_attribute_and_key_only_the_stored_path() -> None:
    src = (
        "from flask import request\n\n\n"
        "def dashboard():\n"
        '    return f"<p>{STATE.count}</p><p>{STATE.last}</p>" + "<b>%d: %s</b>" % (STATE.count, CONF["motd"])\n'
    )
    flow = _flow(
        (9, "source: request.args"),
        (9, "stored in module-level STATE.last"),
        (10, "stored in module-level CONF['motd']"),
        (5, "sink: response body of view dashboard()"),
    )
    fixed = _fixed_with_flow(src, "return", flow)
    assert (
        '    return f"<p>{STATE.count}</p><p>{markupsafe.escape(STATE.last)}</p>"'
        ' + "<b>%d: %s</b>" % (STATE.count, markupsafe.escape(CONF["motd"]))\n'
    ) in fixed


def test_html_helper_called_inside_a_value_is_escaped_inside_the_helper() -> None:
    src = (
        "from flask import request\n\n"
        "ENTRIES = []\n\n\n"
        "def entry_html(entry):\n"
        '    return "<h3>%s</h3><p>%s</p>" % (entry["name"], entry["body"])\n\n\n'
        "def guestbook():\n"
        '    return "<section>" + "".join(entry_html(e) for e in ENTRIES) + "</section>"\n'
    )
    flow = _flow(
        (14, "source: request.form"),
        (14, "stored in module-level ENTRIES"),
        (11, "assigned to e"),
        (11, "passed to entry_html()"),
        (7, "returned"),
        (11, "returned from entry_html()"),
        (11, "sink: response body of view guestbook()"),
    )
    fixed = _fixed_with_flow(src, 'return "<section>"', flow)
    assert (
        '    return "<h3>%s</h3><p>%s</p>" % (markupsafe.escape(entry["name"]),'
        ' markupsafe.escape(entry["body"]))\n'
    ) in fixed
    assert '"".join(entry_html(e) for e in ENTRIES)' in fixed


def test_markup_appended_in_a_loop_the_flow_does_not_list() -> None:
    src = (
        "MESSAGES = []\n\n\n"
        "def inbox():\n"
        "    rows = []\n"
        "    for author, text in MESSAGES:\n"
        '        rows.append("<tr><td>%s</td><td>%s</td></tr>" % (author, text))\n'
        '    html = "<table>"\n'
        '    html += "".join(rows)\n'
        '    return html + "</table>"\n'
    )
    flow = _flow(
        (20, "stored in module-level MESSAGES"),
        (6, "assigned to author"),
        (9, "assigned to html"),
        (10, "sink: response body of view inbox()"),
    )
    fixed = _fixed_with_flow(src, "return html", flow)
    assert "% (markupsafe.escape(author), markupsafe.escape(text)))\n" in fixed
    assert '    html += "".join(rows)\n' in fixed


def test_helper_parameter_given_markup_by_its_caller_is_not_escaped() -> None:
    src = (
        "SETTINGS = {}\n\n\n"
        "def layout(body):\n"
        '    return "<html>" + body + "</html>"\n\n\n'
        "def index():\n"
        '    footer = SETTINGS["footer"]\n'
        '    return layout("<main>Hi</main><footer>" + footer + "</footer>")\n'
    )
    flow = _flow(
        (20, "stored in module-level SETTINGS['footer']"),
        (9, "assigned to footer"),
        (10, "passed to layout()"),
        (5, "returned"),
        (10, "sink: response body of view index()"),
    )
    fixed = _fixed_with_flow(src, "return layout", flow)
    assert '    return "<html>" + body + "</html>"\n' in fixed
    assert '"<main>Hi</main><footer>" + str(markupsafe.escape(footer)) + "</footer>"' in fixed


def test_declines_with_a_reason_when_the_html_is_not_built_in_this_file() -> None:
    src = (
        "from flask import request\n\nfrom app.render import render_posts\n\nPOSTS = []\n\n\n"
        "def add():\n"
        '    POSTS.append(request.form["text"])\n\n\n'
        "def index():\n"
        "    return render_posts(POSTS)\n"
    )
    flow = _flow(
        (9, "source: request.form"),
        (9, "stored in module-level POSTS"),
        (13, "sink: response body of view index()"),
    )
    result = _fix_with_flow(src, "return render_posts", flow)
    assert isinstance(result, Declined)
    assert "HTML could not be located" in result.reason


def test_markup_of_a_built_string_becomes_a_constant_markup_format() -> None:
    src = (
        "from flask import request\nfrom markupsafe import Markup\n\n\n"
        "def card():\n"
        '    name = request.args.get("name", "")\n'
        "    return Markup(f\"<div class='card'>{{{name}}}</div>\")\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return Markup")
    assert fixed == src.replace(
        "Markup(f\"<div class='card'>{{{name}}}</div>\")",
        "Markup(\"<div class='card'>{{{}}}</div>\").format(name)",
    )
    assert_idempotent(FIXER, fixed, cwe=79, at="return Markup")
    assert _run_markup(fixed, "card", "<x>") == "<div class='card'>{&lt;x&gt;}</div>"


def test_markup_with_a_value_trusted_as_markup_keeps_the_generic_rewrite() -> None:
    src = (
        "from flask import request\nfrom markupsafe import Markup\n\n"
        'NAV = "<nav>home</nav>"\n\n\n'
        "def page():\n"
        '    name = request.args.get("name", "")\n'
        '    return Markup(NAV + "<p>" + name + "</p>")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=79, at="return Markup")
    assert fixed is not None
    assert '    return Markup(NAV + "<p>" + str(markupsafe.escape(name)) + "</p>")\n' in fixed


def _run_markup(src: str, func: str, name: str) -> object:
    flask = __import__("pytest").importorskip("flask")
    ns: dict[str, object] = {}
    exec(compile(src, "app/views.py", "exec"), ns)
    query = __import__("urllib.parse").parse.urlencode({"name": name})
    with flask.Flask(__name__).test_request_context(f"/?{query}"):
        fn = ns[func]
        assert callable(fn)
        return str(fn())


def test_stored_xss_found_by_the_engine_is_fixed_and_gone_on_rescan() -> None:
    from mamori.scan.taint import analyse_sources, load_models

    models = load_models()
    hits = [h for h in analyse_sources({"app/views.py": STORED}, models=models).hits]
    xss = [h for h in hits if h.rule == "xss"]
    assert len(xss) == 1
    fixed = _fixed_with_flow(STORED, "return as_list", xss[0].flow)
    after = analyse_sources({"app/views.py": fixed}, models=models).hits
    assert not [h for h in after if h.rule == "xss"], fixed


def test_template_source_from_the_request_declines_as_template_injection() -> None:
    src = (
        "from flask import render_template_string, request\n\n\n"
        "def preview():\n"
        '    body = request.form["template"]\n'
        '    context = {"name": "Ada"}\n'
        "    return render_template_string(body, **context)\n"
    )
    result = FIXER.fix(make_finding(cwe=79, line=7), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "template injection" in result.reason


def test_state_with_a_markup_default_but_raw_request_text_stored_is_escaped_when_read() -> None:
    src = (
        "from flask import request\n\n"
        'BANNER = "<b>Welcome</b>"\n\n\n'
        "def set_banner():\n"
        "    global BANNER\n"
        '    BANNER = request.form["message"]\n\n\n'
        "def home():\n"
        "    return f\"<div class='banner'>{BANNER}</div>\"\n"
    )
    flow = _flow(
        (8, "source: request.form"),
        (8, "stored in module-level BANNER"),
        (12, "sink: response body of view home()"),
    )
    fixed = _fixed_with_flow(src, "return f", flow)
    assert "    return f\"<div class='banner'>{markupsafe.escape(BANNER)}</div>\"\n" in fixed
    assert '    BANNER = request.form["message"]\n' in fixed  # stored data unchanged
