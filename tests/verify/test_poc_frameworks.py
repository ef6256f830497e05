"""mamori.verify.poc on Django and FastAPI applications, and the XXE, XPath, LDAP, SSRF and
session CWEs (Flask too).

Each application is real and small; its findings come from the real taint engine. For every
finding the generated exploit runs for real in the sandbox on the vulnerable commit (it must
work) and on the commit with the application's fixed version applied (it must fail).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from mamori.domain import Finding, FlowStep, Location
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.taint.scanner import TaintScanner
from mamori.verify.poc import ExploitOutcome, generate_exploit, run_after_patch, run_exploit
from tests.verify.verify_support import commit_all, git, make_patch, to_finding

if shutil.which("bwrap") is None and os.environ.get("MAMORI_REQUIRE_SERVICES") != "1":
    pytest.skip(
        "bubblewrap (bwrap) is not installed: exploits run only in the sandbox",
        allow_module_level=True,
    )
pytest.importorskip("django")
pytest.importorskip("fastapi")
pytest.importorskip("lxml")
pytest.importorskip("ldap3")

# --- Django: a project with settings, urls and views ----------------------------------------

DJANGO_MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

DJANGO_SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev")
DEBUG = False
ALLOWED_HOSTS = ["app.example.com"]
ROOT_URLCONF = "proj.urls"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
FILES_DIR = BASE_DIR / "files"
USE_TZ = True
"""

DJANGO_URLS = """\
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("sqli/", views.sqli),
    path("xss/", views.xss),
    path("cmd/", views.cmd),
    path("files/<str:name>", views.read_file),
    path("go/", views.go),
    path("xml/", views.parse_xml),
    path("users/", views.find_user),
    path("ldap/", views.ldap_lookup),
    path("fetch/", views.fetch),
    re_path(r"^theme/(?P<theme>[\\w-]+)/$", views.set_theme),
    path("report/", views.Report.as_view()),
]
"""

DJANGO_VIEWS = """\
import subprocess
import urllib.request

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from ldap3 import Connection, Server
from lxml import etree

USERS = etree.fromstring(b"<users><user name='ann' role='admin'/></users>")


def sqli(request):
    name = request.GET.get("name", "")
    with connection.cursor() as cur:
        cur.execute(f"SELECT 1 WHERE 'x' = '{name}'")
        rows = cur.fetchall()
    return HttpResponse(str(rows), content_type="text/plain")


def xss(request):
    q = request.GET.get("q", "")
    return HttpResponse(f"<p>Results for {q}</p>")


@csrf_exempt
def cmd(request):
    host = request.POST["host"]
    subprocess.run(f"ping -c 1 {host}", shell=True, check=False)
    return HttpResponse("ok")


@login_required
def read_file(request, name):
    with open(settings.FILES_DIR / name) as f:
        return HttpResponse(f.read(), content_type="text/plain")


def go(request):
    return HttpResponseRedirect(request.GET.get("next", "/"))


@csrf_exempt
def parse_xml(request):
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(request.body, parser)
    return HttpResponse(doc.text or "", content_type="text/plain")


def find_user(request):
    name = request.GET.get("name", "")
    found = USERS.xpath(f"//user[@name='{name}']")
    return HttpResponse(str(len(found)), content_type="text/plain")


def ldap_lookup(request):
    uid = request.GET.get("uid", "")
    conn = Connection(Server("ldap://ldap.example.com"), auto_bind=True)
    conn.search("dc=example,dc=com", f"(uid={uid})")
    return HttpResponse(str(conn.entries), content_type="text/plain")


def fetch(request):
    url = request.GET.get("url", "")
    with urllib.request.urlopen(url, timeout=5) as resp:
        return HttpResponse(resp.read(), content_type="text/plain")


def set_theme(request, theme):
    request.session["theme"] = theme
    return HttpResponse("ok")


class Report(View):
    def get(self, request):
        title = request.GET.get("title", "")
        return HttpResponse(f"<h1>{title}</h1>")
"""

