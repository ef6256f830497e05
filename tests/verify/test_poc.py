"""mamori.verify.poc: exploits confirm true dataflow findings and none of the safe look-alikes.

The findings come from the real taint engine on a small Flask application; each exploit runs
for real in the sandbox.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mamori.domain import (
    CheckName,
    CheckResult,
    CheckStatus,
    Finding,
    PatchId,
    Verification,
    VerificationStatus,
)
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.taint.scanner import TaintScanner
from mamori.verify.poc import (
    ExploitOutcome,
    apply_to_verification,
    check_patch,
    generate_exploit,
    load_exploit,
    run_exploit,
    store_exploit,
)
from tests.verify.verify_support import commit_all, git, make_diff, make_patch, to_finding

if shutil.which("bwrap") is None and os.environ.get("MAMORI_REQUIRE_SERVICES") != "1":
    pytest.skip(
        "bubblewrap (bwrap) is not installed: exploits run only in the sandbox",
        allow_module_level=True,
    )

INIT = """\
import os
import sqlite3

from flask import Flask, g


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = "test"
    app.config["FILES"] = os.path.join(app.instance_path, "files")
    os.makedirs(app.config["FILES"], exist_ok=True)
    if config:
        app.config.update(config)
    from . import views

    app.register_blueprint(views.bp)
    return app


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(":memory:")
        g.db.execute("CREATE TABLE users (name TEXT)")
    return g.db
"""

VIEWS = """\
import os
import pickle
import subprocess

import yaml
from flask import Blueprint, current_app, redirect, request, send_file
from markupsafe import escape
from werkzeug.utils import secure_filename

from . import get_db

bp = Blueprint("views", __name__, url_prefix="/v")


@bp.get("/sqli")
def sqli():
    name = request.args.get("name", "")
    rows = get_db().execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()
    return str(rows)


@bp.get("/sqli-safe")
def sqli_safe():
    name = request.args.get("name", "")
    rows = get_db().execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()
    return str(rows)


@bp.get("/xss")
def xss():
    q = request.args.get("q", "")
    return f"<p>Results for {q}</p>"


@bp.get("/xss-safe")
def xss_safe():
    q = request.args.get("q", "")
    return f"<p>Results for {escape(q)}</p>"


@bp.post("/cmd")
def cmd():
    host = request.form["host"]
    subprocess.run(f"ping -c 1 {host}", shell=True, check=False)
    return "ok"


@bp.post("/cmd-safe")
def cmd_safe():
    host = request.form["host"]
    subprocess.run(["ping", "-c", "1", "--", host], check=False)
    return "ok"


@bp.get("/file")
def read_file():
    name = request.args.get("name", "")
    with open(os.path.join(current_app.config["FILES"], name)) as f:
        return f.read()


@bp.get("/file-safe")
def read_file_safe():
    name = secure_filename(request.args.get("name", ""))
    with open(os.path.join(current_app.config["FILES"], name)) as f:
        return f.read()


@bp.get("/go")
def go():
    return redirect(request.args.get("next", "/"))


@bp.get("/go-safe")
def go_safe():
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target)


@bp.post("/load")
def load():
    data = request.files["doc"].read()
    return str(yaml.load(data, Loader=yaml.Loader))


@bp.post("/load-safe")
def load_safe():
    data = request.files["doc"].read()
    return str(yaml.safe_load(data))


@bp.get("/calc")
def calc():
    return str(eval(request.args.get("expr", "1")))


@bp.get("/unpickle")
def unpickle():
    return str(pickle.loads(request.args.get("blob", "").encode()))
