# Greeting page returns an f-string with the name from the query string.
# expect: mamori:python/xss line=11
from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "stranger")
    return f"<h1>Hello, {name}!</h1><p>Welcome back.</p>"