# (old, new) edits that fix every view of DJANGO_VIEWS.
DJANGO_FIXES = (
    (
        "import subprocess\n",
        "import subprocess\nfrom urllib.parse import urlparse\n",
    ),
    (
        "from django.http import HttpResponse, HttpResponseRedirect\n",
        "from django.http import Http404, HttpResponse, HttpResponseBadRequest,"
        " HttpResponseRedirect\nfrom django.utils.html import escape\n"
        "from django.utils.http import url_has_allowed_host_and_scheme\n",
    ),
    (
        "from lxml import etree\n",
        "from ldap3.utils.conv import escape_filter_chars\nfrom lxml import etree\n\n"
        'THEMES = ("light", "dark")\nFETCH_HOSTS = ("api.example.com",)\n',
    ),
    (
        """cur.execute(f"SELECT 1 WHERE 'x' = '{name}'")""",
        """cur.execute("SELECT 1 WHERE 'x' = %s", [name])""",
    ),
    ('HttpResponse(f"<p>Results for {q}</p>")', 'HttpResponse(f"<p>Results for {escape(q)}</p>")'),
    (
        'subprocess.run(f"ping -c 1 {host}", shell=True, check=False)',
        'subprocess.run(["ping", "-c", "1", "--", host], check=False)',
    ),
    (
        "    with open(settings.FILES_DIR / name) as f:\n",
        "    path = (settings.FILES_DIR / name).resolve()\n"
        "    if not path.is_relative_to(settings.FILES_DIR.resolve()):\n"
        "        raise Http404()\n"
        "    with open(path) as f:\n",
    ),
    (
        '    return HttpResponseRedirect(request.GET.get("next", "/"))\n',
        '    target = request.GET.get("next", "/")\n'
        "    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):\n"
        '        target = "/"\n'
        "    return HttpResponseRedirect(target)\n",
    ),
    ("etree.XMLParser(resolve_entities=True)", "etree.XMLParser(resolve_entities=False)"),
    (
        """USERS.xpath(f"//user[@name='{name}']")""",
        """USERS.xpath("//user[@name=$name]", name=name)""",
    ),
    ('f"(uid={uid})"', 'f"(uid={escape_filter_chars(uid)})"'),
    (
        '    url = request.GET.get("url", "")\n',
        '    url = request.GET.get("url", "")\n'
        "    if urlparse(url).hostname not in FETCH_HOSTS:\n"
        '        return HttpResponseBadRequest("host not allowed")\n',
    ),
    (
        '    request.session["theme"] = theme\n',
        '    if theme not in THEMES:\n        theme = "light"\n'
        '    request.session["theme"] = theme\n',
    ),
    ('HttpResponse(f"<h1>{title}</h1>")', 'HttpResponse(f"<h1>{escape(title)}</h1>")'),
)

DJANGO_EXPECTED = {
    ("sqli", 89),
    ("xss", 79),
    ("cmd", 78),
    ("read_file", 22),
    ("go", 601),
    ("parse_xml", 611),
    ("find_user", 643),
    ("ldap_lookup", 90),
    ("fetch", 918),
    ("set_theme", 501),
    ("get", 79),
}

# --- FastAPI ----------------------------------------------------------------------------------

