# The table comes from a fixed mapping; unknown keys raise KeyError and give a 400.
# expect: none
import sqlite3

from flask import Flask, request

app = Flask(__name__)
TABLES = {"orders": "shop_orders", "customers": "shop_customers"}


@app.get("/count")
def count():
    try:
        table = TABLES[request.args["entity"]]
    except KeyError:
        return {"error": "unknown entity"}, 400
    db = sqlite3.connect("shop.db")
    (n,) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    return {"count": n}
