"""CWE-22 exploits: the marker lies outside the application's directories, and only the
finding's own sink counts.

A small Flask application keeps its data under its instance path (as the bundled
payments-portal does). The findings come from the real taint engine; each exploit runs for real
in the sandbox, on the base commit and on a real git worktree with the patch applied.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mamori.domain import Finding
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.taint.scanner import TaintScanner
from mamori.verify.poc import ExploitOutcome, PatchExploitCheck, check_patch
from tests.verify.verify_support import commit_all, git, make_diff, make_patch, to_finding

if shutil.which("bwrap") is None and os.environ.get("MAMORI_REQUIRE_SERVICES") != "1":
    pytest.skip(
        "bubblewrap (bwrap) is not installed: exploits run only in the sandbox",
        allow_module_level=True,
    )

INIT = """\
import os

from flask import Flask


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = "test"
    app.config["DATA_DIR"] = os.path.join(app.instance_path, "data")
    os.makedirs(app.config["DATA_DIR"], exist_ok=True)
    if config:
        app.config.update(config)
    from . import views

    app.register_blueprint(views.bp)
    return app
"""

VIEWS = """\
import os

from flask import Blueprint, current_app, request, send_file

bp = Blueprint("files", __name__)


@bp.post("/stage")
def stage():
    name = request.form["name"]
    base = current_app.config["DATA_DIR"]
    staging = os.path.join(base, name)
    os.makedirs(staging, exist_ok=True)
    return "staged"


@bp.get("/read")
def read():
    name = request.args["name"]
    base = current_app.config["DATA_DIR"]
    with open(os.path.join(base, name)) as fh:
        return fh.read()


@bp.post("/export")
def export():
    name = request.form["name"]
    base = current_app.config["DATA_DIR"]
    staging = os.path.join(base, name)
    os.makedirs(staging, exist_ok=True)
    archive = os.path.join(base, f"{name}.txt")
    with open(archive, "w") as fh:
        fh.write("archive")
    return send_file(archive)
"""

HELPER = """

def _contained_path(base, *parts):
    root = os.path.realpath(base)
    path = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, path]) == root:
        return path
    raise ValueError("path escapes its base directory")
"""


@pytest.fixture(scope="module")
def app_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("poc-paths") / "app"
    (root / "webapp").mkdir(parents=True)
    (root / "webapp" / "__init__.py").write_text(INIT)
    (root / "webapp" / "views.py").write_text(VIEWS)
    git(root, "init", "-q", "-b", "main")
    return root, commit_all(root, "app")


def _findings(root: Path) -> dict[tuple[str, str], Finding]:
    """CWE-22 findings by (view, sink message)."""
    target, _ = build_target(root, ScanOptions())
    out: dict[tuple[str, str], Finding] = {}
    for raw in TaintScanner().scan(target).findings:
        if raw.cwe == 22:
            finding = replace(to_finding(raw), flow=raw.flow)
            out[(raw.scope.rsplit(".", 1)[-1], raw.flow[-1].message)] = finding
    return out


def _check(root: Path, base: str, finding: Finding, fixed_views: str) -> PatchExploitCheck:
    views = VIEWS
    assert fixed_views != views
    diff = make_diff("webapp/views.py", views, fixed_views)
    patch = make_patch(diff, files=("webapp/views.py",))
    check, why = check_patch(finding=finding, patch=patch, root=root, base_commit=base)
    assert check is not None, why
    return check


def _marker_dir(check: PatchExploitCheck) -> str:
    spec = json.loads(check.exploit.code.split("SPEC = ", 1)[1].split("\nimport ", 1)[0])
    return "/tmp/mamori-" + spec["marker"]


def _assert_reaches_marker(check: PatchExploitCheck) -> None:
    """The exploit works before the patch, and what the sink received resolves into the
    directory made for the marker only: not the instance path nor the application's copy."""
    assert check.before.outcome is ExploitOutcome.WORKS, check.before.detail
    marker_dir = _marker_dir(check)
    assert check.before.evidence
    for evidence in check.before.evidence:
        path = evidence.split(": ", 1)[1]
        assert os.path.commonpath([marker_dir, path]) == marker_dir, evidence
        assert "/instance" not in path and not path.startswith("/tmp/mamori-app"), evidence


def test_traversal_into_the_marker_directory_works_before_and_fails_when_contained(
    app_repo: tuple[Path, str],
) -> None:
    root, base = app_repo
    findings = _findings(root)
    makedirs = findings[("stage", "sink: os.makedirs()")]
    opened = findings[("read", "sink: open()")]

    # werkzeug's safe_join, as the path-containment fixer writes it in Flask modules.
    safe = VIEWS.replace(
        "from flask import Blueprint, current_app, request, send_file",
        "from flask import Blueprint, abort, current_app, request, send_file\n"
        "from werkzeug.utils import safe_join",
    ).replace(
        "    staging = os.path.join(base, name)\n    os.makedirs(staging, exist_ok=True)\n"
        '    return "staged"',
        "    staging = safe_join(base, name)\n    if staging is None:\n        abort(404)\n"
        '    os.makedirs(staging, exist_ok=True)\n    return "staged"',
    )
    check = _check(root, base, makedirs, safe)
    _assert_reaches_marker(check)
    assert check.after is not None
    assert check.after.outcome is ExploitOutcome.FAILS, check.after.detail

    # A realpath/commonpath containment check against the base under the instance path: it
    # refuses the marker only because the marker directory is outside that base.
    contained = (
        VIEWS.replace(
            "    with open(os.path.join(base, name)) as fh:",
            "    with open(_contained_path(base, name)) as fh:",
        )
        + HELPER
    )
    check = _check(root, base, opened, contained)
    _assert_reaches_marker(check)
    assert check.after is not None
    assert check.after.outcome is ExploitOutcome.FAILS, check.after.detail


def test_another_sink_of_the_same_view_does_not_keep_the_exploit_working(
    app_repo: tuple[Path, str],
) -> None:
    """The bundled demo's export(): os.makedirs(staging) and send_file(archive) are two
    findings; containing the archive path fixes the send_file finding even though the
    os.makedirs one (fixed by its own patch) still lets the marker through."""
    root, base = app_repo
    findings = _findings(root)
    sent = findings[("export", "sink: send_file()")]
    makedirs = findings[("export", "sink: os.makedirs()")]
    archive_only = (
        VIEWS.replace(
            '    archive = os.path.join(base, f"{name}.txt")',
            '    archive = _contained_path(base, f"{name}.txt")',
        )
        + HELPER
    )

    check = _check(root, base, sent, archive_only)
    _assert_reaches_marker(check)
    assert any(re.match(r"open: .*\.txt$", e) for e in check.before.evidence)
    assert check.after is not None
    assert check.after.outcome is ExploitOutcome.FAILS, check.after.detail

    # The os.makedirs finding is not fixed by that patch: its exploit still works after it.
    check = _check(root, base, makedirs, archive_only)
    _assert_reaches_marker(check)
    assert check.after is not None
    assert check.after.outcome is ExploitOutcome.WORKS, check.after.detail
    assert any(e.startswith("os.mkdir: ") for e in check.after.evidence)
