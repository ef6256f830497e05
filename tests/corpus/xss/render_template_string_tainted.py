# User data as the template source.
# expect: mamori:python/xss line=12
from flask import Flask, request

app = Flask(__name__)

from flask import render_template_string

@app.route("/card")
def card():
    title = request.args.get("title", "")
    return render_template_string("<h2>" + title + "</h2>")
