# The view stores the message through a helper of the same module that appends its argument
# to a module-level list; the inbox page renders the list.
# expect: mamori:python/xss line=29
from flask import Flask, request

app = Flask(__name__)

_MESSAGES = []


def save_message(author, text):
    _MESSAGES.append((author, text))


@app.post("/messages")
def post_message():
    save_message("anonymous", request.form["text"])
    return "", 201


@app.get("/messages")
def inbox():
    rows = []
    for author, text in _MESSAGES:
        rows.append("<tr><td>%s</td><td>%s</td></tr>" % (author, text))
    html = "<table>"
    html += "".join(rows)
    html += "</table>"
    return html
