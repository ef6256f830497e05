# profile (flask-route, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import render_template_string

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/profile/<username>")
def profile(username):
    username = username.strip()
    if LEGACY_MODE:
        return render_template_string("<h2>Profile of %s</h2>" % username)
    else:
        return render_template_string("<h2>Profile of %s</h2>" % FALLBACK)
