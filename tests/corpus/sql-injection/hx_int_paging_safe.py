# LIMIT/OFFSET come from the query string but are cast to int first.
# expect: none
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.get("/feed")
def feed():
    page = request.args.get("page", 1, type=int)
    size = min(int(request.args.get("size", 20)), 100)
    offset = (page - 1) * size
    db = sqlite3.connect("feed.db")
    rows = db.execute(f"SELECT * FROM posts ORDER BY id DESC LIMIT {size} OFFSET {offset}").fetchall()
    return {"posts": rows}
