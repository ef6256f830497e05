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


def test_bandit_eval_finding_under_cwe_78_is_fixed() -> None:
    """Bandit files `eval` (B307) under CWE-78: the fixer takes it by rule id."""
    src = "def parse(raw):\n    return eval(raw)\n"
    finding = make_finding(cwe=78, line=2, rule_id="bandit:B307")
    assert FIXER.applies_to(finding)
    out = FIXER.fix(finding, reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    assert "    return ast.literal_eval(raw)\n" in out.changes["app/views.py"]


def test_eval_of_a_constant_is_declined() -> None:
    src = "DEFAULTS = '[1, 2]'\n\n\ndef parse(raw):\n    raw = DEFAULTS\n    return eval(raw)\n"
    out = FIXER.fix(make_finding(cwe=95, line=6), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "constant" in out.reason


def test_calculator_gets_an_arithmetic_evaluator_that_runs_no_code(tmp_path) -> None:
    src = textwrap.dedent(
        """\
        def calculate(expr):
            return eval(expr)
        """
    )
    out = FIXER.fix(make_finding(cwe=95, line=2), reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    fixed = out.changes["app/views.py"]
    assert "    return _eval_arithmetic(expr)\n" in fixed
    ast.parse(fixed)
    namespace: dict[str, object] = {}
    exec(compile(fixed, "calc.py", "exec"), namespace)
    calculate = namespace["calculate"]
    assert callable(calculate)
    assert calculate("2 * (3 + 4) - 10 / 4") == 2 * (3 + 4) - 10 / 4
    assert calculate("-2 ** 3 // 3 % 5") == -(2**3) // 3 % 5
    marker = tmp_path / "pwned"
    for attack in (
        f"__import__('pathlib').Path({str(marker)!r}).touch()",
        "(1).__class__",
        "9**9**9",
    ):
        with pytest.raises(ValueError):
            calculate(attack)
    assert not marker.exists()


def test_lambda_rules_stay_declined() -> None:
    src = "def check(rule, order):\n    fn = eval('lambda order: ' + rule)\n    return fn(order)\n"
    out = FIXER.fix(make_finding(cwe=95, line=2), reader({"app/views.py": src}))
    assert isinstance(out, Declined)


def test_calculator_that_rewrites_operators_first_is_still_arithmetic() -> None:
    src = (
        "def calculate(expression):\n"
        "    expression = expression.replace('^', '**')\n"
        "    return eval(expression)\n"
    )
    out = FIXER.fix(make_finding(cwe=95, line=3), reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    assert "    return _eval_arithmetic(expression)\n" in out.changes["app/views.py"]
