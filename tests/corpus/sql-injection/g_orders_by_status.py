# orders_by_status (flask-values, helper): untrusted request data reaches the sink
# expect: mamori:python/sql-injection line=12
from flask import Flask, request
import psycopg2

app = Flask(__name__)

def orders_by_status_job(value):
    conn = psycopg2.connect("dbname=orders")
    cur = conn.cursor()
    query = "SELECT * FROM orders WHERE status = '%s' ORDER BY created" % value
    cur.execute(query)
    orders = cur.fetchall()


@app.route("/orders", methods=["GET", "POST"])
def orders_by_status():
    status = request.values.get("status", "")
    orders_by_status_job(status)
    return {"status": "ok"}
