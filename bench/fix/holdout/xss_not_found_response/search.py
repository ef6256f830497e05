from flask import Flask, make_response, request

app = Flask(__name__)
ARTICLES = {"python": "Python is a programming language.", "flask": "Flask is a web framework."}


@app.route("/wiki")
def wiki():
    term = request.args.get("term", "")
    if term.lower() in ARTICLES:
        return ARTICLES[term.lower()]
    resp = make_response("<h2>No article named " + term + "</h2>", 404)
    return resp
