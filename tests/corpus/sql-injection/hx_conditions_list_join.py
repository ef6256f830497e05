# Filters collected in a list and joined into the WHERE clause.
# expect: mamori:python/sql-injection line=20
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.get("/orders")
def orders():
    conditions = []
    if status := request.args.get("status"):
        conditions.append(f"status = '{status}'")
    if customer := request.args.get("customer"):
        conditions.append(f"customer = '{customer}'")
    sql = "SELECT id, total FROM orders"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    rows = sqlite3.connect("shop.db").execute(sql).fetchall()
    return {"orders": rows}
