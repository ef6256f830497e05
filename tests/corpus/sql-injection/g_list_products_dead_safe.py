# list_products (flask-args, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/products")
def list_products():
    category = request.args.get("category", "")
    if LEGACY_MODE:
        conn = sqlite3.connect("shop.db")
        rows = conn.execute("SELECT id, name FROM products WHERE category = '" + category + "'").fetchall()
        conn.close()
    else:
        conn = sqlite3.connect("shop.db")
        rows = conn.execute("SELECT id, name FROM products WHERE category = '" + FALLBACK + "'").fetchall()
        conn.close()
    return {"status": "ok"}
