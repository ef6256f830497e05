# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.fix.codemods.xss_escape import XssEscapeFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, assert_idempotent, fix_and_rescan, make_finding, reader

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
    assert 'str(markupsafe.escape(body)).replace("\\n", "<br>")' in fixed


def test_sanitised_markup_is_left_alone() -> None:
    src = (
        "import bleach\nfrom flask import request\nfrom markupsafe import Markup\n\n\n"
        "def bio():\n"
        '    text = bleach.clean(request.form.get("bio", ""), tags=["b"], strip=True)\n'
        "    return Markup(text)\n"
    )
    result = FIXER.fix(make_finding(cwe=79, line=8), reader({"app/views.py": src}))
    assert result is None or isinstance(result, Declined)
