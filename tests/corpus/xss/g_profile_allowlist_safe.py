# profile (flask-route, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import render_template_string

app = Flask(__name__)
ALLOWED_USERNAMES = frozenset({"alpha", "beta", "main"})

@app.route("/profile/<username>")
def profile(username):
    if username not in ALLOWED_USERNAMES:
        raise ValueError("unsupported username")
    username = username.strip()
    return render_template_string("<h2>Profile of %s</h2>" % username)
