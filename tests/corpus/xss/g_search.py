# search (flask-args, direct): untrusted request data reaches the sink
# expect: mamori:python/xss line=10
from flask import Flask, request

app = Flask(__name__)

@app.route("/search")
def search():
    q = request.args.get("q", "")
    return f"<h1>Search results for {q}</h1>"
