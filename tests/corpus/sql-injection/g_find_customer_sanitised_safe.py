# find_customer (flask-json, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)

@app.route("/customers", methods=["POST"])
def find_customer():
    payload = request.get_json(force=True)
    email = payload.get("email", "")
    email = int(email)
    email = email.strip()
    engine = create_engine("sqlite:///crm.db")
    stmt = text("SELECT * FROM customers WHERE email = '{}'".format(email))
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    return {"status": "ok"}
