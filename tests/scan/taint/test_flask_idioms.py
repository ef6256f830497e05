"""Framework idioms and model features the held-out style corpus (tests/corpus/*/hx_*.py)
relies on, checked one at a time with the smallest program that shows each."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.errors import ConfigError
from mamori.scan.taint import Models, TaintOptions, analyse_sources, load_models

NO_CACHE = TaintOptions(jobs=1, cache=False)


def _hits(source: str, models: Models) -> set[tuple[str, int]]:
    result = analyse_sources({"app.py": source}, models=models, options=NO_CACHE)
    assert not result.not_analysed
    return {(h.rule, h.line) for h in result.hits}


def test_flask_g_carries_taint_from_a_hook_to_the_view_per_attribute(taint_models: Models) -> None:
    src = """\
import os
from flask import Flask, g, request

app = Flask(__name__)

@app.get("/a")
def view():
    os.system("echo " + g.lang)
    os.system("echo " + g.user)

@app.before_request
def hook():
    g.lang = request.headers.get("Accept-Language", "en")
    g.user = "anonymous"
"""
    assert _hits(src, taint_models) == {("command-injection", 8)}


def test_a_list_filled_by_append_is_not_a_constant_false(taint_models: Models) -> None:
    src = """\
import sqlite3
from flask import Flask, request

app = Flask(__name__)

@app.get("/a")
def view():
    parts = []
    parts.append("name = '" + request.args["n"] + "'")
    sql = "SELECT 1"
    if parts:
        sql += " WHERE " + " AND ".join(parts)
    return {"rows": sqlite3.connect("x").execute(sql).fetchall()}
"""
    assert _hits(src, taint_models) == {("sql-injection", 13)}


def test_a_closure_sees_the_request_data_of_its_enclosing_view(taint_models: Models) -> None:
    src = """\
import subprocess
from flask import Flask, request

app = Flask(__name__)

@app.get("/a")
def view():
    host = request.args["host"]
    def run():
        return subprocess.check_output("ping -c1 " + host, shell=True)
    return {"out": run().decode()}
"""
    assert _hits(src, taint_models) == {("command-injection", 10)}


def test_sh_dash_c_runs_its_argument_as_a_shell_command(taint_models: Models) -> None:
    src = """\
import subprocess
from flask import Flask, request

app = Flask(__name__)

@app.get("/a")
def view():
    subprocess.run(["sh", "-c", "ls " + request.args["d"]], check=True)
    subprocess.run(["ls", request.args["d"]], check=True)
    return {}
"""
    assert _hits(src, taint_models) == {("command-injection", 8)}


def test_class_based_views_and_error_handlers_are_views(taint_models: Models) -> None:
    src = """\
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)

class Page(MethodView):
    def get(self):
        return "<p>" + request.args["q"] + "</p>"

@app.errorhandler(404)
def missing(err):
    return "<p>no " + request.args.get("ref", "") + "</p>", 404

def helper():
    return "<p>" + request.args["q"] + "</p>"
"""
    assert _hits(src, taint_models) == {("xss", 8), ("xss", 12)}


def test_strip_to_an_allow_listed_alphabet_is_a_sanitiser_for_the_right_rules(
    taint_models: Models,
) -> None:
    src = """\
import os
import re
from flask import Flask, request

app = Flask(__name__)

@app.get("/a")
def view():
    name = re.sub(r"[^\\w./-]+", "", request.args["n"])
    os.system("cat " + name)
    return open(os.path.join("/srv", name)).read()
"""
    # Letters, digits, ".", "/" and "-" cannot break out of a shell word, but "/" still walks
    # the file system.
    assert _hits(src, taint_models) == {("path-traversal", 11)}


def test_process_file_and_http_results_do_not_carry_their_arguments(
    taint_models: Models,
) -> None:
    src = """\
import subprocess
from pathlib import Path
import requests
from flask import Flask, request

app = Flask(__name__)

@app.get("/a")
def a():
    return subprocess.run(["dig", request.args["h"]], capture_output=True).stdout

@app.get("/b")
def b():
    return requests.get("https://api.example.com/s", params={"q": request.args["q"]}).text
"""
    assert _hits(src, taint_models) == set()


def test_dict_keys_limit_a_sink_to_named_entries(tmp_path: Path) -> None:
    model = tmp_path / "extra.toml"
    model.write_text(
        """\
[[sink]]
rule = "open-redirect"
callee = ["myfw.respond"]
kwargs = ["headers"]
dict_keys = ["Location"]
""",
        encoding="utf-8",
    )
    models = load_models([model])
    src = """\
import myfw
from flask import Flask, request

app = Flask(__name__)

@app.get("/a")
def view():
    myfw.respond(headers={"X-Trace": request.args["t"]})
    myfw.respond(headers={"location": request.args["next"]})
    return {}
"""
    assert _hits(src, models) == {("open-redirect", 9)}


def test_a_fact_conditioned_propagator_must_name_methods(tmp_path: Path) -> None:
    model = tmp_path / "bad.toml"
    model.write_text(
        '[[propagator]]\ncallee = ["x.y"]\neffect = "clean"\nrequires_fact = "http-client"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="requires_fact"):
        load_models([model])
