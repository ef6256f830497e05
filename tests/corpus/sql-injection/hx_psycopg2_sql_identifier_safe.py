# psycopg2.sql composes the column name as an Identifier and the value as a parameter.
# expect: none
import psycopg2
from flask import Flask, request
from psycopg2 import sql

app = Flask(__name__)


@app.get("/export")
def export():
    column = request.args.get("column", "email")
    value = request.args.get("value", "")
    query = sql.SQL("SELECT id FROM customers WHERE {} = %s").format(sql.Identifier(column))
    with psycopg2.connect("dbname=crm") as conn, conn.cursor() as cur:
        cur.execute(query, (value,))
        return {"ids": [r[0] for r in cur.fetchall()]}
