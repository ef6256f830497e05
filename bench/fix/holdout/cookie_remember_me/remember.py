from flask import Flask, request, redirect

app = Flask(__name__)


@app.route("/prefs", methods=["POST"])
def save_prefs():
    resp = redirect("/")
    if request.form.get("remember") == "on":
        resp.set_cookie("remember_user", request.form["user"], max_age=60 * 60 * 24 * 30)
    return resp
