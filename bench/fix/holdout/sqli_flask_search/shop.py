import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["DATABASE"] = ":memory:"

_conn = None


def get_db():
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(app.config["DATABASE"], check_same_thread=False)
        _conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, hidden INTEGER)")
        _conn.executemany(
            "INSERT INTO products (name, hidden) VALUES (?, ?)",
            [("red mug", 0), ("blue mug", 0), ("prototype mug", 1)],
        )
    return _conn


@app.route("/products")
def search_products():
    q = request.args.get("q", "")
    sql = "SELECT name FROM products WHERE hidden = 0 AND name LIKE '%" + q + "%' ORDER BY name"
    rows = get_db().execute(sql).fetchall()
    return jsonify([r[0] for r in rows])
