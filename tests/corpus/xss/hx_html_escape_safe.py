# The name is HTML-escaped before being put into the markup.
# expect: none
import html

from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = html.escape(request.args.get("name", "stranger"))
    return f"<h1>Hello, {name}!</h1>"
