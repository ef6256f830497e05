# find_customer (flask-json, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)

@app.route("/customers", methods=["POST"])
def find_customer():
    payload = request.get_json(force=True)
    email = payload.get("email", "")
    email = email.strip()
    engine = create_engine("sqlite:///crm.db")
    stmt = text("SELECT * FROM customers WHERE email = :email")
    with engine.connect() as conn:
        found = conn.execute(stmt, {"email": email}).all()
    return {"status": "ok"}
