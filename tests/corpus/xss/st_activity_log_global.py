# An HTML activity log kept in a module-level string, extended through `global` by the login
# view and served as is by the admin page.
# expect: mamori:python/xss line=24
from flask import Flask, request

app = Flask(__name__)

ACTIVITY = ""


@app.route("/login", methods=["POST"])
def login():
    global ACTIVITY
    user = request.form["username"]
    ACTIVITY += "<li>login attempt: " + user + "</li>"
    return "ok"


@app.route("/admin/activity")
def activity():
    body = "<h1>Activity</h1><ul>"
    body += ACTIVITY
    body += "</ul>"
    return body
