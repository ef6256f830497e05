# search (flask-args, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import render_template

app = Flask(__name__)

@app.route("/search")
def search():
    q = request.args.get("q", "")
    return render_template("search.html", query=q)
