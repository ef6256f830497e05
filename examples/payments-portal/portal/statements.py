"""Monthly CSV statements: listing, preview and download."""

from __future__ import annotations

import itertools
import os
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, render_template_string, request
from werkzeug.utils import secure_filename

from .auth import login_required
from .security import file_checksum

bp = Blueprint("statements", __name__, url_prefix="/statements")

LIST_PAGE = """<!doctype html>
<title>Statements - Payments Portal</title>
<h1>Your statements</h1>
<ul>
{% for name in names %}
  <li>
    <a href="{{ url_for('statements.download', name=name) }}">{{ name }}</a>
    (<a href="{{ url_for('statements.preview', name=name) }}">preview</a>)
  </li>
{% else %}
  <li>No statements yet.</li>
{% endfor %}
</ul>
"""

PREVIEW_LINES = 20


def statements_dir() -> str:
    """Return the directory holding the signed-in customer's statements."""
    return os.path.join(current_app.config["STATEMENTS_DIR"], str(g.user["id"]))


@bp.get("")
@login_required
def index() -> Any:
    """List the available statements, newest first."""
    directory = statements_dir()
    names = sorted(os.listdir(directory), reverse=True) if os.path.isdir(directory) else []
    return render_template_string(LIST_PAGE, names=names)


@bp.get("/preview/<name>")
@login_required
def preview(name: str) -> Any:
    """Show the first lines of a statement as plain text."""
    safe = secure_filename(name)
    path = os.path.join(statements_dir(), safe)
    if not safe or not os.path.isfile(path):
        abort(404)
    with open(path, encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, PREVIEW_LINES))
    return Response("".join(lines), mimetype="text/plain")


@bp.get("/<path:name>")
@login_required
def download(name: str) -> Any:
    """Send a statement file as an attachment, with an ETag so clients can cache it."""
    path = os.path.join(current_app.config["STATEMENTS_DIR"], str(g.user["id"]), name)
    if not os.path.isfile(path):
        abort(404)
    with open(path, "rb") as fh:
        data = fh.read()
    resp = Response(data, mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="{os.path.basename(path)}"'
    resp.set_etag(file_checksum(data))
    return resp.make_conditional(request)
