# search (flask-args, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import html

app = Flask(__name__)

@app.route("/search")
def search():
    q = request.args.get("q", "")
    q = html.escape(q)
    return f"<h1>Search results for {q}</h1>"
