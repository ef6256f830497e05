# Network tools blueprint: a helper builds a ping command line from the query string.
# expect: mamori:python/command-injection line=15
import logging
import subprocess

from flask import Blueprint, jsonify, request

log = logging.getLogger(__name__)
tools_bp = Blueprint("tools", __name__, url_prefix="/tools")


def run_ping(host: str, count: int = 3) -> str:
    cmd = f"ping -c {count} {host}"
    log.info("running %s", cmd)
    out = subprocess.check_output(cmd, shell=True, timeout=10)
    return out.decode(errors="replace")


@tools_bp.get("/ping")
def ping():
    host = request.args.get("host", "127.0.0.1").strip()
    try:
        return jsonify(output=run_ping(host))
    except subprocess.CalledProcessError as exc:
        return jsonify(error=str(exc)), 500
