# A maintenance banner rebound through `global` by an admin view and shown on the home page.
# expect: mamori:python/xss line=20
from flask import Flask, request

app = Flask(__name__)

BANNER = None


@app.route("/admin/banner", methods=["POST"])
def set_banner():
    global BANNER
    BANNER = request.form.get("message")
    return "saved"


@app.route("/")
def home():
    notice = BANNER or ""
    return f"<div class='banner'>{notice}</div><h1>Home</h1>"
