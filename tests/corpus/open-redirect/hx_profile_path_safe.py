# Redirect to a path on this site built from the username.
# expect: none
from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/profile/edit")
def edit_profile():
    username = request.form["username"]
    return redirect("/profile/" + username)
