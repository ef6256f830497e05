# search (flask-args, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
DEFAULT_Q = "default"

@app.route("/search")
def search():
    q = request.args.get("q", "")
    # The client-supplied q is no longer honoured; the default always applies.
    q = DEFAULT_Q
    return f"<h1>Search results for {q}</h1>"