FASTAPI_MAIN = """\
import os
import pickle
import sqlite3
import subprocess
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Form, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from ldap3 import Connection, Server
from lxml import etree
from pydantic import BaseModel

app = FastAPI()
FILES = os.path.join(os.path.dirname(__file__), "files")
USERS = etree.fromstring(b"<users><user name='ann'/></users>")


def current_user(authorization: Annotated[str | None, Header()] = None) -> str:
    if authorization != os.environ.get("API_TOKEN", "not-set"):
        raise HTTPException(status_code=401)
    return authorization


class Search(BaseModel):
    term: str
    limit: int = 10


@app.get("/sqli")
def sqli(name: str):
    db = sqlite3.connect(":memory:")
    rows = db.execute(f"SELECT 1 WHERE 'x' = '{name}'").fetchall()
    return {"rows": rows}


@app.post("/search")
def search(body: Search):
    db = sqlite3.connect(":memory:")
    rows = db.execute(f"SELECT 1 WHERE 'x' = '{body.term}' LIMIT {body.limit}").fetchall()
    return {"rows": rows}


@app.get("/xss", response_class=HTMLResponse)
def xss(q: str = ""):
    return HTMLResponse(f"<p>Results for {q}</p>")


@app.get("/echo")
def echo(q: str = ""):
    return {"q": q}


@app.post("/cmd")
def cmd(host: Annotated[str, Form()]):
    subprocess.run(f"ping -c 1 {host}", shell=True, check=False)
    return PlainTextResponse("ok")


@app.get("/files/{name:path}")
def read_file(name: str, user: str = Depends(current_user)):
    with open(os.path.join(FILES, name)) as f:
        return PlainTextResponse(f.read())


@app.get("/go")
def go(next: str = "/"):
    return RedirectResponse(next)


@app.post("/xml")
async def parse_xml(request: Request):
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(await request.body(), parser)
    return PlainTextResponse(doc.text or "")


@app.get("/users/{name}")
def find_user(name: str):
    return {"found": len(USERS.xpath(f"//user[@name='{name}']"))}


@app.get("/ldap")
def ldap_lookup(request: Request):
    uid = request.query_params.get("uid", "")
    conn = Connection(Server("ldap://ldap.example.com"), auto_bind=True)
    conn.search("dc=example,dc=com", f"(uid={uid})")
    return {"entries": len(conn.entries)}


@app.get("/fetch")
def fetch(url: str):
    return PlainTextResponse(httpx.get(url, timeout=5).text)


@app.post("/restore")
async def restore(request: Request):
    return {"state": str(pickle.loads(await request.body()))}
"""

FASTAPI_FIXES = (
    (
        "import subprocess\n",
        "import html\nimport json\nimport subprocess\nfrom urllib.parse import urlparse\n",
    ),
    (
        "from lxml import etree\n",
        "from ldap3.utils.conv import escape_filter_chars\nfrom lxml import etree\n",
    ),
    ("app = FastAPI()\n", 'app = FastAPI()\nFETCH_HOSTS = ("api.example.com",)\n'),
    (
        """db.execute(f"SELECT 1 WHERE 'x' = '{name}'")""",
        """db.execute("SELECT 1 WHERE 'x' = ?", (name,))""",
    ),
    (
        """db.execute(f"SELECT 1 WHERE 'x' = '{body.term}' LIMIT {body.limit}")""",
        """db.execute("SELECT 1 WHERE 'x' = ? LIMIT ?", (body.term, body.limit))""",
    ),
    (
        'HTMLResponse(f"<p>Results for {q}</p>")',
        'HTMLResponse(f"<p>Results for {html.escape(q)}</p>")',
    ),
    (
        'subprocess.run(f"ping -c 1 {host}", shell=True, check=False)',
        'subprocess.run(["ping", "-c", "1", "--", host], check=False)',
    ),
    (
        "    with open(os.path.join(FILES, name)) as f:\n",
        "    path = os.path.realpath(os.path.join(FILES, name))\n"
        "    if os.path.commonpath([path, os.path.realpath(FILES)]) != os.path.realpath(FILES):\n"
        "        raise HTTPException(status_code=404)\n"
        "    with open(path) as f:\n",
    ),
    (
        "    return RedirectResponse(next)\n",
        '    if not next.startswith("/") or next.startswith("//"):\n'
        '        next = "/"\n'
        "    return RedirectResponse(next)\n",
    ),
    ("etree.XMLParser(resolve_entities=True)", "etree.XMLParser(resolve_entities=False)"),
    (
        """USERS.xpath(f"//user[@name='{name}']")""",
        """USERS.xpath("//user[@name=$name]", name=name)""",
    ),
    ('f"(uid={uid})"', 'f"(uid={escape_filter_chars(uid)})"'),
    (
        "    return PlainTextResponse(httpx.get(url, timeout=5).text)\n",
        "    if urlparse(url).hostname not in FETCH_HOSTS:\n"
        "        raise HTTPException(status_code=400)\n"
        "    return PlainTextResponse(httpx.get(url, timeout=5).text)\n",
    ),
    ("pickle.loads(await request.body())", "json.loads(await request.body())"),
)

FASTAPI_EXPECTED = {
    ("sqli", 89),
    ("search", 89),
    ("xss", 79),
    ("cmd", 78),
    ("read_file", 22),
    ("go", 601),
    ("parse_xml", 611),
    ("find_user", 643),
    ("ldap_lookup", 90),
    ("fetch", 918),
    ("restore", 502),
}

