# Error page filled with format_map from the ref query parameter.
# expect: mamori:python/xss line=12
from flask import Flask, request

app = Flask(__name__)
ERROR_PAGE = "<html><body><h1>{code}</h1><p>Cannot open {url}</p></body></html>"


@app.errorhandler(403)
def forbidden(err):
    html = ERROR_PAGE.format_map({"code": 403, "url": request.args.get("ref", "")})
    return html, 403
