# search (flask-args, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/search")
def search():
    q = request.args.get("q", "")
    if LEGACY_MODE:
        return f"<h1>Search results for {q}</h1>"
    else:
        return f"<h1>Search results for {FALLBACK}</h1>"
