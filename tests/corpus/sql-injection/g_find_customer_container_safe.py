# find_customer (flask-json, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)

@app.route("/customers", methods=["POST"])
def find_customer():
    payload = request.get_json(force=True)
    email = payload.get("email", "")
    options = {"email": email, "page_size": "50"}
    engine = create_engine("sqlite:///crm.db")
    stmt = text("SELECT * FROM customers WHERE email = '{}'".format(options["page_size"]))
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    return {"status": "ok"}
