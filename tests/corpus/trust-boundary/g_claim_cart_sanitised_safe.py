# claim_cart (flask-json, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    owner = int(owner)
    owner = owner.strip()
    session["cart_owner"] = owner.lower()
    return {"status": "ok"}
