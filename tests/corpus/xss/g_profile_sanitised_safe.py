# profile (flask-route, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from flask import render_template_string
import html

app = Flask(__name__)

@app.route("/profile/<username>")
def profile(username):
    username = html.escape(username)
    username = username.strip()
    return render_template_string("<h2>Profile of %s</h2>" % username)
