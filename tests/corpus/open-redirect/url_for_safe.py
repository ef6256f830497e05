# Redirect to url_for: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import redirect, url_for

@app.route("/logout")
def logout():
    return redirect(url_for("login", next=request.args.get("next")))
