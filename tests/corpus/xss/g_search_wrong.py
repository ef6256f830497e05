# search (flask-args, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xss line=12
from flask import Flask, request
import shlex

app = Flask(__name__)

@app.route("/search")
def search():
    q = request.args.get("q", "")
    q = shlex.quote(q)
    return f"<h1>Search results for {q}</h1>"
