# Login view redirects to ?next= or the index.
# expect: mamori:python/open-redirect line=12
from flask import Flask, redirect, request, session, url_for

app = Flask(__name__)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session["user"] = "demo"
        return redirect(request.args.get("next") or url_for("index"))
    return "<form method=post><button>Login</button></form>"


@app.route("/")
def index():
    return "home"
