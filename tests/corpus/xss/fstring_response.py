# Greeting built into HTML from a query parameter.
# expect: mamori:python/xss line=10
from flask import Flask, request

app = Flask(__name__)

@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return f"<h1>Hello {name}</h1>"
