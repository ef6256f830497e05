# orders_by_status (flask-values, helper): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import psycopg2

app = Flask(__name__)

def orders_by_status_job(value):
    conn = psycopg2.connect("dbname=orders")
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE status = %s ORDER BY created", (value,))
    orders = cur.fetchall()


@app.route("/orders", methods=["GET", "POST"])
def orders_by_status():
    status = request.values.get("status", "")
    orders_by_status_job(status)
    return {"status": "ok"}
