# list_products (flask-args, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)
DEFAULT_CATEGORY = "books"

@app.route("/products")
def list_products():
    category = request.args.get("category", "")
    # The client-supplied category is no longer honoured; the default always applies.
    category = DEFAULT_CATEGORY
    conn = sqlite3.connect("shop.db")
    rows = conn.execute("SELECT id, name FROM products WHERE category = '" + category + "'").fetchall()
    conn.close()
    return {"status": "ok"}