# --- Flask: the CWEs added for the new sinks ---------------------------------------------------

FLASK_APP = """\
import http.client
import xml.sax
from xml.dom import pulldom
from xml.etree import ElementTree

from flask import Flask, request, session
from ldap3 import Connection, Server

app = Flask(__name__)
app.secret_key = "dev"
USERS = ElementTree.fromstring("<users><user name='ann'/></users>")


@app.post("/import")
def import_xml():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    doc = pulldom.parseString(request.get_data(as_text=True), parser)
    names = []
    for event, node in doc:
        if event == pulldom.CHARACTERS:
            names.append(node.data)
    return "".join(names)


@app.get("/users")
def find_user():
    name = request.args.get("name", "")
    return str(len(USERS.findall(f".//user[@name='{name}']")))


@app.get("/person")
def person():
    uid = request.args.get("uid", "")
    conn = Connection(Server("ldap://ldap.example.com"), auto_bind=True)
    conn.search(f"uid={uid},ou=people,dc=example,dc=com", "(objectClass=*)")
    return str(len(conn.entries))


@app.get("/status")
def status():
    host = request.args.get("host", "")
    conn = http.client.HTTPConnection(host, timeout=5)
    conn.request("GET", "/status")
    return conn.getresponse().read()


@app.get("/lang")
def set_lang():
    session["lang"] = request.args.get("lang", "en")
    return "ok"
"""

FLASK_FIXES = (
    ("import http.client\n", "import http.client\nimport re\n"),
    (
        "from ldap3 import Connection, Server\n",
        "from ldap3 import Connection, Server\nfrom ldap3.utils.dn import escape_rdn\n",
    ),
    (
        'app.secret_key = "dev"\n',
        'app.secret_key = "dev"\nLANGS = ("en", "ja")\nSTATUS_HOSTS = ("status.example.com",)\n',
    ),
    ("    parser.setFeature(xml.sax.handler.feature_external_ges, True)\n", ""),
    (
        '    name = request.args.get("name", "")\n',
        '    name = request.args.get("name", "")\n'
        '    if not re.fullmatch(r"\\\\w+", name):\n'
        '        return "bad name", 400\n',
    ),
    ('f"uid={uid},ou=people', 'f"uid={escape_rdn(uid)},ou=people'),
    (
        '    host = request.args.get("host", "")\n',
        '    host = request.args.get("host", "")\n'
        "    if host not in STATUS_HOSTS:\n"
        '        return "host not allowed", 400\n',
    ),
    (
        '    session["lang"] = request.args.get("lang", "en")\n',
        '    lang = request.args.get("lang", "en")\n'
        '    session["lang"] = lang if lang in LANGS else "en"\n',
    ),
)

FLASK_EXPECTED = {
    ("import_xml", 611),
    ("find_user", 643),
    ("person", 90),
    ("status", 918),
    ("set_lang", 501),
}


@dataclass(frozen=True)
class App:
    root: Path
    base: str
    view_file: str
    vulnerable: str
    fixed: str
    findings: Mapping[tuple[str, int], Finding]


def _fixed(text: str, fixes: tuple[tuple[str, str], ...]) -> str:
    for old, new in fixes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _make_app(
    root: Path, files: Mapping[str, str], view_file: str, fixes: tuple[tuple[str, str], ...]
) -> App:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q", "-b", "main")
    base = commit_all(root, "app")
    target, _ = build_target(root, ScanOptions())
    findings: dict[tuple[str, int], Finding] = {}
    for raw in TaintScanner().scan(target).findings:
        findings[(raw.scope.rsplit(".", 1)[-1], raw.cwe)] = replace(to_finding(raw), flow=raw.flow)
    vulnerable = files[view_file]
    return App(root, base, view_file, vulnerable, _fixed(vulnerable, fixes), findings)


@pytest.fixture(scope="module")
def django_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    files = {
        "manage.py": DJANGO_MANAGE,
        "proj/__init__.py": "",
        "proj/settings.py": DJANGO_SETTINGS,
        "proj/urls.py": DJANGO_URLS,
        "proj/views.py": DJANGO_VIEWS,
    }
    return _make_app(tmp_path_factory.mktemp("dj") / "app", files, "proj/views.py", DJANGO_FIXES)


