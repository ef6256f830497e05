# profile (flask-route, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import render_template_string

app = Flask(__name__)
DEFAULT_USERNAME = "default"

@app.route("/profile/<username>")
def profile(username):
    # The client-supplied username is no longer honoured; the default always applies.
    username = DEFAULT_USERNAME
    username = username.strip()
    return render_template_string("<h2>Profile of %s</h2>" % username)
