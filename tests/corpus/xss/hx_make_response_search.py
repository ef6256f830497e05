# Search page built by hand and passed to make_response.
# expect: mamori:python/xss line=12
from flask import Blueprint, make_response, request

search_bp = Blueprint("search", __name__)


@search_bp.get("/search")
def search():
    q = request.args.get("q", "")
    html = "<html><body><h2>No results for " + q + "</h2></body></html>"
    resp = make_response(html)
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    return resp
