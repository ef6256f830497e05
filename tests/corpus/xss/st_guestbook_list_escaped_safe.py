# Guestbook entries are escaped before they are stored in the module-level list: the page
# that renders them later is safe.
# expect: none
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)

ENTRIES = []


def entry_html(entry):
    return "<article><h3>%s</h3><p>%s</p></article>" % (entry["name"], entry["body"])


@app.route("/guestbook", methods=["POST"])
def sign():
    name = escape(request.form["name"])
    body = escape(request.form["body"])
    ENTRIES.append({"name": name, "body": body})
    return "thanks", 201


@app.route("/guestbook")
def guestbook():
    return "<section>" + "".join(entry_html(e) for e in ENTRIES) + "</section>"
