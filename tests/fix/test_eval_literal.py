from __future__ import annotations

import ast
import textwrap
from pathlib import Path

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
        ("def f(v, g):\n    return eval(v, *g)\n", "globals"),
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


def test_calculator_that_rewrites_operators_first_is_still_arithmetic() -> None:
    src = (
        "def calculate(expression):\n"
        "    expression = expression.replace('^', '**')\n"
        "    return eval(expression)\n"
    )
    out = FIXER.fix(make_finding(cwe=95, line=3), reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    assert "    return _eval_arithmetic(expression)\n" in out.changes["app/views.py"]


# --- formulas: `_eval_formula` ------------------------------------------------------------


def _load(fixed: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "fixed"}
    exec(compile(fixed, "fixed.py", "exec"), namespace)
    return namespace


def _fix(src: str, at: str, again_at: str = "_eval_formula(") -> str:
    line = next(i for i, t in enumerate(src.splitlines(), 1) if at in t)
    out = FIXER.fix(make_finding(cwe=95, line=line), reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined), out
    fixed = out.changes["app/views.py"]
    # Again at the fixed call: the last line with `again_at` (helpers come before the code).
    line = max(i for i, t in enumerate(fixed.splitlines(), 1) if again_at in t)
    again = FIXER.fix(make_finding(cwe=95, line=line), reader({"app/views.py": fixed}))
    assert again is None or isinstance(again, Declined) or again.changes["app/views.py"] == fixed
    return fixed


def _attacks(tmp_path: Path) -> tuple[Path, list[str]]:
    marker = tmp_path / "pwned"
    return marker, [
        f"__import__('pathlib').Path({str(marker)!r}).touch()",
        "(1).__class__.__bases__[0].__subclasses__()",
        "amount.__class__",
        "[c for c in ().__class__.__bases__]",
        "(lambda: 1)()",
        "9 ** 9 ** 9",
        "'x' * 10 ** 9",
        "'%*d' % (10 ** 8, 1)",
    ]


def test_eval_with_namespaces_uses_the_formula_evaluator(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        class RuleEngine:
            def __init__(self, context):
                self.context = context

            def check(self, condition):
                return bool(eval(condition, {}, dict(self.context)))
        """)
    fixed = _fix(src, "eval(")
    assert "        return bool(_eval_formula(condition, {}, dict(self.context)))\n" in fixed
    assert fixed.startswith("import ast\nimport operator\n\n\ndef _eval_formula(")
    assert fixed.count("def _eval_formula(") == 1
    engine = _load(fixed)["RuleEngine"]({"amount": 120, "country": "NL", "tags": ["vip"]})  # type: ignore[operator]
    for rule in (
        "amount > 100",
        "amount > 100 and country == 'NL'",
        "not (amount < 50 or country in ('US', 'CA'))",
        "'vip' in tags",
        "amount * 1.5 - 20 >= 150 if country != 'DE' else False",
        "tags[0] == 'vip'",
        "False",
    ):
        assert engine.check(rule) == bool(eval(rule, {}, dict(engine.context)))  # type: ignore[attr-defined]
    marker, attacks = _attacks(tmp_path)
    for attack in [*attacks, "open('/etc/passwd')", "unknown_name > 1"]:
        with pytest.raises(ValueError):
            engine.check(attack)  # type: ignore[attr-defined]
    assert not marker.exists()


def test_formula_evaluator_matches_eval_on_benign_formulas() -> None:
    src = "def f(e, names):\n    return eval(e, {}, names)\n"
    f = _load(_fix(src, "eval("))["f"]
    names = {"price": 10, "qty": 3, "row": {"qty": "7"}, "x": None, "s": "abc"}
    for formula in (
        "price * qty + 2 ** 3 - 10 / 4",
        "-price // 3 % 4",
        "1 < qty <= 3 < price",
        "row['qty']",
        "x is None",
        "s + 'd'",
        "s[1]",
        "[price, qty][1]",
        "price or qty",
        "0 and 1 / 0",
        " price",
    ):
        got = f(formula, names)  # type: ignore[operator]
        want = eval(formula, {}, names)
        assert got == want and type(got) is type(want), formula
    with pytest.raises(ZeroDivisionError):
        f("price / 0", names)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("import math\n\ndef f(e):\n    return eval(e, {'sqrt': math.sqrt})\n", "math.sqrt"),
        ("import math\n\ndef f(e):\n    return eval(e, {'math': math})\n", "`math`"),
        ("def f(e):\n    return eval(e, globals())\n", "module's functions"),
        ("def f(e):\n    return eval(e, {'len': len})\n", "`len`"),
        ("def f(code):\n    return eval(code, {})\n", "code to run"),
        ("def f(r):\n    e = r.get('f', 'max(a, b)')\n    return eval(e, {}, {})\n", "calls code"),
    ],
)
def test_namespaces_with_code_are_declined(src: str, reason: str) -> None:
    line = next(i for i, t in enumerate(src.splitlines(), 1) if "eval(" in t)
    out = FIXER.fix(make_finding(cwe=95, line=line), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and reason in out.reason, out


def test_lambda_built_from_a_formula_becomes_a_lambda_over_the_formula(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        from flask import Flask, request

        app = Flask(__name__)


        @app.post("/pricing/preview")
        def pricing_preview():
            formula = request.form["formula"]
            price = float(request.form.get("price", "10"))
            fn = eval(f"lambda price: {formula}")
            return {"price": fn(price)}
        """)
    fixed = fix_and_rescan(FIXER, src, rule="code-injection", cwe=95)
    assert '    fn = lambda price: _eval_formula(formula, None, {"price": price})\n' in fixed
    src2 = "def make(formula):\n    return eval(f'lambda price: {formula}')\n"
    make = _load(_fix(src2, "eval("))["make"]
    for formula in ("price * 1.2", "price - 5 if price > 20 else price", "price ** 2 // 3"):
        assert make(formula)(17) == eval(f"lambda price: {formula}")(17)  # type: ignore[operator]
    marker, attacks = _attacks(tmp_path)
    for attack in attacks:
        with pytest.raises(ValueError):
            make(attack)(1)  # type: ignore[operator]
    assert not marker.exists()


def test_lambda_rule_assigned_first_uses_the_names_of_its_parameters() -> None:
    src = textwrap.dedent("""\
        def check_rule(condition):
            condition = condition.strip()
            rule = "lambda order: " + condition
            check = eval(rule)
            return check({"total": 10, "items": 2})
        """)
    fixed = _fix(src, "eval(")
    assert '    check = lambda order: _eval_formula(condition, None, {"order": order})\n' in fixed
    check_rule = _load(fixed)["check_rule"]
    assert check_rule(" order['total'] > 5 and order['items'] < 3") is True  # type: ignore[operator]
    assert check_rule("order['total'] == 11") is False  # type: ignore[operator]
    with pytest.raises(ValueError):
        check_rule("order.clear()")  # type: ignore[operator]


@pytest.mark.parametrize(
    "src",
    [
        # the value is read when the lambda runs: a later assignment would change it
        "def f(rules):\n    out = []\n    for r in rules:\n"
        "        out.append(eval('lambda x: ' + r))\n    return out\n",
        "def f(r):\n    fn = eval('lambda x: ' + r)\n    r = ''\n    return fn\n",
        # the value is also a parameter name
        "def f(x):\n    return eval('lambda x: ' + x)\n",
        # the body is more than the value
        "def f(r):\n    return eval('lambda x: x and ' + r)\n",
    ],
)
def test_lambda_formulas_that_cannot_be_moved_are_declined(src: str) -> None:
    line = next(i for i, t in enumerate(src.splitlines(), 1) if "eval(" in t)
    out = FIXER.fix(make_finding(cwe=95, line=line), reader({"app/views.py": src}))
    assert isinstance(out, Declined), out


def test_value_quoted_in_the_evaluated_code_is_written_out() -> None:
    src = textwrap.dedent("""\
        def make_key(field: str):
            return eval("lambda p: p['" + field + "']")
        """)
    fixed = _fix(src, "eval(", again_at="lambda p:")
    assert "    return lambda p: p[field]\n" in fixed
    assert "_eval_formula" not in fixed and "import" not in fixed
    key = _load(fixed)["make_key"]("price")  # type: ignore[operator]
    assert sorted([{"price": 3}, {"price": 1}], key=key) == [{"price": 1}, {"price": 3}]
    src2 = "def label(name):\n    return eval(f\"'{name}'.upper()\")\n"
    fixed2 = _fix(src2, "eval(", again_at="upper()")
    assert "    return str(name).upper()\n" in fixed2
    assert _load(fixed2)["label"]("ab') + __import__('os').getcwd() + ('") == (  # type: ignore[operator]
        "AB') + __IMPORT__('OS').GETCWD() + ('"
    )


def test_exec_of_an_assignment_computes_the_value(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        def compute_total(options):
            scope = {"qty": 3}
            exec(f"total = {options['formula']}", scope)
            return scope["total"]
        """)
    fixed = _fix(src, "exec(")
    assert "    scope[\"total\"] = _eval_formula(options['formula'], scope)\n" in fixed
    compute_total = _load(fixed)["compute_total"]
    assert compute_total({"formula": "qty * 2 + 1"}) == 7  # type: ignore[operator]
    marker, attacks = _attacks(tmp_path)
    for attack in attacks:
        with pytest.raises(ValueError):
            compute_total({"formula": attack})  # type: ignore[operator]
    with pytest.raises((ValueError, SyntaxError)):
        compute_total({"formula": "1\nimport os"})  # type: ignore[operator]
    assert not marker.exists()


@pytest.mark.parametrize(
    "src",
    [
        "def f(r):\n    exec(r.form['code'], {'__builtins__': {}})\n",
        "def f(m, c):\n    ns = {}\n    exec('from plugins.%s import %s as P' % (m, c), ns)\n",
        "def f(s):\n    ns = {}\n    exec(f'total = {s}\\nprint(total)', ns)\n",
        "def f(s):\n    exec(f'total = {s}')\n",
        "def f(s):\n    code = compile(s, '<f>', 'exec')\n",
    ],
)
def test_exec_of_code_stays_declined(src: str) -> None:
    line = next(i for i, t in enumerate(src.splitlines(), 1) if "exec(" in t or "compile(" in t)
    out = FIXER.fix(make_finding(cwe=95, line=line), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "no drop-in" in out.reason, out


def test_compiled_formula_is_checked_to_be_formula_text(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        from django.http import JsonResponse


        def run_formula_job(value):
            code = compile(value, "<formula>", "eval")
            return code.co_names


        def run_formula(request, formula):
            run_formula_job(formula)
            return JsonResponse({"status": "ok"})
        """)
    fixed = fix_and_rescan(FIXER, src, rule="code-injection", cwe=95)
    assert (
        "    if not _FORMULA_TEXT.fullmatch(value):\n"
        '        raise ValueError("value is not a formula")\n'
        '    code = compile(value, "<formula>", "eval")\n'
    ) in fixed
    assert "import re\n" in fixed and fixed.count("_FORMULA_TEXT = re.compile(") == 1
    assert _fix(src, "compile(", again_at="compile(") == fixed
    job = _load(fixed.replace("from django.http import JsonResponse\n", ""))["run_formula_job"]
    for formula in (
        "price * qty + 2 ** 3",
        "total >= 100 and country == 'NL'",
        "x if x > 3 else -x",
        "not (a or b) and c not in (1, 2.5, .5e3)",
    ):
        assert job(formula) == compile(formula, "<formula>", "eval").co_names  # type: ignore[operator]
    marker = tmp_path / "pwned"
    for attack in (
        f"__import__('pathlib').Path({str(marker)!r}).touch()",
        "(1).__class__",
        "x.real",
        "1 .real",
        "f'{__import__(\"os\")}'",
        "(lambda: 1)()",
        "x[0]",
        "(x)(1)",
        "print (1)",
        "'a' 'b'.join",
        "a ; b",
    ):
        with pytest.raises(ValueError):
            job(attack)  # type: ignore[operator]
    assert not marker.exists()


@pytest.mark.parametrize(
    "src",
    [
        # code, not a formula
        "def run(script):\n    code = compile(script, '<hook>', 'exec')\n",
        "def hook(source):\n    code = compile(source, '<formula>', 'eval')\n",
        # nothing says it is a formula
        "def f(value):\n    code = compile(value, '<input>', 'eval')\n",
    ],
)
def test_compile_of_code_is_declined(src: str) -> None:
    out = FIXER.fix(make_finding(cwe=95, line=2), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "no drop-in" in out.reason, out


def test_module_with_its_own_helper_of_that_name_is_declined() -> None:
    src = (
        "def _eval_formula(e, g=None, l=None):\n    return eval(e, g, l)\n\n\n"
        "def f(e):\n    return eval(e, {}, {'x': 1})\n"
    )
    out = FIXER.fix(make_finding(cwe=95, line=6), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "_eval_formula" in out.reason


def test_formula_checked_against_an_allow_list_is_declined() -> None:
    src = textwrap.dedent("""\
        ALLOWED = frozenset({"order['total'] > 5", "True"})


        def check_rule(condition):
            if condition not in ALLOWED:
                raise ValueError("unsupported condition")
            check = eval("lambda order: " + condition)
            return check({"total": 10})
        """)
    out = FIXER.fix(make_finding(cwe=95, line=7), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "allow-list" in out.reason