@pytest.fixture(scope="module")
def fastapi_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    files = {"api/__init__.py": "", "api/main.py": FASTAPI_MAIN}
    return _make_app(tmp_path_factory.mktemp("fa") / "app", files, "api/main.py", FASTAPI_FIXES)


@pytest.fixture(scope="module")
def flask_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    files = {"site_app.py": FLASK_APP}
    return _make_app(tmp_path_factory.mktemp("fl") / "app", files, "site_app.py", FLASK_FIXES)


def _exploit_before_and_after(app: App, key: tuple[str, int]) -> None:
    from tests.verify.verify_support import make_diff

    finding = app.findings.get(key)
    assert finding is not None, f"the taint engine did not report {key}: {sorted(app.findings)}"
    exploit, why = generate_exploit(finding, app.root)
    assert exploit is not None, why
    before = run_exploit(exploit, app.root)
    assert before.outcome is ExploitOutcome.WORKS, before.detail
    assert before.evidence, before
    # What the ledger records with it: the sandbox and its self-test.
    assert "bubblewrap" in before.sandbox and "self-test passed" in before.sandbox
    patch = make_patch(make_diff(app.view_file, app.vulnerable, app.fixed), files=(app.view_file,))
    after = run_after_patch(exploit, patch=patch, root=app.root, base_commit=app.base)
    assert after.outcome is ExploitOutcome.FAILS, (after.detail, after.evidence)


@pytest.mark.parametrize("key", sorted(DJANGO_EXPECTED))
def test_django_exploit_works_before_the_fix_and_fails_after(
    django_app: App, key: tuple[str, int]
) -> None:
    _exploit_before_and_after(django_app, key)


@pytest.mark.parametrize("key", sorted(FASTAPI_EXPECTED))
def test_fastapi_exploit_works_before_the_fix_and_fails_after(
    fastapi_app: App, key: tuple[str, int]
) -> None:
    _exploit_before_and_after(fastapi_app, key)


@pytest.mark.parametrize("key", sorted(FLASK_EXPECTED))
def test_flask_exploit_for_the_new_cwes_works_before_the_fix_and_fails_after(
    flask_app: App, key: tuple[str, int]
) -> None:
    _exploit_before_and_after(flask_app, key)


def test_a_json_response_is_not_confirmed_as_xss(fastapi_app: App) -> None:
    """/echo returns the same marker as /xss, in a JSON body: not an HTML page, no XSS."""
    twin = fastapi_app.findings[("xss", 79)]
    lines = fastapi_app.vulnerable.splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("def echo("))
    loc = Location(path="api/main.py", start_line=line)
    flow = (FlowStep(location=loc, message=twin.flow[0].message), *twin.flow[1:])
    echo = replace(twin, scope="echo", location=loc, flow=flow)
    exploit, why = generate_exploit(echo, fastapi_app.root)
    assert exploit is not None, why
    result = run_exploit(exploit, fastapi_app.root)
    assert result.outcome is ExploitOutcome.FAILS, (result.detail, result.evidence)
    assert "GET /echo -> 200" in result.detail


def test_django_exploit_without_a_url_configuration_is_not_generated(
    django_app: App, tmp_path: Path
) -> None:
    root = tmp_path / "bare"
    (root / "proj").mkdir(parents=True)
    (root / "proj" / "views.py").write_text(DJANGO_VIEWS)
    exploit, why = generate_exploit(django_app.findings[("sqli", 89)], root)
    assert exploit is None
    assert why == "no Django URL configuration (urlpatterns = [...]) found"


# --- other layouts: plain Starlette, a single-file Django app, Django urls without settings ----

STARLETTE_APP = """\
import sqlite3

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route


async def search(request):
    q = request.query_params.get("q", "")
    db = sqlite3.connect(":memory:")
    rows = db.execute(f"SELECT 1 WHERE 'x' = '{q}'").fetchall()
    return JSONResponse({"rows": rows})


async def hello(request):
    name = request.path_params["name"]
    return HTMLResponse(f"<p>Hello {name}</p>")


app = Starlette(routes=[Route("/search", search), Route("/hello/{name}", hello)])
"""

