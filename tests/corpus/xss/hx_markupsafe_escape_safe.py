# markupsafe.escape applied to the query before building the response.
# expect: none
from flask import Flask, make_response, request
from markupsafe import escape

app = Flask(__name__)


@app.get("/search")
def search():
    q = escape(request.args.get("q", ""))
    resp = make_response(f"<h2>No results for {q}</h2>")
    resp.headers["Content-Type"] = "text/html"
    return resp
