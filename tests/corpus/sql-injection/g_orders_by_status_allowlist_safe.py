# orders_by_status (flask-values, helper): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import psycopg2

app = Flask(__name__)
ALLOWED_STATUSS = frozenset({"alpha", "beta", "main"})

def orders_by_status_job(value):
    conn = psycopg2.connect("dbname=orders")
    cur = conn.cursor()
    query = "SELECT * FROM orders WHERE status = '%s' ORDER BY created" % value
    cur.execute(query)
    orders = cur.fetchall()


@app.route("/orders", methods=["GET", "POST"])
def orders_by_status():
    status = request.values.get("status", "")
    if status not in ALLOWED_STATUSS:
        raise ValueError("unsupported status")
    orders_by_status_job(status)
    return {"status": "ok"}