DJANGO_SINGLE_FILE = """\
import sqlite3

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=True, SECRET_KEY="dev", ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"]
)


def lookup(request):
    code = request.GET.get("code", "")
    db = sqlite3.connect(":memory:")
    rows = db.execute(f"SELECT 1 WHERE 'x' = '{code}'").fetchall()
    return HttpResponse(str(rows), content_type="text/plain")


urlpatterns = [path("lookup/", lookup)]
"""

DJANGO_NO_SETTINGS_URLS = """\
from django.urls import path

from .views import greet

urlpatterns = [path("greet/<slug:who>/", greet)]
"""

DJANGO_NO_SETTINGS_VIEWS = """\
from django.http import HttpResponse


def greet(request, who):
    return HttpResponse(f"<p>Hello {who}</p>")
"""

FASTAPI_DB = """\
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("sqlite:///./shop.db", connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
"""

FASTAPI_FACTORY = """\
from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import engine, get_db


def create_app() -> FastAPI:
    app = FastAPI(title="shop")

    @app.on_event("startup")
    def init() -> None:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS items (name TEXT)"))

    @app.get("/items/{category}")
    def items(category: str, sort: str = "name", db: Session = Depends(get_db)):
        rows = db.execute(text(f"SELECT name FROM items ORDER BY {sort}")).fetchall()
        return {"category": category, "items": [r[0] for r in rows]}

    return app
"""

FASTAPI_ASYNC_HTTPX = """\
import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/preview")
async def preview(url: str):
    async with httpx.AsyncClient(timeout=5) as client:
        resp = await client.get(url)
    return {"status": resp.status_code}
"""

LAYOUTS = {
    "fastapi-async-httpx": (
        {"app.py": FASTAPI_ASYNC_HTTPX},
        "app.py",
        ("preview", 918),
        (
            (
                "    async with httpx.AsyncClient(timeout=5) as client:\n",
                '    if httpx.URL(url).host != "preview.example.com":\n'
                '        return {"status": 400}\n'
                "    async with httpx.AsyncClient(timeout=5) as client:\n",
            ),
        ),
    ),
    "fastapi-factory-sqlalchemy": (
        {"shop/__init__.py": "", "shop/db.py": FASTAPI_DB, "shop/main.py": FASTAPI_FACTORY},
        "shop/main.py",
        ("items", 89),
        (
            (
                "        rows = db.execute(",
                '        sort = sort if sort in ("name",) else "name"\n        rows = db.execute(',
            ),
        ),
    ),
    "starlette-query": (
        {"service.py": STARLETTE_APP},
        "service.py",
        ("search", 89),
        (
            (
                """db.execute(f"SELECT 1 WHERE 'x' = '{q}'")""",
                """db.execute("SELECT 1 WHERE 'x' = ?", (q,))""",
            ),
        ),
    ),
    "starlette-path": (
        {"service.py": STARLETTE_APP},
        "service.py",
        ("hello", 79),
        (
            ("import sqlite3\n", "import html\nimport sqlite3\n"),
            ('f"<p>Hello {name}</p>"', 'f"<p>Hello {html.escape(name)}</p>"'),
        ),
    ),
    "django-single-file": (
        {"app.py": DJANGO_SINGLE_FILE},
        "app.py",
        ("lookup", 89),
        (
            (
                """db.execute(f"SELECT 1 WHERE 'x' = '{code}'")""",
                """db.execute("SELECT 1 WHERE 'x' = ?", (code,))""",
            ),
        ),
    ),
    "django-no-settings": (
        {
            "shop/__init__.py": "",
            "shop/urls.py": DJANGO_NO_SETTINGS_URLS,
            "shop/views.py": DJANGO_NO_SETTINGS_VIEWS,
        },
        "shop/views.py",
        ("greet", 79),
        (
            (
                "from django.http import HttpResponse\n",
                "from django.http import HttpResponse\nfrom django.utils.html import escape\n",
            ),
            ('f"<p>Hello {who}</p>"', 'f"<p>Hello {escape(who)}</p>"'),
        ),
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_other_layouts_exploit_works_before_the_fix_and_fails_after(
    layout: str, tmp_path: Path
) -> None:
    files, view_file, key, fixes = LAYOUTS[layout]
    app = _make_app(tmp_path / "app", files, view_file, fixes)
    _exploit_before_and_after(app, key)
