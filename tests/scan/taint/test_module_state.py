"""Module-level state written by one function and read by another (stored XSS and the like).

Stores into a module's own globals inside its functions (``COMMENTS.append(x)``,
``CACHE[k] = x``, ``global BANNER; BANNER = x``) reach the functions of the same module that
read them, flow-insensitively, per label and per constant key.
"""

from __future__ import annotations

from pathlib import Path

from mamori.scan.taint import Models, TaintOptions, analyse_sources

NO_CACHE = TaintOptions(jobs=1, cache=False)

BOARD = """\
from flask import Flask, request

app = Flask(__name__)
COMMENTS = []


def render_comments(comments):
    items = "".join("<li>%s</li>" % c for c in comments)
    return "<ul class='comments'>" + items + "</ul>"


@app.post("/comments")
def add_comment():
    COMMENTS.append(request.form["text"])
    return "", 201


@app.get("/comments")
def list_comments():
    return render_comments(COMMENTS)
"""


def _hits(files: dict[str, str], models: Models) -> list[tuple[str, str, int]]:
    result = analyse_sources(files, models=models, options=NO_CACHE)
    assert not result.not_analysed
    return sorted((h.path, h.rule, h.line) for h in result.hits)


def test_stored_xss_flow_goes_through_the_write(taint_models: Models) -> None:
    result = analyse_sources({"board.py": BOARD}, models=taint_models, options=NO_CACHE)
    assert [(h.rule, h.line) for h in result.hits] == [("xss", 20)]
    steps = [(s.location.start_line, s.message) for s in result.hits[0].flow]
    assert steps[0] == (14, "source: request.form")
    assert (14, "stored in module-level COMMENTS") in steps
    assert steps[-1][0] == 20


def test_stores_that_depend_on_other_stores_reach_a_fixpoint(taint_models: Models) -> None:
    # The view that renders PUBLISHED comes first, the copy from INBOX before the store into
    # INBOX: the order of the functions does not matter.
    text = """\
from flask import Flask, request

app = Flask(__name__)
INBOX = []
PUBLISHED = []


@app.get("/feed")
def feed():
    return "<ul>" + "".join("<li>%s</li>" % p for p in PUBLISHED) + "</ul>"


@app.post("/approve")
def approve():
    PUBLISHED.extend(INBOX)
    return "", 204


@app.post("/submit")
def submit():
    INBOX.append(request.form["post"])
    return "", 201
"""
    assert _hits({"feed.py": text}, taint_models) == [("feed.py", "xss", 10)]


def test_a_sanitised_store_stays_sanitised_for_its_rule_only(taint_models: Models) -> None:
    text = """\
import html
import sqlite3

from flask import Flask, request

app = Flask(__name__)
NICKS = {}


@app.post("/nick")
def set_nick():
    NICKS[request.form["user"]] = html.escape(request.form["nick"])
    return "ok"


@app.get("/nick/<user>")
def show(user):
    nick = NICKS.get(user, "")
    sqlite3.connect("a.db").execute("INSERT INTO seen VALUES ('%s')" % nick)
    return "<p>%s</p>" % nick
"""
    assert _hits({"nick.py": text}, taint_models) == [("nick.py", "sql-injection", 19)]


def test_constant_keys_keep_their_own_values(taint_models: Models) -> None:
    text = """\
from flask import Flask, request

app = Flask(__name__)
SETTINGS = {"title": "Acme", "footer": ""}


@app.post("/footer")
def set_footer():
    SETTINGS["footer"] = request.form["footer"]
    return "", 204


@app.get("/title")
def title():
    return "<title>" + SETTINGS["title"] + "</title>"


@app.get("/footer")
def footer():
    return "<footer>" + SETTINGS["footer"] + "</footer>"
"""
    assert _hits({"site.py": text}, taint_models) == [("site.py", "xss", 20)]


def test_a_parameter_stored_by_a_helper_takes_the_callers_argument(
    taint_models: Models,
) -> None:
    text = """\
from flask import Flask, request

app = Flask(__name__)
_LOG = []


def remember(kind, text):
    _LOG.append(kind + ": " + text)


@app.post("/event")
def event():
    remember("event", request.form["text"])
    remember("count", str(len(_LOG)))
    return "", 201


@app.get("/log")
def log():
    return "<pre>" + "\\n".join(_LOG) + "</pre>"
"""
    assert _hits({"log.py": text}, taint_models) == [("log.py", "xss", 20)]


