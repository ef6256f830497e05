# find_customer (flask-json, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/customers", methods=["POST"])
def find_customer():
    payload = request.get_json(force=True)
    email = payload.get("email", "")
    email = email.strip()
    if LEGACY_MODE:
        engine = create_engine("sqlite:///crm.db")
        stmt = text("SELECT * FROM customers WHERE email = '{}'".format(email))
        with engine.connect() as conn:
            found = conn.execute(stmt).all()
    else:
        engine = create_engine("sqlite:///crm.db")
        stmt = text("SELECT * FROM customers WHERE email = '{}'".format(FALLBACK))
        with engine.connect() as conn:
            found = conn.execute(stmt).all()
    return {"status": "ok"}
