# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.fix.codemods.xss_escape import XssEscapeFixer
from tests.fix.helpers import apply_fixer, assert_idempotent

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
    src = 'def f(db):\n    rows = db.rows()\n    a = f"<li>{rows}</li>"\n    return a\n'
    assert apply_fixer(FIXER, src, cwe=79, at="a =") is None
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