def test_a_local_with_the_same_name_is_not_the_global(taint_models: Models) -> None:
    text = """\
from flask import Flask, request

app = Flask(__name__)
RECENT = ["welcome"]


@app.post("/preview")
def preview():
    RECENT = []
    RECENT.append(request.form["title"])
    return {"n": len(RECENT)}


@app.get("/recent")
def recent():
    return "<ul>" + "".join(f"<li>{r}</li>" for r in RECENT) + "</ul>"
"""
    assert _hits({"recent.py": text}, taint_models) == []


def test_the_result_of_a_file_does_not_depend_on_who_reaches_it_first(
    taint_models: Models,
) -> None:
    # Another module calls the reader before the board's own analysis runs: the board's
    # findings (and their flows) are the same as when it is analysed alone.
    caller = """\
from board import list_comments


def prerender():
    return list_comments()
"""

    def board_hits(files: dict[str, str]) -> list[tuple[int, tuple[tuple[int, str], ...]]]:
        result = analyse_sources(files, models=taint_models, options=NO_CACHE)
        return [
            (h.line, tuple((s.location.start_line, s.message) for s in h.flow))
            for h in result.hits
            if h.path == "board.py"
        ]

    alone = board_hits({"board.py": BOARD})
    assert alone
    assert board_hits({"a_prerender.py": caller, "board.py": BOARD}) == alone


STORE = """\
import html

from flask import request

NOTES = []


def add_note():
    NOTES.append({note})


def notes_html():
    return "<ul>" + "".join("<li>" + n + "</li>" for n in NOTES) + "</ul>"
"""
VIEWS = """\
from flask import Flask
from app.store import notes_html

app = Flask(__name__)


@app.get("/notes")
def notes():
    return notes_html()
"""


def test_cached_rescan_follows_an_edit_of_the_store(tmp_path: Path, taint_models: Models) -> None:
    # The view's finding depends on what another function of the helper module stores: a
    # re-scan after that function changes must equal a scan without cache.
    opts = TaintOptions(jobs=1)

    def scan(note: str) -> set[tuple[str, str, int]]:
        files = {"app/store.py": STORE.format(note=note), "app/views.py": VIEWS}
        cached = analyse_sources(files, options=opts, models=taint_models, cache_dir=tmp_path)
        fresh = analyse_sources(files, options=opts, models=taint_models)
        assert cached.hits == fresh.hits
        return {(h.rule, h.path, h.line) for h in cached.hits}

    raw = 'request.form["note"]'
    assert scan(raw) == {("xss", "app/views.py", 9)}
    assert scan('html.escape(request.form["note"])') == set()
    assert scan(raw) == {("xss", "app/views.py", 9)}


def test_a_view_that_stores_then_renders_another_view(taint_models: Models) -> None:
    # add_todo() calls todos() while its stores are being collected: todos() is analysed
    # again once they are known, so its own finding is not lost.
    text = """\
from flask import Flask, request

app = Flask(__name__)
TODOS = []


@app.get("/todos")
def todos():
    return "<ul>" + "".join("<li>" + t + "</li>" for t in TODOS) + "</ul>"


@app.post("/todos")
def add_todo():
    TODOS.append(request.form["todo"])
    return todos()
"""
    assert _hits({"todo.py": text}, taint_models) == [("todo.py", "xss", 9), ("todo.py", "xss", 15)]


def test_a_module_level_instance_keeps_what_its_methods_store(taint_models: Models) -> None:
    # What the method stores (escaped or not) decides, not the method's name: ``add`` is not
    # ``set.add`` and ``all`` is not an ORM's ``Query.all``.
    text = """\
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


class Repo:
    def __init__(self):
        self.raw = []
        self.safe = []

    def add(self, text):
        self.raw.append(text)

    def add_escaped(self, text):
        self.safe.append(escape(text))

    def all(self):
        return list(self.raw)

    def all_escaped(self):
        return list(self.safe)


RAW = Repo()
SAFE = Repo()


@app.post("/c")
def create():
    RAW.add(request.form["t"])
    SAFE.add_escaped(request.form["t"])
    return "", 201


@app.get("/raw")
def raw():
    return "".join("<p>%s</p>" % c for c in RAW.all())


@app.get("/safe")
def safe():
    return "".join("<p>%s</p>" % c for c in SAFE.all())
"""
    assert _hits({"repo.py": text}, taint_models) == [("repo.py", "xss", 38)]
