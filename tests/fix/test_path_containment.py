from __future__ import annotations

from pathlib import Path

import pytest

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


def test_plain_python_gets_a_realpath_check_before_the_statement(tmp_path: Path) -> None:
    src = "import os\n\n\ndef read(base, name):\n    return open(os.path.join(base, name)).read()\n"
    fixed = apply_fixer(FIXER, src, cwe=22, at="open(")
    assert fixed == (
        "import os\n\n\ndef read(base, name):\n"
        "    base_dir = os.path.realpath(base)\n"
        "    safe_path = os.path.realpath(os.path.join(base_dir, name))\n"
        "    if os.path.commonpath([base_dir, safe_path]) != base_dir:\n"
        '        raise ValueError("path escapes its base directory")\n'
        "    return open(safe_path).read()\n"
    )
    assert_idempotent(FIXER, fixed, cwe=22, at="open(")
    assert_idempotent(FIXER, fixed, cwe=22, at="os.path.join")
    # The check really refuses traversal, absolute paths and symbolic links out of the base.
    base = tmp_path / "data"
    (base / "a").mkdir(parents=True)
    (base / "a" / "b.txt").write_text("ok")
    (tmp_path / "secret").write_text("secret")
    (base / "link").symlink_to(tmp_path / "secret")
    read = _module(fixed)["read"]
    assert read(str(base), "a/b.txt") == "ok"  # type: ignore[operator]
    for bad in ("../secret", str(tmp_path / "secret"), "a/../../secret", "link"):
        assert _refused(read, str(base), bad), bad


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
        f'    base_dir = os.path.realpath("{base}")\n'
        '    safe_path = os.path.realpath(os.path.join(base_dir, f"{service}.log"))\n'
    ) in fixed
    assert '    with io.open(safe_path, encoding="utf-8") as fh:\n' in fixed
    assert "import io\nimport os\n" in fixed
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
    assert (
        "    base_dir = os.path.realpath(EXPORTS)\n"
        "    safe_path = os.path.realpath(os.path.join(base_dir, name))\n"
    ) in fixed
    assert '    shutil.copy(safe_path, "/tmp/outbox")\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="shutil.copy")


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
    assert (
        "    base_dir = Path(REPORTS).resolve()\n"
        "    p = Path(base_dir, name).resolve()\n"
        "    if not p.is_relative_to(base_dir):\n"
        '        raise ValueError("path escapes its base directory")\n'
        "    return p.read_text()\n"
    ) in fixed
    assert "import os" not in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="p = Path")
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
    assert (
        "def a(base, name):\n"
        "    base_dir = pathlib.Path(base).resolve()\n"
        "    safe_path = pathlib.Path(base_dir, name).resolve()\n"
        "    if not safe_path.is_relative_to(base_dir):\n"
        '        raise ValueError("path escapes its base directory")\n'
        "    return safe_path.read_bytes()\n"
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="return safe_path")
    fixed = apply_fixer(FIXER, src, cwe=22, at="pathlib.Path(base")
    assert fixed is not None
    assert "    safe_path = pathlib.Path(base_dir, 'sub', name).resolve()\n" in fixed


