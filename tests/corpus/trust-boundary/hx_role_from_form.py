# Sign-up stores the role picked in the form in the session.
# expect: mamori:python/trust-boundary line=14
import os

from flask import Flask, redirect, request, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.post("/signup")
def signup():
    session["username"] = "new-user"
    session["role"] = request.form.get("role", "viewer")
    return redirect("/")
