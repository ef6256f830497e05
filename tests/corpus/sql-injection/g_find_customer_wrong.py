# find_customer (flask-json, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/sql-injection line=16
from flask import Flask, request
from sqlalchemy import create_engine, text
import html

app = Flask(__name__)

@app.route("/customers", methods=["POST"])
def find_customer():
    payload = request.get_json(force=True)
    email = payload.get("email", "")
    email = html.escape(email)
    email = email.strip()
    engine = create_engine("sqlite:///crm.db")
    stmt = text("SELECT * FROM customers WHERE email = '{}'".format(email))
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    return {"status": "ok"}