def test_directory_constant_ending_with_a_slash() -> None:
    src = (
        'UPLOAD_DIR = "/var/uploads/"\n\n\n'
        "def save(name, data):\n"
        '    with open(UPLOAD_DIR + name, "wb") as fh:\n'
        "        fh.write(data)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="with open")
    assert fixed is not None
    assert "    base_dir = os.path.realpath(UPLOAD_DIR)\n" in fixed
    assert '    with open(safe_path, "wb") as fh:\n' in fixed
    assert fixed.startswith("import os\n")
    assert_idempotent(FIXER, fixed, cwe=22, at="with open")


def test_the_check_is_recognised_by_the_taint_engine() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "from django.http import JsonResponse\n\n\n"
        "def show_log(request):\n"
        '    service = request.POST["service"]\n'
        '    with open(f"/var/log/app/{service}.log") as fh:\n'
        "        return JsonResponse({'tail': fh.readlines()[-20:]})\n"
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert (
        '    base_dir = os.path.realpath("/var/log/app")\n'
        '    safe_path = os.path.realpath(os.path.join(base_dir, f"{service}.log"))\n'
        "    if os.path.commonpath([base_dir, safe_path]) != base_dir:\n"
        "        raise Http404()\n"  # Django answers 404, as for a missing file
        "    with open(safe_path) as fh:\n"
    ) in fixed
    assert "from django.http import Http404, JsonResponse\n" in fixed


# --- composing patches, finding the base elsewhere, every path argument --------------------

NOTES = """import os


class NoteStore:
    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)

    def save(self, title, body):
        path = os.path.join(self.root, title + ".md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        return path

    def load(self, title):
        with open(os.path.join(self.root, title + ".md"), encoding="utf-8") as f:
            return f.read()
"""


def _diff(fixed_at: str, source: str) -> str:
    from mamori.fix.stage import unified_diff

    fixed = apply_fixer(FIXER, source, cwe=22, at=fixed_at, path="notes.py")
    assert fixed is not None
    return unified_diff(reader({"notes.py": source}), {"notes.py": fixed})


def test_two_sinks_of_one_module_get_patches_that_apply_together(tmp_path: Path) -> None:
    """Each patch checks its own path with local statements (no shared helper or import), so
    that `git apply` takes both, in either order, and the result contains both sinks."""
    import subprocess

    diffs = [_diff('with open(path, "w"', NOTES), _diff("with open(os.path.join", NOTES)]
    for order in (diffs, diffs[::-1]):
        work = tmp_path / f"w{len(list(tmp_path.iterdir()))}"
        work.mkdir()
        (work / "notes.py").write_text(NOTES)
        for n, diff in enumerate(order):
            (work / f"{n}.diff").write_text(diff)
            proc = subprocess.run(
                ["git", "apply", f"{n}.diff"], check=False, cwd=work, capture_output=True, text=True
            )
            assert proc.returncode == 0, proc.stderr
        both = (work / "notes.py").read_text()
        assert both.count("os.path.commonpath") == 2
        store = _module(both)["NoteStore"](str(work / "notes"))  # type: ignore[operator]
        store.save("shopping", "- milk")
        assert store.load("shopping") == "- milk"
        (work / "private.md").write_text("TOPSECRET")
        assert _refused(store.save, "../../escaped", "owned")
        assert not (work / "escaped.md").exists() and not (tmp_path / "escaped.md").exists()
        assert _refused(store.load, "../private")


def test_path_assigned_twice_is_contained_where_it_takes_input(tmp_path: Path) -> None:
    src = (
        "from pathlib import Path\n\n"
        "AVATAR_ROOT = Path(__file__).parent / 'avatars'\n\n\n"
        "def avatar_bytes(username: str, root: Path = AVATAR_ROOT) -> bytes:\n"
        '    target = root / f"{username}.png"\n'
        "    if not target.exists():\n"
        '        target = root / "default.png"\n'
        "    return target.read_bytes()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="return target.read_bytes")
    assert fixed is not None
    assert (
        "    base_dir = Path(root).resolve()\n"
        '    target = Path(base_dir, f"{username}.png").resolve()\n'
        "    if not target.is_relative_to(base_dir):\n"
        '        raise ValueError("path escapes its base directory")\n'
        "    if not target.exists():\n"
        '        target = root / "default.png"\n'  # a constant name under the base: kept
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="return target.read_bytes")
    (tmp_path / "alice.png").write_bytes(b"alice")
    (tmp_path / "default.png").write_bytes(b"default")
    (tmp_path / "sub").mkdir()
    (tmp_path / "secret.png").write_bytes(b"secret")
    read = _module(fixed.replace("__file__", repr(str(tmp_path / "x.py"))))["avatar_bytes"]
    assert read("alice", tmp_path) == b"alice"  # type: ignore[operator]
    assert read("bob", tmp_path) == b"default"  # type: ignore[operator]
    assert _refused(read, "../secret", tmp_path / "sub")


SETTER = """from flask import Flask, request

app = Flask(__name__)


class Report:
    def __init__(self) -> None:
        self.source = "/srv/reports/default.csv"

    def use_source(self, path: str) -> None:
        self.source = path

    def rows(self) -> list[str]:
        with open(self.source, encoding="utf-8") as fh:
            return fh.read().splitlines()


@app.get("/report")
def report():
    r = Report()
    r.use_source(request.args.get("source", "/srv/reports/default.csv"))
    return {"rows": len(r.rows())}
"""


def test_attribute_with_a_literal_default_file_is_kept_in_its_directory() -> None:
    from tests.fix.helpers import fix_and_rescan

    fixed = fix_and_rescan(FIXER, SETTER, rule="path-traversal", cwe=22)
    assert (
        '        base_dir = os.path.realpath("/srv/reports")\n'
        "        safe_path = os.path.realpath(os.path.join(base_dir, self.source))\n"
        "        if os.path.commonpath([base_dir, safe_path]) != base_dir:\n"
        "            abort(404)\n"
        '        with open(safe_path, encoding="utf-8") as fh:\n'
    ) in fixed
    assert "safe_join" not in fixed  # it refuses the absolute default path itself
    assert "import os\n" in fixed


def test_parameter_with_a_literal_default_file(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.csv").write_text("a")
    (tmp_path / "secret.csv").write_text("secret")
    src = (
        "import os\n\n\n"
        f"def rows(path={str(tmp_path / 'reports' / 'default.csv')!r}):\n"
        "    with open(path) as fh:\n"
        "        return fh.read()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="with open")
    assert fixed is not None
    assert f"    base_dir = os.path.realpath({str(tmp_path / 'reports')!r})\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="with open")
    rows = _module(fixed)["rows"]
    assert rows(str(tmp_path / "reports" / "a.csv")) == "a"  # type: ignore[operator]
    assert rows("a.csv") == "a"  # a relative name resolves under the default's directory
    assert _refused(rows, str(tmp_path / "secret.csv"))
    assert _refused(rows, "../secret.csv")


def test_path_returned_by_a_module_function_is_contained_there() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "import io\nimport os\n\nfrom flask import Flask, request\n\n"
        'app = Flask(__name__)\nEXPORT_DIR = "/srv/exports"\n\n\n'
        "def current_export_path() -> str:\n"
        '    name = request.view_args["name"]\n'
        "    return os.path.join(EXPORT_DIR, name)\n\n\n"
        '@app.get("/exports/<path:name>/raw")\n'
        "def raw_export(name):\n"
        '    with io.open(current_export_path(), "rb") as fh:\n'
        "        return fh.read()\n"
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert (
        "    safe_path = safe_join(EXPORT_DIR, name)\n"
        "    if safe_path is None:\n"
        "        abort(404)\n"
        "    return safe_path\n"
    ) in fixed


def test_parameter_path_is_contained_at_its_callers_and_both_rename_paths() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "from pathlib import Path\n\nfrom flask import Flask, request\n\n"
        'app = Flask(__name__)\nUPLOADS = Path("/srv/uploads")\n\n\n'
        "def move(src: Path, name: str) -> None:\n"
        '    src.rename(UPLOADS / "done" / name.replace(" ", "_"))\n\n\n'
        '@app.route("/done", methods=["POST"])\n'
        "def done():\n"
        '    move(UPLOADS / request.form["file"], "x")\n'
        '    return "ok"\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert (
        "    base_dir = Path(UPLOADS).resolve()\n"
        '    safe_path = Path(base_dir, request.form["file"]).resolve()\n'
        "    if not safe_path.is_relative_to(base_dir):\n"
        "        abort(404)\n"
        '    move(safe_path, "x")\n'
    ) in fixed
    assert "    src.rename(safe_path)\n" in fixed


def test_every_path_argument_of_a_copy_is_contained(tmp_path: Path) -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "import shutil\nfrom pathlib import Path\n\nfrom flask import Flask, request\n\n"
        'app = Flask(__name__)\nTEMPLATES = Path("/srv/templates")\n'
        'PROJECTS = Path("/srv/projects")\n\n\n'
        '@app.post("/projects")\n'
        "def new_project():\n"
        "    data = request.get_json()\n"
        '    template = data.get("template", "basic")\n'
        '    shutil.copytree(TEMPLATES / template, PROJECTS / data["name"])\n'
        '    return {"created": data["name"]}, 201\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert "    safe_path = Path(base_dir, template).resolve()\n" in fixed
    assert '    safe_path_2 = Path(base_dir_2, data["name"]).resolve()\n' in fixed
    assert "    shutil.copytree(safe_path, safe_path_2)\n" in fixed


def test_str_replace_is_no_path_sink() -> None:
    src = "def clean(name):\n    return open(name.replace(' ', '_'))\n"
    result = FIXER.fix(make_finding(cwe=22, line=2), reader({"app/views.py": src}))
    assert isinstance(result, Declined)


def test_path_in_an_expression_that_cannot_move_uses_the_helper() -> None:
    src = (
        "import os\n\n\n"
        "def read_all(base, names):\n"
        "    return [open(os.path.join(base, n)).read() for n in names]\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="open(")
    assert fixed is not None
    assert "    return [open(_contained_path(base, n)).read() for n in names]\n" in fixed
    assert "def _contained_path(base, *parts):" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="open(")
    helper = fixed[fixed.index("def _contained_path") : fixed.index("def read_all")]
    contained = _module("import os\n" + helper)["_contained_path"]
    assert contained("/srv/data", "a/b.txt") == "/srv/data/a/b.txt"  # type: ignore[operator]
    for bad in ("../etc/passwd", "/etc/passwd", "a/../../x"):
        assert _refused(contained, "/srv/data", bad), bad


def test_elif_test_is_not_hoisted_out_of_its_branch() -> None:
    src = (
        "import os\n\n\n"
        "def f(base, name, flag):\n"
        "    if flag:\n        return None\n"
        "    elif os.path.exists(os.path.join(base, name)):\n        return 1\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="elif")
    assert fixed is not None
    assert "    elif os.path.exists(_contained_path(base, name)):\n" in fixed


def test_pathlib_fix_imports_pathlib_when_path_is_not_imported() -> None:
    src = (
        "import os\nfrom pathlib import PurePath\n\n\n"
        "def read(base, name):\n"
        "    return (PurePath(base) / name).open()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="return")
    assert fixed is not None
    assert "import pathlib\n" in fixed
    assert "    safe_path = pathlib.Path(base_dir, name).resolve()\n" in fixed
    compile(fixed, "x.py", "exec")


def test_request_path_without_a_base_is_kept_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "from pathlib import Path\n\nfrom flask import Flask, request\n\n"
        "app = Flask(__name__)\n\n\n"
        '@app.route("/archive", methods=["POST"])\n'
        "def archive():\n"
        '    Path(request.form["name"]).replace("/srv/archive/latest")\n'
        '    return "ok"\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert (
        '    base_dir = Path(".").resolve()\n'
        '    safe_path = Path(base_dir, request.form["name"]).resolve()\n'
        "    if not safe_path.is_relative_to(base_dir):\n"
        "        abort(404)\n"
        '    safe_path.replace("/srv/archive/latest")\n'
    ) in fixed
    assert "from flask import abort, Flask, request\n" in fixed
    proposal = FIXER.fix(make_finding(cwe=22, line=10), reader({"app/views.py": src}))
    assert proposal is not None and not isinstance(proposal, Declined)
    assert proposal.risk is not None and proposal.risk.value == "medium"

    # Django style: the request is the handler's parameter; a local holds the name.
    src = (
        "def show(request):\n"
        '    name = request.GET["f"]\n'
        "    with open(name) as fh:\n"
        "        return fh.read()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="with open")
    assert fixed is not None
    assert '    base_dir = os.path.realpath(".")\n' in fixed
    assert fixed.startswith("import os\n")
    assert_idempotent(FIXER, fixed, cwe=22, at="with open")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "a.txt").write_text("a")
    (tmp_path / "secret.txt").write_text("secret")
    monkeypatch.chdir(tmp_path / "work")
    show = _module(fixed)["show"]

    class Request:
        def __init__(self, name: str) -> None:
            self.GET = {"f": name}

    assert show(Request("a.txt")) == "a"  # type: ignore[operator]
    assert _refused(show, Request("../secret.txt"))
    assert _refused(show, Request(str(tmp_path / "secret.txt")))


def test_no_working_directory_base_for_send_file_or_plain_parameters() -> None:
    # send_file resolves relative names against the application, not the working directory.
    src = (
        "from flask import Flask, request, send_file\n\napp = Flask(__name__)\n\n\n"
        '@app.get("/f")\n'
        "def f():\n"
        '    return send_file(request.args["p"])\n'
    )
    result = FIXER.fix(make_finding(cwe=22, line=8), reader({"app/views.py": src}))
    assert isinstance(result, Declined)
    # A parameter may be a whole path on purpose: its callers decide.
    src = "def read(path):\n    with open(path) as fh:\n        return fh.read()\n"
    result = FIXER.fix(make_finding(cwe=22, line=2), reader({"app/views.py": src}))
    assert isinstance(result, Declined)


def test_path_using_a_name_bound_earlier_in_its_statement_is_not_moved_before_it() -> None:
    src = (
        "import os\nimport tempfile\n\n\n"
        "def f(name):\n"
        "    with tempfile.TemporaryDirectory() as d, open(os.path.join(d, name)) as fh:\n"
        "        return fh.read()\n\n\n"
        "def g(base, names):\n"
        "    return print(n := names[0], open(os.path.join(base, n)))\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="with tempfile")
    assert fixed is not None
    assert "as d, open(_contained_path(d, name)) as fh:\n" in fixed
    fixed = apply_fixer(FIXER, src, cwe=22, at="return print")
    assert fixed is not None
    assert "    return print(n := names[0], open(_contained_path(base, n)))\n" in fixed


def test_flask_pathlib_path_is_refused_with_404(tmp_path: Path) -> None:
    """In a web module the check answers 404 (an exception would be a 500, or escape from
    the test client): here through Flask's test client, with a testing app."""
    base = tmp_path / "files"
    base.mkdir()
    (base / "a.txt").write_text("a")
    (tmp_path / "secret.txt").write_text("secret")
    src = (
        "from pathlib import Path\n\nfrom flask import Flask, request, send_file\n\n"
        f"app = Flask(__name__, root_path={str(tmp_path)!r})\nFILES = Path({str(base)!r})\n\n\n"
        '@app.get("/f")\n'
        "def f():\n"
        '    return send_file(FILES / request.args["name"])\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="send_file(FILES")
    assert fixed is not None
    assert "        abort(404)\n    return send_file(safe_path)\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="send_file(")
    app = _module(fixed)["app"]
    app.testing = True  # type: ignore[attr-defined]
    client = app.test_client()  # type: ignore[attr-defined]
    assert client.get("/f?name=a.txt").data == b"a"
    assert client.get("/f?name=../secret.txt").status_code == 404
    assert client.get(f"/f?name={tmp_path / 'secret.txt'}").status_code == 404


def test_a_constant_name_under_a_built_directory_contains_the_directory() -> None:
    """`join(staging, "data.csv")` carries the input in `staging`: the directory is contained
    where it is built (here through the helper's caller), not the constant file name."""
    from tests.fix.helpers import fix_and_rescan

    src = (
        "import os\n\n\n"
        "def write_csv(path):\n"
        '    with open(path, "w") as fh:\n'
        '        fh.write("x")\n\n\n'
        "def export(request):\n"
        '    name = request.POST["name"]\n'
        '    staging = os.path.join("/srv/exports", name)\n'
        '    write_csv(os.path.join(staging, "data.csv"))\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="path-traversal", cwe=22)
    assert (
        '    base_dir = os.path.realpath("/srv/exports")\n'
        "    staging = os.path.realpath(os.path.join(base_dir, name))\n"
    ) in fixed
    assert '    write_csv(os.path.join(staging, "data.csv"))\n' in fixed


def test_keyword_path_argument_of_a_sink() -> None:
    src = (
        "from starlette.responses import FileResponse\n\n\n"
        "def get(name):\n"
        '    return FileResponse(path=f"/srv/files/{name}")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="FileResponse(path")
    assert fixed is not None
    assert "    safe_path = os.path.realpath(os.path.join(base_dir, name))\n" in fixed
    assert "    return FileResponse(path=safe_path)\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="FileResponse(path")


def test_one_statement_with_a_movable_path_and_one_in_a_comprehension() -> None:
    src = (
        "import os\nimport shutil\n\n\n"
        "def f(base, a, names):\n"
        "    shutil.copy(os.path.join(base, a), [os.path.join(base, n) for n in names][0])\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="shutil.copy")
    assert fixed is not None
    assert "    safe_path = os.path.realpath(os.path.join(base_dir, a))\n" in fixed
    assert "    shutil.copy(safe_path, [_contained_path(base, n) for n in names][0])\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="shutil.copy")


def test_path_reassigned_in_a_branch_is_checked_in_the_branch() -> None:
    src = (
        "import os\n\n\n"
        "def g(base, name, flag):\n"
        '    path = os.path.join(base, "default")\n'
        "    if flag:\n"
        "        path = os.path.join(base, name)\n"
        "    with open(path) as fh:\n"
        "        return fh.read()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=22, at="with open")
    assert fixed is not None
    assert '    path = os.path.join(base, "default")\n' in fixed  # a constant name: kept
    assert (
        "    if flag:\n"
        "        base_dir = os.path.realpath(base)\n"
        "        path = os.path.realpath(os.path.join(base_dir, name))\n"
        "        if os.path.commonpath([base_dir, path]) != base_dir:\n"
        '            raise ValueError("path escapes its base directory")\n'
        "    with open(path) as fh:\n"
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=22, at="with open")
