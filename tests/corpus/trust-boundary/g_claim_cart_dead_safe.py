# claim_cart (flask-json, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    owner = owner.strip()
    if LEGACY_MODE:
        session["cart_owner"] = owner.lower()
    else:
        session["cart_owner"] = FALLBACK.lower()
    return {"status": "ok"}
