# Raw guestbook text is stored, but escaped where the page is built: safe.
# expect: none
import html

from flask import Flask, request

app = Flask(__name__)

ENTRIES = []


@app.route("/guestbook", methods=["POST"])
def sign():
    ENTRIES.append(request.form["body"])
    return "thanks", 201


@app.route("/guestbook")
def guestbook():
    items = "".join("<li>%s</li>" % html.escape(e) for e in ENTRIES)
    return "<ul>" + items + "</ul>"
