from __future__ import annotations

import ast
import textwrap

import pytest

from mamori.fix.codemods.eval_literal import EvalLiteralFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import fix_and_rescan, make_finding, reader

FIXER = EvalLiteralFixer()


def test_literal_data_uses_literal_eval() -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/prefs")
        def prefs():
            raw = request.args.get("ids", "[]")
            ids = eval(raw)  # a list of ids
            return {"n": len(ids)}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="code-injection", cwe=95)
    assert "    ids = ast.literal_eval(raw)  # a list of ids\n" in fixed
    assert "import ast\n" in fixed
    assert ast.literal_eval("[1, 2, {'a': None}]") == [1, 2, {"a": None}]
    with pytest.raises(ValueError):
        ast.literal_eval("__import__('os').system('id')")


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("def f(request):\n    expr = request.args['e']\n    return eval(expr)\n", "expression"),
        ("def f(v):\n    return eval(v, {}, {})\n", "globals"),
        ("def f(v):\n    return eval('calc_' + v + '()')\n", "built around"),
        ("def f(r):\n    v = r.args.get('v', '1+1')\n    return eval(v)\n", "'1+1'"),
        ("def f(r):\n    return exec(r.data)\n", "no drop-in"),
    ],
)
def test_expressions_are_declined_with_a_reason(src: str, reason: str) -> None:
    line = next(i for i, t in enumerate(src.splitlines(), 1) if "eval(" in t or "exec(" in t)
    out = FIXER.fix(make_finding(cwe=95, line=line), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and reason in out.reason
