# profile (flask-route, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xss line=13
from flask import Flask, request
from flask import render_template_string
import shlex

app = Flask(__name__)

@app.route("/profile/<username>")
def profile(username):
    username = shlex.quote(username)
    username = username.strip()
    return render_template_string("<h2>Profile of %s</h2>" % username)
