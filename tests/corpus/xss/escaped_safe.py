# markupsafe.escape before building HTML: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from markupsafe import escape

@app.route("/hello")
def hello():
    name = escape(request.args.get("name", "world"))
    return f"<h1>Hello {name}</h1>"
