"""Entry-point parameters: the parameters of public functions no file of the scan refers to are
what a library's callers pass in, so they are a source for the injection sinks (MEDIUM
confidence, the message naming the public function)."""

from __future__ import annotations

from pathlib import Path

from mamori.domain import Confidence
from mamori.scan.taint import AnalysisResult, Models, TaintOptions, analyse_sources
from mamori.scan.taint.analysis import Hit

ON = TaintOptions(jobs=1, cache=False)
OFF = TaintOptions(jobs=1, cache=False, entry_point_parameters=False)

LIBRARY = """\
import os
import sqlite3

BASE = "/srv/reports"


def read_report(name):
    return open(os.path.join(BASE, name)).read()


def render_greeting(name):
    return "<p>" + name + "</p>"


def find_user(conn: sqlite3.Connection, username: str):
    return conn.execute(f"SELECT * FROM users WHERE name = '{username}'").fetchall()


class NoteStore:
    def __init__(self, root):
        self.root = root

    def load(self, title):
        with open(os.path.join(self.root, title + ".md")) as f:
            return f.read()
"""


def _scan(files: dict[str, str], models: Models, options: TaintOptions = ON) -> AnalysisResult:
    return analyse_sources(files, options=options, models=models)


def _hits(result: AnalysisResult, rule: str) -> list[Hit]:
    return [h for h in result.hits if h.rule == rule]


def test_uncalled_public_function_parameters_reach_open_execute_and_html(
    taint_models: Models,
) -> None:
    result = _scan({"lib/reports.py": LIBRARY}, taint_models)
    found = {(h.rule, h.line) for h in result.hits}
    assert found == {
        ("path-traversal", 8),
        ("xss", 12),
        ("sql-injection", 16),
        ("path-traversal", 24),
    }
    for h in result.hits:
        assert h.confidence is Confidence.MEDIUM
    (sql,) = _hits(result, "sql-injection")
    assert sql.message == (
        "parameter 'username' reaches conn.execute(); the value comes from a caller of the "
        "public function `find_user`"
    )
    assert sql.flow[0].message == "source: parameter 'username' of find_user()"
    assert sql.flow[-1].message == "sink: conn.execute()"
    traversal = {h.line: h.message for h in _hits(result, "path-traversal")}
    assert "public function `NoteStore.load`" in traversal[24]
    assert "parameter 'title'" in traversal[24]  # not self, not the constructor's root


def test_option_off_reports_nothing(taint_models: Models) -> None:
    assert _scan({"lib/reports.py": LIBRARY}, taint_models, OFF).hits == ()


def test_function_called_only_with_constants_is_not_an_entry_point(taint_models: Models) -> None:
    app = """\
from lib.reports import read_report, render_greeting

def monthly():
    return read_report("monthly.txt") + render_greeting("team")
"""
    result = _scan({"lib/reports.py": LIBRARY, "app/jobs.py": app}, taint_models)
    assert {(h.rule, h.line) for h in result.hits} == {
        ("sql-injection", 16),
        ("path-traversal", 24),
    }


def test_a_call_through_an_import_alias_counts(taint_models: Models) -> None:
    cli = """\
def main(argv):
    from lib.reports import find_user as lookup
    return lookup(None, "bob")
"""
    result = _scan({"lib/reports.py": LIBRARY, "cli/main.py": cli}, taint_models)
    assert ("sql-injection", 16) not in {(h.rule, h.line) for h in result.hits}
    assert ("path-traversal", 8) in {(h.rule, h.line) for h in result.hits}


def test_calls_from_tests_do_not_count_and_test_functions_are_not_entry_points(
    taint_models: Models,
) -> None:
    test = """\
import os
from lib.reports import read_report

def test_read(name="x"):
    assert read_report("../../etc/passwd")

def helper_in_tests(path_part):
    os.system("ls " + path_part)
"""
    for test_path in ("tests/test_reports.py", "lib/test_reports.py", "tests/conftest.py"):
        result = _scan({"lib/reports.py": LIBRARY, test_path: test}, taint_models)
        assert ("path-traversal", "lib/reports.py", 8) in {
            (h.rule, h.path, h.line) for h in result.hits
        }
        assert not [h for h in result.hits if h.path == test_path]


def test_private_names_and_non_string_parameters_are_left_out(taint_models: Models) -> None:
    code = """\
import os
import subprocess
from uuid import UUID


def _private(cmd):
    os.system(cmd)


class _Hidden:
    def run(self, cmd):
        os.system(cmd)


class Jobs:
    def _spawn(self, cmd):
        os.system(cmd)


def kill(pid: int, grace: float = 1.0, job: UUID | None = None, signal=9, verbose=False):
    os.system(f"kill {pid} {grace} {job} {signal} {verbose}")


def archive(label: str, level: int = 5):
    subprocess.run(f"tar czf {label}.tgz --level {level} .", shell=True)


class Job:
    name = "nightly"


def launch(job: Job, config: dict[str, str], suffix: "str | None" = None):
    os.system(f"run {job.name} {config['queue']}")
    os.system(f"run {suffix}")
"""
    result = _scan({"ops/tasks.py": code}, taint_models)
    assert [(h.rule, h.line) for h in result.hits] == [
        ("command-injection", 25),
        ("command-injection", 34),
    ]
    assert "parameter 'label'" in result.hits[0].message
    assert "parameter 'suffix'" in result.hits[1].message


