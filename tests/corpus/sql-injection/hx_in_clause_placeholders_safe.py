# IN clause with one placeholder per id; only "?" characters are formatted into the SQL.
# expect: none
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.get("/products/batch")
def batch():
    ids = request.args.getlist("id")
    placeholders = ", ".join("?" for _ in ids)
    db = sqlite3.connect("shop.db")
    rows = db.execute(f"SELECT id, name FROM products WHERE id IN ({placeholders})", ids).fetchall()
    return {"products": rows}
