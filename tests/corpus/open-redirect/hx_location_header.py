# Manual 302 with a Location header taken from the query string.
# expect: mamori:python/open-redirect line=11
from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/out")
def outbound():
    url = request.args.get("url", "/")
    return Response(status=302, headers={"Location": url})
