# A search filter saved in a module-level dict by one endpoint is later pasted into SQL by
# the endpoint that runs the saved search.
# expect: mamori:python/sql-injection line=24
import sqlite3

from flask import Flask, request

app = Flask(__name__)

SAVED_SEARCHES = {}


@app.post("/searches/<name>")
def save_search(name):
    SAVED_SEARCHES[name] = request.json["where"]
    return {"saved": name}


@app.get("/searches/<name>/run")
def run_search(name):
    clause = SAVED_SEARCHES.get(name, "1=1")
    db = sqlite3.connect("shop.db")
    sql = "SELECT id, title FROM products WHERE " + clause
    rows = db.execute(sql).fetchall()
    return {"rows": rows}
