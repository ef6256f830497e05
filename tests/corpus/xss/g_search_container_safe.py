# search (flask-args, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/search")
def search():
    q = request.args.get("q", "")
    options = {"q": q, "page_size": "50"}
    return f"<h1>Search results for {options["page_size"]}</h1>"
