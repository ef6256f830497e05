# claim_cart (flask-json, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    owner = owner.strip()
    session["cart_owner"] = int(owner)
    return {"status": "ok"}
