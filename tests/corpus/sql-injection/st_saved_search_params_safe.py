# The saved search term comes from the request, but the endpoint that runs it binds it as a
# query parameter.
# expect: none
import sqlite3

from flask import Flask, request

app = Flask(__name__)

SAVED_TERMS = {}


@app.post("/searches/<name>")
def save_search(name):
    SAVED_TERMS[name] = request.json["term"]
    return {"saved": name}


@app.get("/searches/<name>/run")
def run_search(name):
    term = SAVED_TERMS.get(name, "")
    db = sqlite3.connect("shop.db")
    rows = db.execute("SELECT id, title FROM products WHERE title LIKE ?", ("%" + term + "%",))
    return {"rows": rows.fetchall()}
