# profile (flask-route, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import render_template_string

app = Flask(__name__)

@app.route("/profile/<username>")
def profile(username):
    options = {"username": username, "page_size": "50"}
    return render_template_string("<h2>Profile of %s</h2>" % options["page_size"])
