# list_products (flask-args, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)
ALLOWED_CATEGORYS = frozenset({"alpha", "beta", "main"})

@app.route("/products")
def list_products():
    category = request.args.get("category", "")
    if category not in ALLOWED_CATEGORYS:
        raise ValueError("unsupported category")
    conn = sqlite3.connect("shop.db")
    rows = conn.execute("SELECT id, name FROM products WHERE category = '" + category + "'").fetchall()
    conn.close()
    return {"status": "ok"}
