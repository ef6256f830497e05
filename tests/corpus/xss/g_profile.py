# profile (flask-route, strip): untrusted request data reaches the sink
# expect: mamori:python/xss line=11
from flask import Flask, request
from flask import render_template_string

app = Flask(__name__)

@app.route("/profile/<username>")
def profile(username):
    username = username.strip()
    return render_template_string("<h2>Profile of %s</h2>" % username)
