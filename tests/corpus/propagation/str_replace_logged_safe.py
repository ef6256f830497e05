# str.replace on a tainted string that is only logged: not a file operation, no finding.
# expect: none
# bench-rule: path-traversal
import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.route("/search")
def search():
    term = request.args.get("q", "")
    cleaned = term.replace("\n", " ")
    log.info("search for %s", cleaned)
    return {"ok": True}
