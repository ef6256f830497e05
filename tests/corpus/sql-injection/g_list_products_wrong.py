# list_products (flask-args, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/sql-injection line=14
from flask import Flask, request
import sqlite3
import html

app = Flask(__name__)

@app.route("/products")
def list_products():
    category = request.args.get("category", "")
    category = html.escape(category)
    conn = sqlite3.connect("shop.db")
    rows = conn.execute("SELECT id, name FROM products WHERE category = '" + category + "'").fetchall()
    conn.close()
    return {"status": "ok"}
