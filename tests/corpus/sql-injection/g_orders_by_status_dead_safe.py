# orders_by_status (flask-values, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import psycopg2

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

def orders_by_status_job(value):
    conn = psycopg2.connect("dbname=orders")
    cur = conn.cursor()
    query = "SELECT * FROM orders WHERE status = '%s' ORDER BY created" % value
    cur.execute(query)
    orders = cur.fetchall()


@app.route("/orders", methods=["GET", "POST"])
def orders_by_status():
    status = request.values.get("status", "")
    if LEGACY_MODE:
        orders_by_status_job(status)
    else:
        orders_by_status_job(FALLBACK)
    return {"status": "ok"}
