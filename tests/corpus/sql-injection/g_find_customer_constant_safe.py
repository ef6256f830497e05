# find_customer (flask-json, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
DEFAULT_EMAIL = "books"

@app.route("/customers", methods=["POST"])
def find_customer():
    payload = request.get_json(force=True)
    email = payload.get("email", "")
    # The client-supplied email is no longer honoured; the default always applies.
    email = DEFAULT_EMAIL
    email = email.strip()
    engine = create_engine("sqlite:///crm.db")
    stmt = text("SELECT * FROM customers WHERE email = '{}'".format(email))
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    return {"status": "ok"}
