# Greeting rendered by concatenating the name into a Jinja template string.
# expect: mamori:python/xss line=11
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.get("/greet")
def greet():
    name = request.args.get("name", "guest")
    return render_template_string("<h1>Hello " + name + "</h1>")
