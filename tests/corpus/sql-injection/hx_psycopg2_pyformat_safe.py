# psycopg2 with %s placeholders and a parameter tuple (not Python %-formatting).
# expect: none
import psycopg2
from flask import Flask, request

app = Flask(__name__)


@app.post("/subscribe")
def subscribe():
    form = request.form
    conn = psycopg2.connect("dbname=news")
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO subscribers (email, name) VALUES (%s, %s)",
            (form["email"], form.get("name", "")),
        )
    return {"ok": True}, 201
