# orders_by_status (flask-values, helper): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import psycopg2

app = Flask(__name__)
DEFAULT_STATUS = "books"

def orders_by_status_job(value):
    conn = psycopg2.connect("dbname=orders")
    cur = conn.cursor()
    query = "SELECT * FROM orders WHERE status = '%s' ORDER BY created" % value
    cur.execute(query)
    orders = cur.fetchall()


@app.route("/orders", methods=["GET", "POST"])
def orders_by_status():
    status = request.values.get("status", "")
    # The client-supplied status is no longer honoured; the default always applies.
    status = DEFAULT_STATUS
    orders_by_status_job(status)
    return {"status": "ok"}
