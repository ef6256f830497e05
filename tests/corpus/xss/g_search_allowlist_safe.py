# search (flask-args, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
ALLOWED_QS = frozenset({"alpha", "beta", "main"})

@app.route("/search")
def search():
    q = request.args.get("q", "")
    if q not in ALLOWED_QS:
        raise ValueError("unsupported q")
    return f"<h1>Search results for {q}</h1>"
