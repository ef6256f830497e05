# orders_by_status (flask-values, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/sql-injection line=13
from flask import Flask, request
import psycopg2
import html

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
    status = html.escape(status)
    orders_by_status_job(status)
    return {"status": "ok"}
