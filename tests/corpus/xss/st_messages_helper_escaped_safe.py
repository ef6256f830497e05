# The storing helper escapes the text before appending it to the module-level list.
# expect: none
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)

_MESSAGES = []


def save_message(author, text):
    _MESSAGES.append((author, str(escape(text))))


@app.post("/messages")
def post_message():
    save_message("anonymous", request.form["text"])
    return "", 201


@app.get("/messages")
def inbox():
    rows = []
    for author, text in _MESSAGES:
        rows.append("<tr><td>%s</td><td>%s</td></tr>" % (author, text))
    return "<table>" + "".join(rows) + "</table>"
