# orders_by_status (flask-values, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import psycopg2

app = Flask(__name__)

@app.route("/orders", methods=["GET", "POST"])
def orders_by_status():
    status = request.values.get("status", "")
    options = {"status": status, "page_size": "50"}
    conn = psycopg2.connect("dbname=orders")
    cur = conn.cursor()
    query = "SELECT * FROM orders WHERE status = '%s' ORDER BY created" % options["page_size"]
    cur.execute(query)
    orders = cur.fetchall()
    return {"status": "ok"}
