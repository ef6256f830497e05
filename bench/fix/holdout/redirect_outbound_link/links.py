from flask import Flask, redirect, request

app = Flask(__name__)


@app.get("/go")
def go():
    target = request.args["to"]
    return redirect(target, code=302)


@app.get("/")
def index():
    return "home"
