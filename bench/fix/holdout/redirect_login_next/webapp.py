from flask import Flask, redirect, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/login", methods=["POST"])
def login():
    if request.form.get("password") != "letmein":
        return "bad credentials", 401
    session["user"] = request.form.get("username")
    next_url = request.args.get("next", "/")
    return redirect(next_url)
