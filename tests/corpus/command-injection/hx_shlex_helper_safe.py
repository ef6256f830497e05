# The host is quoted with shlex.quote in the helper before going to the shell.
# expect: none
import shlex
import subprocess

from flask import Blueprint, request

bp = Blueprint("diag", __name__)


def traceroute(host: str) -> bytes:
    return subprocess.check_output(f"traceroute -m 8 {shlex.quote(host)}", shell=True)


@bp.route("/diag/trace")
def trace():
    host = request.args.get("host", "")
    return traceroute(host)
