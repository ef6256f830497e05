from __future__ import annotations

from mamori.fix.codemods.path_containment import PathContainmentFixer
from tests.fix.helpers import apply_fixer, assert_idempotent

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


def test_declines_without_join() -> None:
    src = "def read(path):\n    return open(path).read()\n"
    assert apply_fixer(FIXER, src, cwe=22, at="open(") is None
