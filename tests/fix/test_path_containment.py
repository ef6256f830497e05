from __future__ import annotations

from pathlib import Path

from mamori.fix.codemods.path_containment import PathContainmentFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, assert_idempotent, make_finding, reader

FIXER = PathContainmentFixer()

FLASK = """import os

from flask import Blueprint, current_app

bp = Blueprint("statements", __name__)


@bp.get("/<path:name>")
def download(name):
    path = os.path.join(current_app.config["STATEMENTS_DIR"], name)
    # read it
    with open(path, "rb") as fh:
        return fh.read()
"""

FLASK_FIXED = """import os

from flask import abort, Blueprint, current_app
from werkzeug.utils import safe_join

bp = Blueprint("statements", __name__)


@bp.get("/<path:name>")
def download(name):
    path = safe_join(current_app.config["STATEMENTS_DIR"], name)
    if path is None:
        abort(404)
    # read it
    with open(path, "rb") as fh:
        return fh.read()
"""


def test_flask_join_becomes_safe_join_with_404_at_join_or_open_line() -> None:
    assert apply_fixer(FIXER, FLASK, cwe=22, at="os.path.join") == FLASK_FIXED
    assert apply_fixer(FIXER, FLASK, cwe=22, at="with open") == FLASK_FIXED
    assert_idempotent(FIXER, FLASK_FIXED, cwe=22, at="safe_join(")
    assert_idempotent(FIXER, FLASK_FIXED, cwe=22, at="with open")