"""

# Each route's expected outcome: True = a real vulnerability the exploit must confirm.
EXPECTED = {
    ("sqli", 89): True,
    ("sqli_safe", 89): False,
    ("xss", 79): True,
    ("xss_safe", 79): False,
    ("cmd", 78): True,
    ("cmd_safe", 78): False,
    ("read_file", 22): True,
    ("read_file_safe", 22): False,
    ("go", 601): True,
    ("go_safe", 601): False,
    ("load", 502): True,
    ("load_safe", 502): False,
    ("calc", 95): True,
    ("unpickle", 502): True,
}


@pytest.fixture(scope="module")
def app_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("poc") / "app"
    (root / "webapp").mkdir(parents=True)
    (root / "webapp" / "__init__.py").write_text(INIT)
    (root / "webapp" / "views.py").write_text(VIEWS)
    git(root, "init", "-q", "-b", "main")
    return root, commit_all(root, "app")


def _findings(root: Path) -> dict[tuple[str, int], Finding]:
    target, _ = build_target(root, ScanOptions())
    report = TaintScanner().scan(target)
    out: dict[tuple[str, int], Finding] = {}
    for raw in report.findings:
        out[(raw.scope.rsplit(".", 1)[-1], raw.cwe)] = replace(to_finding(raw), flow=raw.flow)
    return out


def _line_of(root: Path, needle: str) -> int:
    lines = (root / "webapp" / "views.py").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_exploits_confirm_true_findings_and_none_of_the_safe_ones(
    app_repo: tuple[Path, str],
) -> None:
    root, _ = app_repo
    findings = _findings(root)
    confirmed: dict[tuple[str, int], bool] = {}
    for key, vulnerable in EXPECTED.items():
        finding = findings.get(key)
        if finding is None:
            # The engine does not flag the safe look-alike: exploit it anyway, from the same
            # source line, to show the harness does not confirm it either.
            if vulnerable:
                pytest.fail(f"the taint engine did not report {key}")
            finding = _look_alike(findings, key, root)
        exploit, why = generate_exploit(finding, root)
        assert exploit is not None, (key, why)
        result = run_exploit(exploit, root)
        assert result.outcome is not ExploitOutcome.ERROR, (key, result.detail)
        confirmed[key] = result.outcome is ExploitOutcome.WORKS
        if confirmed[key]:
            assert result.evidence, key
    assert confirmed == EXPECTED


def _look_alike(
    findings: dict[tuple[str, int], Finding], key: tuple[str, int], root: Path
) -> Finding:
    """The finding of the vulnerable twin, moved to the safe route's source line."""
    from mamori.domain import FlowStep, Location

    scope, cwe = key
    twin = findings[(scope.removesuffix("_safe"), cwe)]
    line = _line_of(root, f"def {scope}(") + 1
    loc = Location(path="webapp/views.py", start_line=line)
    flow = (FlowStep(location=loc, message=twin.flow[0].message), *twin.flow[1:])
    return replace(twin, scope=scope, location=loc, flow=flow)


def test_the_exploit_fails_after_a_real_fix(app_repo: tuple[Path, str], tmp_path: Path) -> None:
    root, base = app_repo
    finding = _findings(root)[("sqli", 89)]
    views = (root / "webapp" / "views.py").read_text()
    fixed = views.replace(
        """get_db().execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()""",
        """get_db().execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()""",
        1,
    )
    assert fixed != views
    patch = make_patch(make_diff("webapp/views.py", views, fixed), files=("webapp/views.py",))
    check, why = check_patch(finding=finding, patch=patch, root=root, base_commit=base)
    assert check is not None, why
    assert check.confirmed and check.after is not None
    assert check.after.outcome is ExploitOutcome.FAILS, check.after.detail

    # A fix that does not fix: the exploit still works, FINDING_GONE fails.
    cosmetic = views.replace("rows = get_db()", "rows  = get_db()", 1)
    bad = make_patch(make_diff("webapp/views.py", views, cosmetic), files=("webapp/views.py",))
    still, _ = check_patch(finding=finding, patch=bad, root=root, base_commit=base)
    assert still is not None and still.after is not None
    assert still.after.outcome is ExploitOutcome.WORKS
    passed = Verification(
        patch_id=PatchId("p1"),
        status=VerificationStatus.VERIFIED,
        checks=tuple(
            CheckResult(name=n, status=CheckStatus.PASSED, detail="ok") for n in CheckName
        ),
    )
    assert apply_to_verification(passed, check).status is VerificationStatus.VERIFIED
    blocked = apply_to_verification(passed, still)
    assert blocked.status is VerificationStatus.STILL_VULNERABLE
    gone = blocked.check(CheckName.FINDING_GONE)
    assert gone is not None and "the exploit still works" in gone.detail

    # Stored with the finding, read back byte for byte.
    path = store_exploit(tmp_path / ".mamori", check.exploit)
    assert path == tmp_path / ".mamori" / "exploits" / "f1" / "mamori_exploit_test.py"
    loaded = load_exploit(tmp_path / ".mamori", "f1", 89)
    assert loaded is not None and loaded.sha256 == check.exploit.sha256


def test_no_exploit_for_findings_without_a_request_source(app_repo: tuple[Path, str]) -> None:
    root, _ = app_repo
    finding = _findings(root)[("sqli", 89)]
    plain = replace(finding, flow=())
    assert generate_exploit(plain, root) == (None, "the finding has no data flow")
    other = replace(finding, cwe=798)
    assert generate_exploit(other, root)[0] is None
