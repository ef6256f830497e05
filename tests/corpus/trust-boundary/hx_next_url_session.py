# The post-login destination is remembered in the session.
# expect: mamori:python/trust-boundary line=10
from flask import Flask, redirect, request, session, url_for

app = Flask(__name__)


@app.get("/login")
def login_page():
    session["next_url"] = request.args.get("next", "/")
    return redirect(url_for("sso_start"))


@app.get("/sso/start")
def sso_start():
    return "redirecting to identity provider"