def test_flask_inline_join_gets_a_checked_variable() -> None:
    src = (
        "import os\n"
        "from flask import send_file\n"
        "\n"
        "\n"
        "def dl(base, name):\n"
        "    return send_file(os.path.join(base, name))\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="send_file(os")
    assert fixed == (
        "import os\n"
        "from flask import abort, send_file\n"
        "from werkzeug.utils import safe_join\n"
        "\n"
        "\n"
        "def dl(base, name):\n"
        "    safe_path = safe_join(base, name)\n"
        "    if safe_path is None:\n"
        "        abort(404)\n"
        "    return send_file(safe_path)\n"
    )


def test_plain_python_gets_realpath_containment_helper() -> None:
    src = "import os\n\n\ndef read(base, name):\n    return open(os.path.join(base, name)).read()\n"
    fixed = apply_fixer(FIXER, src, cwe=22, at="open(")
    assert fixed is not None
    assert "    return open(_contained_path(base, name)).read()\n" in fixed
    assert "def _contained_path(base, *parts):" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="open(_contained")
    # The helper really refuses traversal and accepts contained names.
    namespace: dict[str, object] = {}
    helper = fixed[fixed.index("def _contained_path") : fixed.index("def read")]
    exec("import os\n" + helper, namespace)
    contained = namespace["_contained_path"]
    assert callable(contained)
    assert contained("/srv/data", "a/b.txt") == "/srv/data/a/b.txt"
    for bad in ("../etc/passwd", "/etc/passwd", "a/../../x"):
        try:
            contained("/srv/data", bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} was not refused")


def test_declines_without_a_base_directory() -> None:
    src = "def read(path):\n    return open(path).read()\n"
    result = FIXER.fix(make_finding(cwe=22, line=2), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "base directory" in result.reason


def _module(src: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(src, "app/views.py", "exec"), namespace)
    return namespace


def _refused(fn: object, *args: object) -> bool:
    assert callable(fn)
    try:
        fn(*args)
    except (ValueError, FileNotFoundError, PermissionError):
        return True
    return False


def test_fstring_path_is_split_at_its_literal_directory(tmp_path: Path) -> None:
    base = tmp_path / "logs"
    base.mkdir()
    (base / "api.log").write_text("ok")
    (tmp_path / "secret.log").write_text("secret")
    src = (
        "import io\n\n\n"
        "def tail(service):\n"
        f'    with io.open(f"{base}/{{service}}.log", encoding="utf-8") as fh:\n'
        "        return fh.read()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="io.open")
    assert fixed is not None
    assert (
        f'    with io.open(_contained_path("{base}", f"{{service}}.log"),'
        ' encoding="utf-8") as fh:\n' in fixed
    )
    assert_idempotent(FIXER, fixed, cwe=22, at="io.open")
    ns = _module(fixed)
    assert ns["tail"]("api") == "ok"  # type: ignore[operator]
    assert _refused(ns["tail"], "../secret")


def test_concatenated_path_with_a_directory_constant() -> None:
    src = (
        "import shutil\n\nEXPORTS = '/srv/exports'\n\n\n"
        "def export(name):\n"
        '    shutil.copy(EXPORTS + "/" + name, "/tmp/outbox")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="shutil.copy")
    assert fixed is not None
    assert '    shutil.copy(_contained_path(EXPORTS, name), "/tmp/outbox")\n' in fixed


def test_string_path_in_flask_uses_safe_join() -> None:
    src = (
        "from flask import Flask, request, send_file\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/doc")\n'
        "def doc():\n"
        "    path = f\"/srv/docs/{request.args['name']}.pdf\"\n"
        "    return send_file(path)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="send_file(path)")
    assert fixed is not None
    assert (
        '    path = safe_join("/srv/docs", f"{request.args[\'name\']}.pdf")\n'
        "    if path is None:\n"
        "        abort(404)\n"
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="send_file(path)")


def test_pathlib_join_is_contained_and_stays_a_path(tmp_path: Path) -> None:
    base = tmp_path / "reports"
    base.mkdir()
    (base / "q1.txt").write_text("q1")
    (tmp_path / "secret.txt").write_text("secret")
    src = (
        "from pathlib import Path\n\n"
        f"REPORTS = Path({str(base)!r})\n\n\n"
        "def read(name):\n"
        "    p = REPORTS / name\n"
        "    return p.read_text()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="p.read_text")
    assert fixed is not None
    assert "    p = Path(_contained_path(REPORTS, name))\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="p.read_text")
    ns = _module(fixed)
    assert ns["read"]("q1.txt") == "q1"  # type: ignore[operator]
    assert _refused(ns["read"], "../secret.txt")
    assert _refused(ns["read"], str(tmp_path / "secret.txt"))


def test_pathlib_joinpath_and_path_with_two_arguments() -> None:
    src = (
        "import pathlib\n\n\n"
        "def a(base, name):\n    return base.joinpath(name).read_bytes()\n\n\n"
        "def b(base, name):\n    return pathlib.Path(base, 'sub', name).read_bytes()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="base.joinpath")
    assert fixed is not None
    assert "    return pathlib.Path(_contained_path(base, name)).read_bytes()\n" in fixed
    fixed = apply_fixer(FIXER, src, cwe=22, at="pathlib.Path(base")
    assert fixed is not None
    assert "    return pathlib.Path(_contained_path(base, 'sub', name)).read_bytes()\n" in fixed


def test_directory_constant_ending_with_a_slash() -> None:
    src = (
        'UPLOAD_DIR = "/var/uploads/"\n\n\n'
        "def save(name, data):\n"
        '    with open(UPLOAD_DIR + name, "wb") as fh:\n'
        "        fh.write(data)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="with open")
    assert fixed is not None
    assert '    with open(_contained_path(UPLOAD_DIR, name), "wb") as fh:\n' in fixed
    assert "import os\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="with open")


def test_helper_is_recognised_by_the_taint_engine() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "from django.http import JsonResponse\n\n\n"
        "def show_log(request):\n"
        '    service = request.POST["service"]\n'
        '    with open(f"/var/log/app/{service}.log") as fh:\n'
        "        return JsonResponse({'tail': fh.readlines()[-20:]})\n"
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert '    with open(_contained_path("/var/log/app", f"{service}.log")) as fh:\n' in fixed
