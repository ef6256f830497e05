# Guestbook entries kept in a module-level list: one view appends the submitted text, another
# renders every entry into HTML (stored XSS).
# expect: mamori:python/xss line=23
from flask import Flask, request

app = Flask(__name__)

ENTRIES = []


def entry_html(entry):
    return "<article><h3>%s</h3><p>%s</p></article>" % (entry["name"], entry["body"])


@app.route("/guestbook", methods=["POST"])
def sign():
    ENTRIES.append({"name": request.form["name"], "body": request.form["body"]})
    return "thanks", 201


@app.route("/guestbook")
def guestbook():
    return "<section>" + "".join(entry_html(e) for e in ENTRIES) + "</section>"
