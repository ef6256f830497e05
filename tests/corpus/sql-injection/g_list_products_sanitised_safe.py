# list_products (flask-args, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)

@app.route("/products")
def list_products():
    category = request.args.get("category", "")
    category = int(category)
    conn = sqlite3.connect("shop.db")
    rows = conn.execute("SELECT id, name FROM products WHERE category = '" + category + "'").fetchall()
    conn.close()
    return {"status": "ok"}
