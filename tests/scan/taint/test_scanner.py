"""TaintScanner as a pipeline engine: interface, cross-module flows, models, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.domain import Confidence, EngineId
from mamori.errors import ConfigError
from mamori.registry import Registry
from mamori.scan.interface import Scanner, ScanTarget
from mamori.scan.source import SourceFile
from mamori.scan.taint import TaintOptions, TaintScanner, analyse_sources, load_models
from mamori.scan.taint.rules import RULES

VIEW = """\
from flask import Flask, request
from app.helpers import run_report, clean_name

app = Flask(__name__)

@app.route("/report")
def report():
    run_report(request.args["name"])
    return "ok"

@app.route("/safe")
def safe():
    run_report(clean_name(request.args["name"]))
    return "ok"
"""

HELPERS = """\
import subprocess

def clean_name(value):
    return int(value)

def run_report(name):
    subprocess.run("report --name " + name, shell=True)
"""


def _target(tmp_path: Path, files: dict[str, str]) -> ScanTarget:
    sources = {p: SourceFile.parse(p, t) for p, t in files.items()}
    return ScanTarget(root=tmp_path, files=tuple(files), sources=sources)


def test_is_a_scanner_registered_under_mamori() -> None:
    scanner = TaintScanner()
    assert isinstance(scanner, Scanner)
    assert scanner.id == EngineId("mamori")
    registry: Registry[Scanner] = Registry("mamori.scanners", lambda s: s.id)
    assert isinstance(registry.get("mamori"), TaintScanner)


def test_flow_across_modules_reported_at_the_sink(tmp_path: Path) -> None:
    report = TaintScanner().scan(
        _target(tmp_path, {"app/views.py": VIEW, "app/helpers.py": HELPERS})
    )
    assert report.engines == (EngineId("mamori"),)
    assert report.files_scanned == 2
    [finding] = report.findings  # the int() sanitiser in clean_name() stops the second call
    assert finding.rule_id == "mamori:python/command-injection"
    assert finding.cwe == 78
    assert finding.location.path == "app/helpers.py"
    assert finding.location.start_line == 7
    assert finding.scope == "run_report"
    messages = [s.message for s in finding.flow]
    assert messages[0].startswith("source: request.args")
    assert "passed to run_report()" in messages
    assert {s.location.path for s in finding.flow} == {"app/views.py", "app/helpers.py"}
    assert len(finding.fingerprint) == 32


def test_file_newer_than_the_interpreter_is_analysed(tmp_path: Path) -> None:
    # PEP 695 and PEP 701 syntax: LibCST parses it, Python 3.11's ast does not; the engine
    # down-levels it and must still find the flow, on the original line.
    newer = (
        "import os\nfrom flask import request\n\ntype Pair = tuple[int, int]\n\n"
        "def run[T](x: T) -> T:\n"
        '    os.system(f"ls {request.args["dir"]}")\n'
        "    return x\n"
    )
    broken = "def f(:\n    pass\n"
    files = {"new.py": newer, "ok.py": "x = 1\n", "bad.py": broken}
    sources = {p: SourceFile(path=p, text=t) for p, t in files.items()}
    report = TaintScanner().scan(ScanTarget(root=tmp_path, files=tuple(files), sources=sources))
    [finding] = report.findings
    assert finding.rule_id == "mamori:python/command-injection"
    assert (finding.location.path, finding.location.start_line) == ("new.py", 7)
    # Unparsable files never reach the engine in a real scan (the inventory reports them);
    # given one anyway, the engine says why it skipped it.
    [na] = report.not_analysed
    assert na.path == "bad.py"
    assert "not valid Python" in na.reason


def test_user_model_adds_a_sink(tmp_path: Path) -> None:
    code = (
        "from flask import request\nimport legacy\n\n"
        "def view():\n    legacy.run_query(request.args['q'])\n"
    )
    assert not analyse_sources({"v.py": code}).hits
    model = tmp_path / "mine.toml"
    model.write_text(
        '[[sink]]\nrule = "sql-injection"\ncallee = ["legacy.run_query"]\nargs = [0]\n'
    )
    hits = analyse_sources({"v.py": code}, options=TaintOptions(model_files=(model,))).hits
    assert [(h.rule, h.line) for h in hits] == [("sql-injection", 5)]


def test_user_model_adds_a_sanitiser(tmp_path: Path) -> None:
    code = (
        "import os\nfrom flask import request\nfrom mylib import clean\n\n"
        "def view():\n    os.system('ls ' + clean(request.args['d']))\n"
    )
    assert [h.rule for h in analyse_sources({"v.py": code}).hits] == ["command-injection"]
    model = tmp_path / "mine.toml"
    model.write_text('[[sanitiser]]\ncallee = ["mylib.clean"]\nrules = ["command-injection"]\n')
    assert not analyse_sources({"v.py": code}, options=TaintOptions(model_files=(model,))).hits


@pytest.mark.parametrize(
    "text",
    [
        '[[sink]]\nrule = "no-such-rule"\ncallee = ["x.y"]\n',
        '[[sanitiser]]\ncallee = "x"\nrules = ["nope"]\n',
        "[[sinks]]\n",
        "not toml [",
    ],
)
def test_bad_user_model_is_a_config_error(tmp_path: Path, text: str) -> None:
    model = tmp_path / "bad.toml"
    model.write_text(text)
    with pytest.raises(ConfigError):
        load_models([model])


def test_unknown_calls_option() -> None:
    code = (
        "import os\nfrom flask import request\nimport thirdparty\n\n"
        "def view():\n    os.system(thirdparty.wrap(request.args['c']))\n"
    )
    [hit] = analyse_sources({"v.py": code}).hits
    assert hit.confidence is Confidence.MEDIUM  # the flow went through a guess
    assert not analyse_sources({"v.py": code}, options=TaintOptions(unknown_calls="clean")).hits


def test_secrets_in_test_files_are_skipped_by_default() -> None:
    files = {"tests/conftest.py": 'SECRET_KEY = "test-secret-123456"\n'}
    assert not analyse_sources(files).hits
    hits = analyse_sources(files, options=TaintOptions(context_rules_in_tests=True)).hits
    assert [h.rule for h in hits] == ["hardcoded-secret"]


def test_placeholder_secret_has_low_confidence() -> None:
    hits = analyse_sources({"s.py": 'API_KEY = "changeme"\nDB_PASSWORD = "Xk29!pq7Lm3z"\n'}).hits
    assert [(h.line, h.confidence) for h in hits] == [(1, Confidence.LOW), (2, Confidence.HIGH)]


def test_every_rule_has_a_distinct_id_and_cwe() -> None:
    assert len({r.rule_id for r in RULES.values()}) == len(RULES) == 16
    assert all(r.rule_id.startswith("mamori:python/") and r.cwe > 0 for r in RULES.values())
