# render_template autoescapes: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import render_template

@app.route("/hello")
def hello():
    return render_template("hello.html", name=request.args.get("name", "world"))
