# Helper builds SQL, but callers only pass constants.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

def count_rows(db, table):
    return db.execute("SELECT COUNT(*) FROM " + table).fetchone()[0]

@app.route("/stats")
def stats():
    db = sqlite3.connect("app.db")
    return {"users": count_rows(db, "users"), "orders": count_rows(db, "orders")}
