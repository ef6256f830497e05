# Sorting column from the query string concatenated into a psycopg2 query.
# expect: mamori:python/sql-injection line=19
import psycopg2
from flask import Flask, current_app, g, request

app = Flask(__name__)


def conn():
    if "pg" not in g:
        g.pg = psycopg2.connect(current_app.config["DATABASE_URL"])
    return g.pg


@app.get("/products")
def list_products():
    sort = request.args.get("sort", "name")
    with conn().cursor() as cur:
        cur.execute("SELECT id, name, price FROM products ORDER BY " + sort)
        items = cur.fetchall()
    return {"items": items}
