# A helper renders table rows from a list of tags in the query string.
# expect: mamori:python/xss line=15
from flask import Flask, Response, request

app = Flask(__name__)


def render_rows(tags: list[str]) -> str:
    return "".join(f"<tr><td>{t}</td></tr>" for t in tags)


@app.get("/tags")
def tags():
    rows = render_rows(request.args.getlist("tag"))
    return Response(f"<table>{rows}</table>", mimetype="text/html")
