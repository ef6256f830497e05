# list_products (flask-args, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)

@app.route("/products")
def list_products():
    category = request.args.get("category", "")
    options = {"category": category, "page_size": "50"}
    conn = sqlite3.connect("shop.db")
    rows = conn.execute("SELECT id, name FROM products WHERE category = '" + options["page_size"] + "'").fetchall()
    conn.close()
    return {"status": "ok"}