def test_views_keep_their_own_sources(taint_models: Models) -> None:
    code = """\
import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/files/<name>")
def download(name):
    return open(os.path.join("/srv", name)).read()


@app.route("/ping")
def ping():
    os.system("ping " + request.args["host"])
    return "ok"


@app.cli.command()
def cleanup(pattern):
    os.system("rm " + pattern)
"""
    result = _scan({"web/app.py": code}, taint_models)
    got = {(h.rule, h.line): h for h in result.hits}
    assert set(got) == {("path-traversal", 9), ("command-injection", 14)}
    assert got[("path-traversal", 9)].message == "route parameter 'name' reaches open()"
    assert got[("path-traversal", 9)].confidence is Confidence.HIGH
    assert got[("command-injection", 14)].confidence is Confidence.HIGH


def test_whole_path_and_url_parameters_are_the_callers_choice(taint_models: Models) -> None:
    code = """\
import hashlib
import subprocess
import requests


def checksum(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def fetch(url):
    return requests.get(url, timeout=5).content


def compress(path):
    subprocess.run("gzip " + path, shell=True)
"""
    result = _scan({"lib/io.py": code}, taint_models)
    # Opening the path or fetching the URL it is given is such a function's purpose; putting
    # the path into a shell command is still an injection.
    assert [(h.rule, h.line) for h in result.hits] == [("command-injection", 16)]


def test_escaped_html_and_non_injection_sinks_are_not_reported(taint_models: Models) -> None:
    code = """\
import html
import hashlib


def render(name):
    return "<p>" + html.escape(name) + "</p>"


def plain(name):
    return "Hello " + name


def digest(password):
    return hashlib.md5(password.encode()).hexdigest()
"""
    on = _scan({"lib/text.py": code}, taint_models)
    # The weak-hash rule reports md5 of a password on its own, entry point or not.
    assert [(h.rule, h.line) for h in on.hits] == [("weak-password-hash", 14)]
    assert on.hits == _scan({"lib/text.py": code}, taint_models, OFF).hits


def test_a_new_caller_in_another_file_updates_a_cached_scan(
    tmp_path: Path, taint_models: Models
) -> None:
    """Whether a function is called depends on every other file: the names each file refers to
    are cached with it and the filter runs over the whole set on every scan."""
    cached = TaintOptions(jobs=1)
    files = {"lib/reports.py": LIBRARY, "app/other.py": "def answer():\n    return 42\n"}

    analysed: list[int] = []

    def scan() -> set[tuple[str, int]]:
        result = analyse_sources(files, options=cached, models=taint_models, cache_dir=tmp_path)
        fresh = analyse_sources(files, options=ON, models=taint_models)
        assert result.hits == fresh.hits
        analysed.append(result.analysed)
        return {(h.rule, h.line) for h in result.hits}

    assert ("path-traversal", 8) in scan()
    files["app/other.py"] = "from lib.reports import read_report\n\nX = read_report('a.txt')\n"
    found = scan()
    assert analysed == [2, 1]  # lib/reports.py came from the cache
    assert ("path-traversal", 8) not in found
    assert ("sql-injection", 16) in found
    files["app/other.py"] = "def answer():\n    return 42\n"
    assert ("path-traversal", 8) in scan()
    del files["app/other.py"]
    files["app/new.py"] = "import lib.reports\n\nlib.reports.find_user(None, 'bob')\n"
    found = scan()
    assert ("sql-injection", 16) not in found
    assert ("path-traversal", 8) in found


def test_mamori_toml_turns_the_source_off(tmp_path: Path) -> None:
    from mamori.config import Config
    from mamori.scan.runner import plan_from_config
    from mamori.scan.taint import TaintScanner

    def taint_scanner(root: Path) -> TaintScanner:
        plan = plan_from_config(root, Config.load(root), engines=["mamori"])
        (scanner,) = plan.scanners
        assert isinstance(scanner, TaintScanner)
        return scanner

    assert taint_scanner(tmp_path).options.entry_point_parameters is True
    (tmp_path / "mamori.toml").write_text("[scan]\nentry_point_parameters = false\n")
    assert taint_scanner(tmp_path).options.entry_point_parameters is False


def test_a_sink_moving_in_a_helper_file_moves_the_cached_finding(
    tmp_path: Path, taint_models: Models
) -> None:
    api = "from lib.helpers import run\n\n\ndef archive(label):\n    run('tar czf ' + label)\n"
    helpers = "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"
    files = {"lib/api.py": api, "lib/helpers.py": helpers}

    def scan() -> list[tuple[str, str, int]]:
        cached = analyse_sources(
            files, options=TaintOptions(jobs=1), models=taint_models, cache_dir=tmp_path
        )
        assert cached.hits == _scan(files, taint_models).hits  # places and flows
        return [(h.rule, h.path, h.line) for h in cached.hits]

    assert scan() == [("command-injection", "lib/helpers.py", 5)]
    files["lib/helpers.py"] = "# moved\n\n" + helpers
    assert scan() == [("command-injection", "lib/helpers.py", 7)]
