# profile (flask-route, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import render_template_string
from flask import render_template

app = Flask(__name__)

@app.route("/profile/<username>")
def profile(username):
    username = username.strip()
    return render_template("profile.html", name=username)
