# render_template with autoescaping, wrapped in make_response to set a header.
# expect: none
from flask import Flask, make_response, render_template, request

app = Flask(__name__)


@app.get("/results")
def results():
    q = request.args.get("q", "")
    resp = make_response(render_template("results.html", q=q))
    resp.headers["Cache-Control"] = "no-store"
    return resp
