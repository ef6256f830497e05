# The sort key selects one of several constant ORDER BY clauses.
# expect: none
import psycopg2
from flask import Flask, request

app = Flask(__name__)

SORTS = {
    "new": "created_at DESC",
    "old": "created_at ASC",
    "price": "price ASC",
}


@app.get("/listings")
def listings():
    order = SORTS.get(request.args.get("sort", "new"), "created_at DESC")
    conn = psycopg2.connect("dbname=market")
    cur = conn.cursor()
    cur.execute("SELECT id, title FROM listings ORDER BY " + order)
    return {"rows": cur.fetchall()}
