from __future__ import annotations

import base64
import json
import textwrap

from mamori.domain import RiskClass
from mamori.fix.codemods.pickle_to_json import PickleToJsonFixer
from mamori.fix.interface import Declined, FixProposal
from tests.fix.helpers import fix_and_rescan, line_of, make_finding, reader

FIXER = PickleToJsonFixer()

SRC = textwrap.dedent("""\
    from flask import Flask, request, make_response
    import base64
    import pickle

    app = Flask(__name__)


    @app.route("/prefs")
    def prefs():
        raw = request.cookies.get("prefs", "")
        data = pickle.loads(base64.b64decode(raw))
        return {"theme": data.get("theme")}


    @app.post("/prefs")
    def save():
        resp = make_response("ok")
        resp.set_cookie("prefs", base64.b64encode(pickle.dumps({"theme": "dark"})).decode())
        return resp
    """)


def test_reader_and_writer_switch_to_json_together() -> None:
    fixed = fix_and_rescan(FIXER, SRC, rule="unsafe-deserialization", cwe=502)
    assert "data = json.loads(base64.b64decode(raw))" in fixed
    assert 'base64.b64encode(json.dumps({"theme": "dark"}).encode()).decode()' in fixed
    # Round trip through the rewritten writer and reader.
    cookie = base64.b64encode(json.dumps({"theme": "dark"}).encode()).decode()
    assert json.loads(base64.b64decode(cookie)).get("theme") == "dark"


def _declined(src: str, needle: str) -> str:
    line = next(i for i, t in enumerate(src.splitlines(), 1) if needle in t)
    out = FIXER.fix(make_finding(cwe=502, line=line), reader({"app/views.py": src}))
    assert isinstance(out, Declined), out
    return out.reason


def test_object_shaped_data_is_declined() -> None:
    src = "import pickle\n\n\ndef f(b):\n    clf = pickle.loads(b)\n    return clf.predict([1])\n"
    assert "clf.predict" in _declined(src, "pickle.loads")


def test_file_load_and_other_loaders_are_declined() -> None:
    assert "file" in _declined("import pickle\nx = pickle.load(fh)\n", "pickle.load")
    assert "marshal" in _declined("import marshal\nx = marshal.loads(b)\n", "marshal.loads")


def test_yaml_is_not_this_fixers_business() -> None:
    src = "import yaml\nx = yaml.load(s, Loader=yaml.Loader)\n"
    assert FIXER.fix(make_finding(cwe=502, line=2), reader({"app/views.py": src})) is None


def test_pattern_match_on_a_parameter_is_fixed_with_high_risk() -> None:
    """Bandit alone (no traced flow) on data from a parameter: still a patch, for review."""
    import dataclasses

    from mamori.domain import Confidence, EngineId, RuleId, Severity, Source

    src = "import pickle\n\n\ndef f(b):\n    data = pickle.loads(b)\n    return data['k']\n"
    bandit_only = dataclasses.replace(
        make_finding(cwe=502, line=5),
        sources=(
            Source(
                engine=EngineId("bandit"),
                rule_id=RuleId("bandit:B301"),
                message="pickle",
                severity=Severity.MEDIUM,
                confidence=Confidence.HIGH,
            ),
        ),
    )
    out = FIXER.fix(bandit_only, reader({"app/views.py": src}))
    assert isinstance(out, FixProposal)
    assert "    data = json.loads(b)\n" in out.changes["app/views.py"]
    assert FIXER.info.risk is RiskClass.HIGH


def test_constant_allow_listed_and_dead_data_is_declined() -> None:
    src = (
        "import base64\nimport pickle\n\nLEGACY = False\nDEFAULT = 'gAN9cQAu'\n"
        "ALLOWED = frozenset({'a', 'b'})\n\n\n"
        "def constant(p):\n    p = DEFAULT\n    return pickle.loads(base64.b64decode(p))\n\n\n"
        "def element(p):\n    opts = {'p': p, 'd': 'gAN9cQAu'}\n"
        "    return pickle.loads(base64.b64decode(opts['d']))\n\n\n"
        "def allowed(p):\n    if p not in ALLOWED:\n        raise ValueError(p)\n"
        "    return pickle.loads(p)  # allowed\n\n\n"
        "def dead(p):\n    if LEGACY:\n        return pickle.loads(p)  # dead\n    return None\n"
    )
    expected = {
        "b64decode(p)": "constant",
        "opts['d']))": "constant",
        "# allowed": "allow-list",
        "# dead": "never holds",
    }
    for needle, reason in expected.items():
        finding = make_finding(cwe=502, line=line_of(src, needle))
        out = FIXER.fix(finding, reader({"app/views.py": src}))
        assert isinstance(out, Declined) and reason in out.reason, (needle, out)
    # The same code with the data from the parameter is fixed.
    vulnerable = "import pickle\n\n\ndef f(p):\n    return pickle.loads(p)\n"
    out = FIXER.fix(make_finding(cwe=502, line=5), reader({"app/views.py": vulnerable}))
    assert isinstance(out, FixProposal)
